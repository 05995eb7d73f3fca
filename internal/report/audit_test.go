package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/checks"
)

// auditSample is an audit of two accounts: one read (two buckets, one
// with two rules), one that could not be read.
func auditSample() *Report {
	a := &Source{Bucket: "logs", Account: "111111111111", Region: "us-east-1"}
	b := &Source{Bucket: "photos", Account: "111111111111", Region: "eu-west-1"}
	acct := &Source{Account: "333333333333"}
	f := func(src *Source, reason string, status checks.Status, rule, dest, msg string, evidence ...string) Finding {
		return Finding{Source: src, Finding: checks.Finding{Reason: reason, Status: status, Rule: rule, Destination: dest, Message: msg, Evidence: evidence}}
	}
	findings := []Finding{
		f(a, "DstBucketUnversioned", checks.StatusFail, "archive", "arn:aws:s3:::logs-dr", "destination bucket logs-dr has versioning Suspended",
			"s3:GetBucketVersioning logs-dr -> Status=Suspended"),
		f(a, "AssumeRoleNotPermitted", checks.StatusPass, "archive", "arn:aws:s3:::logs-dr", "S3 can assume the role"),
		f(a, "ReplicationMetricsDisabled", checks.StatusWarn, "copy", "arn:aws:s3:::logs-copy", "rule copy has no replication metrics"),
		f(a, "SrcBucketInvalidRegion", checks.StatusSkip, "copy", "arn:aws:s3:::logs-copy", "Batch Replication was not requested (run with --batch)"),
		f(b, "DstBucketUnversioned", checks.StatusPass, "all", "arn:aws:s3:::photos-dr", "destination bucket photos-dr has versioning Enabled"),
		f(acct, "AccountNotReadable", checks.StatusUnknown, "", "", "account 333333333333 could not be read, so none of its buckets were checked: sts:AssumeRole: AccessDenied",
			"sts:AssumeRole in account 333333333333 -> AccessDenied"),
	}
	findings[0].Remediation = "aws s3api put-bucket-versioning --bucket logs-dr --versioning-configuration Status=Enabled"
	return &Report{
		Command:  "audit",
		Findings: findings,
		Checks:   checks.All,
		Version:  "v0.0.0-test",
		Audit: &Audit{Accounts: []AccountStatus{{ID: "111111111111", Status: "ok"}, {ID: "333333333333", Status: "error", Error: "sts:AssumeRole: AccessDenied"}},
			Buckets: 5, BucketsWithReplication: 2, Rules: 3},
	}
}

func TestAuditGolden(t *testing.T) {
	all := auditSample()
	all.ShowPass = true
	for _, tc := range []struct {
		name, format string
		report       *Report
	}{
		{"audit.txt.golden", "text", auditSample()},
		{"audit-show-pass.txt.golden", "text", all},
		{"audit.json.golden", "json", auditSample()},
		{"audit.sarif.golden", "sarif", auditSample()},
		{"audit.junit.golden", "junit", auditSample()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, render(t, tc.format, false, tc.report))
		})
	}
}

// TestAuditText: grouped by account, then bucket, then rule; pass and
// skip only with ShowPass; a summary across the accounts at the end.
func TestAuditText(t *testing.T) {
	out := string(render(t, "text", false, auditSample()))
	order := []string{"account 111111111111: 1 fail, 1 warn, 0 unknown", "  logs (us-east-1)", "    archive → arn:aws:s3:::logs-dr",
		"FAIL     DstBucketUnversioned", "    copy → arn:aws:s3:::logs-copy", "WARN     ReplicationMetricsDisabled",
		"account 333333333333: 0 fail, 0 warn, 1 unknown", "  UNKNOWN  AccountNotReadable"}
	at := 0
	for _, s := range order {
		i := strings.Index(out[at:], s)
		if i < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", s, out)
		}
		at += i
	}
	for _, hidden := range []string{"PASS", "SKIP", "photos"} {
		if strings.Contains(out, hidden) {
			t.Errorf("default audit text shows %q:\n%s", hidden, out)
		}
	}
	want := "replcheck: 2 accounts (1 not readable), 5 buckets, 2 with replication, 3 rules: 1 fail, 1 warn, 1 unknown (2 pass, 1 skip)\n" +
		"replcheck: --fail-on unknown decides exit code 1: 1 fail, 1 unknown (not counted: 1 warn)\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("audit text does not end with %q:\n%s", want, out)
	}
	r := auditSample()
	r.ShowPass = true
	all := string(render(t, "text", false, r))
	for _, s := range []string{"PASS     AssumeRoleNotPermitted", "SKIP     SrcBucketInvalidRegion", "  photos (eu-west-1)"} {
		if !strings.Contains(all, s) {
			t.Errorf("--show-pass text lacks %q:\n%s", s, all)
		}
	}
}

// TestAuditJSON: CLI.md's audit document: source null, every finding with
// its source, and the audit object.
func TestAuditJSON(t *testing.T) {
	var doc struct {
		Source   *Source `json:"source"`
		Findings []struct {
			Reason string  `json:"reason"`
			Source *Source `json:"source"`
		} `json:"findings"`
		Audit *Audit `json:"audit"`
	}
	data := render(t, "json", false, auditSample())
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Source != nil || !strings.Contains(string(data), `"source": null`) {
		t.Errorf("top-level source = %+v, want null", doc.Source)
	}
	for _, f := range doc.Findings {
		if f.Source == nil || f.Source.Account == "" {
			t.Errorf("%s has no source account", f.Reason)
		}
		if f.Reason == "AccountNotReadable" && (f.Source.Bucket != "" || f.Source.Account != "333333333333") {
			t.Errorf("AccountNotReadable source = %+v, want account 333333333333 and no bucket", f.Source)
		}
	}
	if doc.Audit == nil || len(doc.Audit.Accounts) != 2 || doc.Audit.Accounts[1].Error == "" || doc.Audit.Buckets != 5 {
		t.Errorf("audit = %+v", doc.Audit)
	}
}
