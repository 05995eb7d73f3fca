// Package htmltest makes the reports that the HTML report is tested,
// benchmarked and photographed with, from the fixtures' snapshots run
// through the real pipeline; Compare checks a page against the JSON report
// of the same run in a browser (e2e uses it on a real audit against moto);
// and it holds the browser tests themselves (they drive headless Chromium
// through internal/chromium).
package htmltest

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/fixtures"
	"github.com/replcheck/replcheck/internal/pipeline"
	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// The accounts of the audit world: two that were read and one that could
// not be.
const (
	AccountA          = "111111111111"
	AccountB          = "444444444444"
	AccountUnreadable = "333333333333"
)

// bucketSpec is one source bucket of the audit world: a fixture scenario
// (or base snapshot), the account it lives in, and the names its source and
// destination buckets take there.
type bucketSpec struct {
	file              string
	account           string
	source, dest      string
	unreadableMessage string
}

// world is the audit world: in account A a healthy bucket, a suspended
// destination, missing metrics and a destination that refuses the role; in
// account B a cross-account KMS pair, a deleted replica key, an unreadable
// destination and overlapping rules.
var world = []bucketSpec{
	{file: "base/same-account.json", account: AccountA, source: "photos", dest: "photos-dr"},
	{file: "DstBucketUnversioned/suspended.json", account: AccountA, source: "logs", dest: "logs-archive"},
	{file: "ReplicationMetricsDisabled/metrics-absent.json", account: AccountA, source: "invoices", dest: "invoices-dr"},
	{file: "DstPutObjNotPermitted/cross-account-no-bucket-policy.json", account: AccountA, source: "exports", dest: "partner-inbox"},
	{file: "base/b-kms-cross-account.json", account: AccountB, source: "analytics", dest: "analytics-dr"},
	{file: "DstKmsKeyNotFound/replica-key-deleted.json", account: AccountB, source: "ml-data", dest: "ml-data-dr"},
	{file: "DstBucketUnversioned/access-denied.json", account: AccountB, source: "media", dest: "media-dr"},
	{file: "OverlappingRules/nested-prefixes.json", account: AccountB, source: "backups", dest: "backups-dr"},
}

// bucketsWithoutReplication is how many buckets the world's audit counts
// besides those above.
const bucketsWithoutReplication = 5

// snapshots is a source of facts that yields fixed snapshots.
type snapshots []*snapshot.Snapshot

func (s snapshots) Snapshots(_ context.Context, yield func(*snapshot.Snapshot) error) error {
	for _, snap := range s {
		if err := yield(snap); err != nil {
			return err
		}
	}
	return nil
}

// load reads a fixture scenario or base snapshot and moves it into another
// world by renaming, everywhere in the snapshot (ARNs, policies, keys),
// each old string to its new one.
func load(dir, file string, rename map[string]string) (*snapshot.Snapshot, error) {
	path := filepath.Join(dir, file)
	var snap *snapshot.Snapshot
	var err error
	if strings.HasPrefix(file, "base/") {
		snap, err = snapshot.Load(path)
	} else {
		_, snap, err = fixtures.Load(dir, path)
	}
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(snap)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	text := string(data)
	pairs := make([]string, 0, 2*len(rename))
	for from, to := range rename {
		pairs = append(pairs, from, to)
	}
	text = strings.NewReplacer(pairs...).Replace(text)
	return snapshot.Decode(path, []byte(text))
}

// Audit runs the checks over the audit world's snapshots (fixturesDir is
// the fixtures directory) and returns the report an audit of accounts A, B
// and the unreadable one would make: findings per source, the audit
// object, and the unreadable account's AccountNotReadable finding.
func Audit(fixturesDir string) (*report.Report, error) {
	var snaps snapshots
	for _, b := range world {
		rename := map[string]string{"src-bucket": b.source, "dst-bucket": b.dest}
		if b.account != AccountA {
			rename["111111111111"] = b.account
			rename["222222222222"] = "555555555555"
		}
		s, err := load(fixturesDir, b.file, rename)
		if err != nil {
			return nil, err
		}
		snaps = append(snaps, s)
	}
	r, err := pipeline.Run(context.Background(), snaps, pipeline.Options{SourcePerFinding: true})
	if err != nil {
		return nil, err
	}
	r.Command = "audit"
	r.Version = "v0.0.0-fixture"
	denied := "sts:AssumeRole arn:aws:iam::" + AccountUnreadable + ":role/replcheck-audit: AccessDenied: not authorized to perform sts:AssumeRole"
	r.Findings = append(r.Findings, UnreadableAccount(AccountUnreadable, denied))
	r.Audit = &report.Audit{
		Accounts: []report.AccountStatus{
			{ID: AccountA, Status: "ok"},
			{ID: AccountB, Status: "ok"},
			{ID: AccountUnreadable, Status: "error", Error: denied},
		},
		Buckets:                len(world) + bucketsWithoutReplication,
		BucketsWithReplication: len(world),
		Rules:                  countRules(r.Findings),
	}
	return r, nil
}

// UnreadableAccount is the finding an audit reports for an account it
// could not read (CLI.md: reason AccountNotReadable, status unknown, the
// account set and the bucket empty).
func UnreadableAccount(account, err string) report.Finding {
	return report.Finding{
		Finding: checks.Finding{
			Reason: "AccountNotReadable", Aliases: []string{}, Status: checks.StatusUnknown,
			Message:  "account " + account + " could not be read: " + err,
			Evidence: []string{err},
		},
		Source: &report.Source{Account: account},
	}
}

// countRules counts the distinct rules (per account and bucket) that the
// findings name.
func countRules(findings []report.Finding) int {
	rules := map[string]bool{}
	for _, f := range findings {
		if f.Rule != "" && f.Source != nil {
			rules[f.Source.Account+"/"+f.Source.Bucket+"/"+f.Rule] = true
		}
	}
	return len(rules)
}

// Rows returns an audit report of n rows (source bucket, rule, destination)
// over 40 accounts, each row a copy of one of the audit world's rows, with
// its real findings and their text, under a bucket name of its own. It is
// what the HTML report's benchmark renders.
func Rows(fixturesDir string, n int) (*report.Report, error) {
	base, err := Audit(fixturesDir)
	if err != nil {
		return nil, err
	}
	type row struct {
		key      string
		findings []report.Finding
	}
	var templates []*row
	index := map[string]*row{}
	for _, f := range base.Findings {
		if f.Source.Bucket == "" {
			continue
		}
		key := f.Source.Account + "/" + f.Source.Bucket + "/" + f.Rule + "/" + f.Destination
		t, ok := index[key]
		if !ok {
			t = &row{key: key}
			index[key] = t
			templates = append(templates, t)
		}
		t.findings = append(t.findings, f)
	}
	const accounts = 40
	perAccount := (n + accounts - 1) / accounts
	r := &report.Report{Command: "audit", Checks: base.Checks, Version: base.Version, Audit: &report.Audit{}}
	for i := 0; i < n; i++ {
		account := fmt.Sprintf("%012d", 100000000000+i/perAccount)
		if i%perAccount == 0 {
			r.Audit.Accounts = append(r.Audit.Accounts, report.AccountStatus{ID: account, Status: "ok"})
		}
		src := &report.Source{Bucket: fmt.Sprintf("bucket-%05d", i), Account: account, Region: "us-east-1"}
		for _, f := range templates[i%len(templates)].findings {
			f.Source = src
			r.Findings = append(r.Findings, f)
		}
	}
	r.Audit.Buckets = n + n/4
	r.Audit.BucketsWithReplication = n
	r.Audit.Rules = n
	return r, nil
}
