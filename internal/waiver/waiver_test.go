package waiver

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/hint"
	"github.com/replcheck/replcheck/internal/report"
)

func mustParse(t *testing.T, yaml string) *File {
	t.Helper()
	f, err := Parse("w.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestParse(t *testing.T) {
	f := mustParse(t, `# the example of CLI.md
waivers:
  - reason: DstPutTaggingNotPermitted     # reason or alias; required
    bucket: "logs-*"
    destination: "arn:aws:s3:::dr-*"
    rule: "archive"
    account: "111122223333"
    justification: "tags are not replicated by design"
    expires: 2027-03-31
  - reason: dstputobjectnotpermitted
    account: 011122223333
    justification: >
      folded text
    expires: "2026-01-01"
`)
	want := []Waiver{
		{Reason: "DstPutTaggingNotPermitted", Check: checks.DstPutTaggingNotPermitted, Bucket: "logs-*", Destination: "arn:aws:s3:::dr-*",
			Rule: "archive", Account: "111122223333", Justification: "tags are not replicated by design",
			Expires: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)},
		{Reason: "dstputobjectnotpermitted", Check: checks.DstPutObjNotPermitted, Account: "011122223333", Justification: "folded text",
			Expires: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	if !reflect.DeepEqual(f.Waivers, want) {
		t.Errorf("parsed %+v\nwant %+v", f.Waivers, want)
	}
	for _, empty := range []string{"", "# nothing yet\n", "waivers:\n", "waivers: []\n", "~\n"} {
		if f := mustParse(t, empty); len(f.Waivers) != 0 {
			t.Errorf("%q: %d waivers", empty, len(f.Waivers))
		}
	}
}

// TestParseErrors checks that every malformed file is an error naming the
// file, the entry and the field.
func TestParseErrors(t *testing.T) {
	const ok = "    justification: j\n    expires: 2027-01-01\n"
	for _, tc := range []struct{ yaml, want string }{
		{"waivers:\n  - reason: DstBucketUnversioned\n    bukcet: a\n" + ok,
			"w.yaml: waivers[0].bukcet: unknown field (did you mean bucket?); the fields are reason, bucket, destination, rule, account, justification, expires (line 3)"},
		{"waivers:\n  - reason: DstBucketUnversioned\n" + ok + "  - reason: DstBucketUnversioned\n    justifcation: j\n    expires: 2027-01-01\n",
			"w.yaml: waivers[1].justifcation: unknown field (did you mean justification?)"},
		{"waiver:\n  - reason: DstBucketUnversioned\n", "w.yaml: waiver: unknown field (did you mean waivers?)"},
		{"waivers:\n  - bucket: a\n" + ok, "w.yaml: waivers[0].reason: is required (line 2)"},
		{"waivers:\n  - reason: DstBucketUnversioned\n    expires: 2027-01-01\n", "w.yaml: waivers[0].justification: is required"},
		{"waivers:\n  - reason: DstBucketUnversioned\n    justification: j\n", "w.yaml: waivers[0].expires: is required"},
		{"waivers:\n  - reason: DstBucketUnversioned\n    justification: '  '\n    expires: 2027-01-01\n", "w.yaml: waivers[0].justification: is empty"},
		{"waivers:\n  - reason: DstBucketUnversioned\n    justification: j\n    expires: 2027-02-30\n",
			`w.yaml: waivers[0].expires: "2027-02-30" is not a date in the form YYYY-MM-DD (line 4)`},
		{"waivers:\n  - reason: DstBucketUnversioned\n    justification: j\n    expires: 2027-01-01T00:00:00Z\n", `waivers[0].expires: "2027-01-01T00:00:00Z" is not a date`},
		{"waivers:\n  - reason: DstBucketUnversioned\n    account: 1234\n" + ok, `w.yaml: waivers[0].account: "1234" is not a 12-digit AWS account ID`},
		{"waivers:\n  - reason: DstBucketUnversoned\n" + ok, `w.yaml: waivers[0].reason: "DstBucketUnversoned" is not a failure reason replcheck checks (did you mean DstBucketUnversioned?)`},
		{"waivers:\n  - reason: DstBucketUnversioned\n    rule: [a, b]\n" + ok, "w.yaml: waivers[0].rule: want a value, got a list"},
		{"waivers:\n  - reason: DstBucketUnversioned\n    rule:\n" + ok, "w.yaml: waivers[0].rule: want a value, got nothing"},
		{"waivers:\n  - reason: DstBucketUnversioned\n    reason: DstBucketUnversioned\n" + ok, "w.yaml: waivers[0].reason: appears twice"},
		{"waivers:\n  - DstBucketUnversioned\n", `w.yaml: waivers[0]: want a mapping of fields, got "DstBucketUnversioned"`},
		{"waivers: DstBucketUnversioned\n", `w.yaml: waivers: want a list of waivers, got "DstBucketUnversioned"`},
		{"- reason: x\n", "w.yaml: want a mapping of fields, got a list"},
		{"x: &a\n  reason: DstBucketUnversioned\nwaivers:\n  - *a\n", "w.yaml: x: unknown field"},
		{"waivers:\n  - *a\n", "w.yaml: invalid YAML"},
		{"waivers: [\n", "w.yaml: invalid YAML"},
	} {
		_, err := Parse("w.yaml", []byte(tc.yaml))
		var we *Error
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &we) {
			t.Errorf("%q: error = %v, want %q", tc.yaml, err, tc.want)
		}
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if f, err := Open(""); f != nil || err != nil {
		t.Fatalf("without a file: %v, %v", f, err)
	}
	if err := os.WriteFile(DefaultFile, []byte("waivers:\n  - reason: DstBucketUnversioned\n    justification: j\n    expires: 2027-01-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if f, err := Open(""); err != nil || f.Path != DefaultFile || len(f.Waivers) != 1 {
		t.Fatalf("default file: %+v, %v", f, err)
	}
	_, err := Open(filepath.Join(dir, "none.yaml"))
	if err == nil || !strings.Contains(err.Error(), "cannot read waivers file "+filepath.Join(dir, "none.yaml")+": no such file") || len(hint.Of(err)) == 0 {
		t.Errorf("missing --waivers file: %v (hints %v)", err, hint.Of(err))
	}
	if err := os.WriteFile("bad.yaml", []byte("waivers:\n  - reason: DstBucketUnversioned\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open("bad.yaml"); err == nil || len(hint.Of(err)) == 0 {
		t.Errorf("malformed file: %v, hints %v", err, hint.Of(err))
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"logs-*", "logs-2024", true},
		{"logs-*", "logs-", true},
		{"logs-*", "xlogs-1", false},
		{"*", "", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"arn:aws:s3:::dr-*", "arn:aws:s3:::dr-eu", true},
		{"arn:aws:s3:::dr-*", "arn:aws:s3:::prod", false},
		{"rules/*/x", "rules/a/b/x", true},
		{"*a*b", "xxaybyb", true},
		{"*a*b", "xxaybyc", false},
		{"[ab]", "a", false}, // no character classes: [ is literal
		{"[ab]", "[ab]", true},
		{"ünï*", "ünïcode", true},
	} {
		if got := glob(tc.pattern, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// finding is a finding of reason with status about rule and destination.
func finding(reason string, status checks.Status, rule, dst string) report.Finding {
	c := checks.Lookup(reason)
	f := report.Finding{Finding: checks.Finding{Reason: reason, Status: status, Rule: rule, Destination: dst}}
	if c != nil {
		f.Aliases = c.Aliases
	}
	return f
}

var day = time.Date(2026, 6, 15, 23, 30, 0, 0, time.UTC)

// TestApply covers waivers that match, that have expired, that are
// unused, and that would only match another reason.
func TestApply(t *testing.T) {
	f := mustParse(t, `waivers:
  - reason: DstPutTaggingNotPermitted                 # 0: matches the warn on logs-a
    bucket: "logs-*"
    justification: tags are not replicated by design
    expires: 2026-06-15                               # today: still applies
  - reason: DstBucketUnversioned                      # 1: expired yesterday
    justification: old
    expires: 2026-06-14
  - reason: DstPutObjectNotPermitted                  # 2: the alias matches DstPutObjNotPermitted
    destination: "arn:aws:s3:::dr-*"
    rule: archive
    account: "111122223333"
    justification: accepted risk
    expires: 2099-12-31
  - reason: DstPutAclNotPermitted                     # 3: same bucket, rule and destination, other reason: unused
    justification: would hide another finding
    expires: 2099-12-31
  - reason: AssumeRoleNotPermitted                    # 4: matches only a pass: unused
    justification: fixed long ago
    expires: 2099-12-31
  - reason: DstPutTaggingNotPermitted                 # 5: matches the finding waiver 0 took first: used
    justification: duplicate
    expires: 2099-12-31
`)
	r := &report.Report{
		Source: &report.Source{Bucket: "logs-a", Account: "111122223333"},
		Findings: []report.Finding{
			finding("DstPutTaggingNotPermitted", checks.StatusWarn, "archive", "arn:aws:s3:::dr-eu"),
			finding("DstBucketUnversioned", checks.StatusFail, "archive", "arn:aws:s3:::dr-eu"),
			finding("DstPutObjNotPermitted", checks.StatusUnknown, "archive", "arn:aws:s3:::dr-eu"),
			finding("DstPutObjNotPermitted", checks.StatusFail, "archive", "arn:aws:s3:::prod"),
			finding("DstPutObjNotPermitted", checks.StatusFail, "other", "arn:aws:s3:::dr-eu"),
			finding("AssumeRoleNotPermitted", checks.StatusPass, "archive", "arn:aws:s3:::dr-eu"),
			finding("DstBucketNotFound", checks.StatusSkip, "archive", "arn:aws:s3:::dr-eu"),
		},
	}
	f.Apply(r, day)
	wantWaived := []string{"tags are not replicated by design", "", "accepted risk", "", "", "", ""}
	for i, fd := range r.Findings {
		got := ""
		if fd.Waived != nil {
			got = fd.Waived.Justification
		}
		if got != wantWaived[i] {
			t.Errorf("finding %d (%s %s %s %s): waived %q, want %q", i, fd.Reason, fd.Status, fd.Rule, fd.Destination, got, wantWaived[i])
		}
	}
	if r.Findings[0].Status != checks.StatusWarn || r.Findings[0].Waived.Expires != "2026-06-15" {
		t.Errorf("a waived finding keeps its status and gains the expiry: %+v", r.Findings[0])
	}
	want := &report.WaiverUse{File: "w.yaml", Expired: []int{1}, Unused: []int{3, 4}}
	if !reflect.DeepEqual(r.Waivers, want) {
		t.Errorf("waivers use %+v, want %+v", r.Waivers, want)
	}
	notices := f.Notices(r.Waivers)
	wantNotices := []string{
		"w.yaml: waivers[1] (DstBucketUnversioned) expired on 2026-06-14 and no longer applies",
		"w.yaml: waivers[3] (DstPutAclNotPermitted) matched no fail, warn or unknown finding",
		"w.yaml: waivers[4] (AssumeRoleNotPermitted) matched no fail, warn or unknown finding",
	}
	if !reflect.DeepEqual(notices, wantNotices) {
		t.Errorf("notices %q\nwant %q", notices, wantNotices)
	}
	if v := report.Decide(r.Findings, report.FailOnUnknown); v.Code != report.ExitFail || v.Waived != 2 {
		t.Errorf("verdict %+v: the unwaived failures still fail", v)
	}
}

// TestApplyPerFindingSource checks that bucket and account globs read each
// finding's own source when the report covers several (an audit).
func TestApplyPerFindingSource(t *testing.T) {
	f := mustParse(t, "waivers:\n  - reason: DstBucketUnversioned\n    bucket: 'b?'\n    account: '222222222222'\n    justification: j\n    expires: 2099-01-01\n")
	mk := func(bucket, account string) report.Finding {
		fd := finding("DstBucketUnversioned", checks.StatusFail, "r", "arn:aws:s3:::d")
		fd.Source = &report.Source{Bucket: bucket, Account: account}
		return fd
	}
	r := &report.Report{Findings: []report.Finding{mk("b1", "222222222222"), mk("b1", "111111111111"), mk("c1", "222222222222"), mk("b10", "222222222222")}}
	f.Apply(r, day)
	for i, want := range []bool{true, false, false, false} {
		if got := r.Findings[i].Waived != nil; got != want {
			t.Errorf("finding %d (%s in %s): waived %v, want %v", i, r.Findings[i].Source.Bucket, r.Findings[i].Source.Account, got, want)
		}
	}
}

// TestExpiryIsUTC checks that a waiver lasts to the end of its day in UTC,
// whatever the time zone of "now".
func TestExpiryIsUTC(t *testing.T) {
	w := Waiver{Expires: time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)}
	tokyo := time.FixedZone("JST", 9*3600)
	for _, tc := range []struct {
		now     time.Time
		expired bool
	}{
		{time.Date(2026, 6, 15, 23, 59, 59, 0, time.UTC), false},
		{time.Date(2026, 6, 16, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 6, 16, 8, 0, 0, 0, tokyo), false}, // 2026-06-15 23:00 UTC
		{time.Date(2026, 6, 16, 9, 0, 0, 0, tokyo), true},  // 2026-06-16 00:00 UTC
	} {
		if got := w.expired(tc.now); got != tc.expired {
			t.Errorf("expired at %v = %v, want %v", tc.now, got, tc.expired)
		}
	}
}
