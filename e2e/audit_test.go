package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/replcheck/replcheck/internal/gather"
	"github.com/replcheck/replcheck/internal/motoserver"
)

// auditFinding is one finding of an audit's JSON (CLI.md): a finding with
// its source.
type auditFinding struct {
	finding
	Source *struct {
		Bucket  string `json:"bucket"`
		Account string `json:"account"`
		Region  string `json:"region"`
	} `json:"source"`
}

// auditDocument is an audit's JSON output (CLI.md, schema version 1).
type auditDocument struct {
	SchemaVersion int             `json:"schemaVersion"`
	Source        *struct{}       `json:"source"`
	Findings      []auditFinding  `json:"findings"`
	Summary       map[string]int  `json:"summary"`
	Audit         *auditCoverage  `json:"audit"`
	raw           json.RawMessage // the document as printed
}

type auditCoverage struct {
	Accounts []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Error  string `json:"error,omitempty"`
	} `json:"accounts"`
	Buckets                int `json:"buckets"`
	BucketsWithReplication int `json:"bucketsWithReplication"`
	Rules                  int `json:"rules"`
}

// audit runs 'replcheck audit --format json' against endpoint and parses
// the report strictly.
func (w *world) audit(endpoint string, args ...string) (result, *auditDocument) {
	w.t.Helper()
	r := w.execEnv(nil, append([]string{"audit", "--format", "json", "--endpoint-url", endpoint}, args...)...)
	if r.code != 0 && r.code != 1 && r.code != 3 {
		w.t.Fatalf("audit: exit %d\n%s", r.code, r.dump())
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	var doc auditDocument
	if err := dec.Decode(&doc); err != nil || dec.More() {
		w.t.Fatalf("audit: the report is not CLI.md's JSON: %v\n%s", errors.Join(err), r.stdout)
	}
	doc.raw = json.RawMessage(r.stdout)
	return r, &doc
}

// decidedByBucket groups the fail, warn and unknown findings by
// "account/bucket", as "Reason status", sorted, without duplicates.
func (d *auditDocument) decidedByBucket() map[string][]string {
	out := map[string][]string{}
	for _, f := range d.Findings {
		if f.Status == "fail" || f.Status == "warn" || f.Status == "unknown" {
			k := f.Source.Account + "/" + f.Source.Bucket
			out[k] = append(out[k], f.key())
		}
	}
	for k, v := range out {
		slices.Sort(v)
		out[k] = slices.Compact(v)
	}
	return out
}

// checkAudit asserts everything an audit of the audit world must say.
func checkAudit(t *testing.T, aw *auditWorld, r result, doc *auditDocument) {
	t.Helper()
	checkAuditOf(t, aw, func(string) bool { return true }, r, doc)
}

// checkAuditOf asserts everything an audit of the audit world must say
// when its filters keep only the source buckets ("account/bucket") that
// keep accepts: their findings exactly, none for the others, and counts
// of the kept buckets only. Every audited account is listed whatever the
// filters, and the unreadable one still adds its finding.
func checkAuditOf(t *testing.T, aw *auditWorld, keep func(bucket string) bool, r result, doc *auditDocument) {
	t.Helper()
	var buckets, withRepl, rules int
	code := 3 // the unreadable account's unknown
	for _, b := range aw.Plain {
		if keep(b) {
			buckets++
		}
	}
	for b, want := range aw.Want {
		if !keep(b) {
			continue
		}
		buckets++
		if n := aw.RuleCount[b]; n > 0 {
			withRepl, rules = withRepl+1, rules+n
		}
		if slices.ContainsFunc(want, func(f string) bool { return strings.HasSuffix(f, " fail") }) {
			code = 1
		}
	}
	if r.code != code {
		t.Errorf("exit %d, want %d", r.code, code)
	}
	if doc.Source != nil {
		t.Errorf("the top-level source is not null")
	}
	a := doc.Audit
	if a == nil {
		t.Fatal("no audit object")
	}
	status := map[string]string{}
	for _, acct := range a.Accounts {
		status[acct.ID] = acct.Status
		if acct.Status == "error" && !strings.Contains(acct.Error, "sts:AssumeRole") {
			t.Errorf("account %s error %q does not name sts:AssumeRole", acct.ID, acct.Error)
		}
	}
	if want := map[string]string{auditAccountA: "ok", auditAccountB: "ok", auditAccountC: "error", auditAccountD: "ok"}; !maps.Equal(status, want) {
		t.Errorf("accounts %v, want %v", status, want)
	}
	if a.Buckets != buckets || a.BucketsWithReplication != withRepl || a.Rules != rules {
		t.Errorf("buckets %d, with replication %d, rules %d; want %d, %d, %d", a.Buckets, a.BucketsWithReplication, a.Rules,
			buckets, withRepl, rules)
	}
	seen := map[string]bool{}
	for _, f := range doc.Findings {
		if f.Source == nil {
			t.Fatalf("%s %s has no source", f.Reason, f.Status)
		}
		k := f.Source.Account + "/" + f.Source.Bucket
		seen[k] = true
		if slices.Contains(aw.Plain, k) {
			t.Errorf("%s has no replication configuration but got %s %s", k, f.Reason, f.Status)
		}
		if f.Source.Bucket != "" && (f.Source.Region != home || f.Source.Account == "") {
			t.Errorf("%s: source %+v, want its account and Region", f.Reason, *f.Source)
		}
		if f.Source.Bucket != "" && !keep(k) {
			t.Errorf("%s: the filters drop it, yet it got %s %s", k, f.Reason, f.Status)
		}
		if k == auditAccountA+"/x-to-e" && f.Status == "unknown" && !strings.Contains(f.Message, "(needs ") {
			t.Errorf("x-to-e: %s unknown does not say which permission or credentials it needs: %s", f.Reason, f.Message)
		}
	}
	got := doc.decidedByBucket()
	for bucket, want := range aw.Want {
		if !keep(bucket) {
			continue
		}
		if !seen[bucket] {
			t.Errorf("%s has a replication configuration but no findings", bucket)
		}
		if !slices.Equal(got[bucket], want) {
			t.Errorf("%s: fail/warn/unknown findings\n got %q\nwant %q", bucket, got[bucket], want)
		}
	}
	if want := []string{"AccountNotReadable unknown"}; !slices.Equal(got[auditAccountC+"/"], want) {
		t.Errorf("account %s: findings %q, want %q", auditAccountC, got[auditAccountC+"/"], want)
	}
	n := 0
	for _, f := range doc.Findings {
		if f.Source.Account == auditAccountC {
			n++
		}
	}
	if n != 1 {
		t.Errorf("account %s has %d findings, want exactly one", auditAccountC, n)
	}
	for k := range got {
		if _, ok := aw.Want[k]; !ok && k != auditAccountC+"/" {
			t.Errorf("unexpected findings for %s: %q", k, got[k])
		}
	}
	for _, op := range slices.Sorted(maps.Keys(r.calls)) {
		if !gather.ReadOnly(op) {
			t.Errorf("the audit called %s, which gather.ReadOnly refuses", op)
		}
	}
}

// TestAudit audits four accounts: the base credentials' own, two through
// --assume-role-name, and one whose role cannot be assumed. Buckets of
// the base account replicate to a bucket of an audited account, read with
// that account's credentials, and to a bucket of an account that is not
// audited and cannot be read, whose facts are unknown.
func TestAudit(t *testing.T) {
	w := newWorld(t)
	aw := w.buildAuditWorld()
	if aw.Buckets < 50 {
		t.Fatalf("the world has %d buckets; the issue asks for at least 50", aw.Buckets)
	}
	// A proxy in front of the world's counts the sts:AssumeRole requests
	// into each account, those the world's proxy denies included.
	counter, err := motoserver.NewProxy(aw.Endpoint, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer counter.Close()
	var assumed sync.Map // account -> *atomic.Int64
	counter.Inject(motoserver.Injection{Match: func(r *http.Request) bool {
		if formValue(r, "Action") == "AssumeRole" {
			role, _ := arn.Parse(formValue(r, "RoleArn"))
			n, _ := assumed.LoadOrStore(role.AccountID, new(atomic.Int64))
			n.(*atomic.Int64).Add(1)
		}
		return false // counts, never answers
	}})
	r, doc := w.audit(counter.URL, aw.Args...)
	checkAudit(t, aw, r, doc)
	if r.stderr != "" {
		t.Errorf("stderr is not a terminal, yet the audit wrote to it:\n%s", r.stderr)
	}
	// The shared role is read once for the ten healthy buckets, multi,
	// and the two replicating to other accounts.
	if n := r.calls["iam:GetRole"]; n > 6 {
		t.Errorf("iam:GetRole called %d times for 6 roles", n)
	}
	// The audit role is assumed once in each audited account but the base
	// credentials' own, and tried once in E, the destination's account
	// that the rule names.
	for _, acct := range []string{auditAccountA, auditAccountB, auditAccountC, auditAccountD, auditAccountE} {
		want := int64(1)
		if acct == auditAccountA {
			want = 0
		}
		var got int64
		if n, ok := assumed.Load(acct); ok {
			got = n.(*atomic.Int64).Load()
		}
		if got != want {
			t.Errorf("sts:AssumeRole into %s: %d requests, want %d", acct, got, want)
		}
	}
	// x-to-e's destination owner is unknown because the role could not be
	// assumed in E, and the finding says so.
	for _, f := range doc.Findings {
		if f.Source.Bucket == "x-to-e" && f.Reason == "DstBucketNotFound" &&
			!strings.Contains(f.Message, "sts:AssumeRole on arn:aws:iam::"+auditAccountE+":role/"+auditRoleName) {
			t.Errorf("x-to-e: DstBucketNotFound does not say that the audit role could not be assumed in %s: %s", auditAccountE, f.Message)
		}
	}
	if t.Failed() {
		t.Logf("%s\n%s", r.dump(), doc.raw)
	}
}

// TestAuditFilters: --bucket and --bucket-region keep only some source
// buckets: only theirs are checked and counted, every audited account is
// still listed, and the unreadable account still reported.
func TestAuditFilters(t *testing.T) {
	w := newWorld(t)
	aw := w.buildAuditWorld()
	matches := func(globs ...string) func(string) bool {
		return func(key string) bool {
			_, name, _ := strings.Cut(key, "/")
			return slices.ContainsFunc(globs, func(g string) bool { ok, _ := path.Match(g, name); return ok })
		}
	}
	all := func(string) bool { return true }
	none := func(string) bool { return false }
	for _, tc := range []struct {
		name string
		args []string
		keep func(string) bool
		// fillRegion makes ListBuckets name each bucket's Region, as S3
		// does (moto does not: the audit asks HeadBucket).
		fillRegion bool
	}{
		{"bucket glob", []string{"--bucket", "broken-*"}, matches("broken-*"), false},
		{"bucket globs", []string{"--bucket", "broken-no-?ole", "--bucket", "d-*"}, matches("broken-no-?ole", "d-*"), false},
		{"no bucket in the Region", []string{"--bucket-region", away}, none, false},
		{"the world's Region among others", []string{"--bucket-region", "eu-west-1," + home}, all, false},
		{"no bucket in the Region, from the listing", []string{"--bucket-region", away}, none, true},
		{"the world's Region, from the listing", []string{"--bucket-region", home}, all, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fillRegion {
				aw.Proxy.FillBucketRegion(func(string) string { return home })
			}
			r, doc := w.audit(aw.Endpoint, append(slices.Clone(aw.Args), tc.args...)...)
			checkAuditOf(t, aw, tc.keep, r, doc)
			if n := r.calls["s3:GetBucketReplication"]; n > doc.Audit.Buckets {
				t.Errorf("s3:GetBucketReplication called %d times for %d buckets kept: the filters were applied after reading", n, doc.Audit.Buckets)
			}
			if t.Failed() {
				t.Logf("%s\n%s", r.dump(), doc.raw)
			}
		})
	}
}

// TestAuditThrottled: with 10 % of IAM and STS requests and 5 % of S3
// requests throttled, the audit's report is the same, byte for byte, as
// without: throttling is retried, never a finding, an unknown or an error.
func TestAuditThrottled(t *testing.T) {
	w := newWorld(t)
	aw := w.buildAuditWorld()
	clean, want := w.audit(aw.Endpoint, aw.Args...)
	checkAudit(t, aw, clean, want)
	for _, in := range []struct {
		service string
		every   int64
	}{{"iam", 10}, {"sts", 10}, {"s3", 20}} {
		aw.Proxy.Inject(throttleEvery(in.service, in.every))
	}
	before := aw.Proxy.Requests()
	r, got := w.audit(aw.Endpoint, aw.Args...)
	if r.stdout != clean.stdout {
		t.Errorf("the report under throttling differs from the report without:\n--- throttled\n%s\n--- clean\n%s", r.stdout, clean.stdout)
	}
	if r.code != clean.code || r.stderr != clean.stderr {
		t.Errorf("exit %d, stderr %q under throttling; want %d, %q", r.code, r.stderr, clean.code, clean.stderr)
	}
	if sent := aw.Proxy.Requests() - before; sent <= int64(r.total()) {
		t.Errorf("the proxy saw %d requests for %d calls: nothing was throttled", sent, r.total())
	}
	checkAudit(t, aw, r, got)
}

// TestAuditOrganization audits every ACTIVE account of an organization
// that moto holds: the management account (the base credentials') and
// two members, one of them suspended.
func TestAuditOrganization(t *testing.T) {
	w := newWorld(t)
	members := w.organization(2)
	w.suspendAccount(members[1])
	w.bucket("org-plain")
	w.bucket("m-dr", in(members[0], home), unversioned())
	w.bucket("m-src", in(members[0], home))
	role := w.role("m-replication", func(r *roleSpec) { r.account = members[0] }, inline(replicationPolicy("m-src", "m-dr")))
	w.putReplication(members[0], "m-src", role, "m-dr")
	w.bucket("suspended-src", in(members[1], home))

	r, doc := w.audit(w.endpoint, "--organization", "--assume-role-name", auditRoleName)
	if r.code != 1 {
		t.Errorf("exit %d, want 1\n%s", r.code, r.dump())
	}
	var ids []string
	for _, a := range doc.Audit.Accounts {
		ids = append(ids, a.ID)
		if a.Status != "ok" {
			t.Errorf("account %s: %s %s", a.ID, a.Status, a.Error)
		}
	}
	slices.Sort(ids)
	want := []string{members[0], auditAccountA}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("audited accounts %q, want the ACTIVE ones %q", ids, want)
	}
	if got := doc.decidedByBucket()[members[0]+"/m-src"]; !slices.Equal(got, []string{"DstBucketUnversioned fail"}) {
		t.Errorf("m-src findings %q, want DstBucketUnversioned fail", got)
	}
	if doc.Audit.Buckets != 3 || doc.Audit.BucketsWithReplication != 1 || doc.Audit.Rules != 1 {
		t.Errorf("audit counts %+v", *doc.Audit)
	}
	if r.calls["organizations:ListAccounts"] == 0 {
		t.Error("the accounts were not listed with organizations:ListAccounts")
	}
}

// TestAuditInterrupted: Ctrl-C (SIGINT) stops an audit cleanly: it writes
// the report of the buckets checked so far, as valid JSON, says on
// standard error how far it got, and exits 1 (failures among them) or 3.
func TestAuditInterrupted(t *testing.T) {
	w := newWorld(t)
	aw := w.buildAuditWorld()
	slow, err := motoserver.NewProxy(aw.Endpoint, 150*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	cmd := exec.Command(binary, append([]string{"audit", "--format", "json", "--concurrency", "2", "--endpoint-url", slow.URL}, aw.Args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + w.dir, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_EC2_METADATA_DISABLED=true"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the audit did not stop within 30 s of SIGINT")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || (ee.ExitCode() != 3 && ee.ExitCode() != 1) {
		t.Fatalf("exit %v, want 1 or 3\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "replcheck: error: interrupted: ") {
		t.Errorf("stderr does not say the audit was interrupted:\n%s", stderr.String())
	}
	var doc auditDocument
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("the interrupted audit's report is not CLI.md's JSON: %v\n%s", err, stdout.String())
	}
	if doc.Audit == nil || doc.Audit.Buckets >= aw.Buckets {
		t.Errorf("audit %+v: want fewer than the %d buckets checked", doc.Audit, aw.Buckets)
	}
	for _, f := range doc.Findings {
		if slices.Contains(aw.Plain, f.Source.Account+"/"+f.Source.Bucket) {
			t.Errorf("%s/%s has no replication configuration but got %s", f.Source.Account, f.Source.Bucket, f.Reason)
		}
	}
}
