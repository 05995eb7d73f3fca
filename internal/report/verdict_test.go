package report

import (
	"encoding/xml"
	"testing"

	"github.com/replcheck/replcheck/checks"
)

// findings builds findings with the given statuses; a status prefixed by
// "~" is waived.
func findings(statuses ...string) []Finding {
	var out []Finding
	for i, s := range statuses {
		f := Finding{Finding: checks.Finding{Reason: "DstBucketUnversioned", Rule: string(rune('a' + i))}}
		if s[0] == '~' {
			s = s[1:]
			f.Waived = &Waived{Justification: "j", Expires: "2099-01-01"}
		}
		f.Status = checks.Status(s)
		out = append(out, f)
	}
	return out
}

// TestDecide checks the exit code of each --fail-on level (CLI.md, Output
// flags) and the line that says what decided it.
func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		findings  []Finding
		threshold Threshold
		code      int
		line      string
	}{
		{findings("pass", "skip"), "", 0, "--fail-on unknown decides exit code 0: 0 fail, 0 unknown"},
		{findings("fail", "unknown", "warn"), FailOnUnknown, 1, "--fail-on unknown decides exit code 1: 1 fail, 1 unknown (not counted: 1 warn)"},
		{findings("unknown", "warn"), FailOnUnknown, 3, "--fail-on unknown decides exit code 3: 0 fail, 1 unknown (not counted: 1 warn)"},
		{findings("warn"), FailOnUnknown, 0, "--fail-on unknown decides exit code 0: 0 fail, 0 unknown (not counted: 1 warn)"},
		{findings("fail", "unknown"), FailOnFail, 1, "--fail-on fail decides exit code 1: 1 fail (not counted: 1 unknown)"},
		{findings("unknown", "warn"), FailOnFail, 0, "--fail-on fail decides exit code 0: 0 fail (not counted: 1 warn, 1 unknown)"},
		{findings("warn", "unknown"), FailOnWarn, 1, "--fail-on warn decides exit code 1: 0 fail, 1 warn, 1 unknown"},
		{findings("unknown", "pass"), FailOnWarn, 3, "--fail-on warn decides exit code 3: 0 fail, 0 warn, 1 unknown"},
		{findings("fail"), FailOnWarn, 1, "--fail-on warn decides exit code 1: 1 fail, 0 warn, 0 unknown"},
		{findings("pass"), FailOnWarn, 0, "--fail-on warn decides exit code 0: 0 fail, 0 warn, 0 unknown"},
		// Waived findings never count, at any level.
		{findings("~fail", "unknown"), FailOnUnknown, 3, "--fail-on unknown decides exit code 3: 0 fail, 1 unknown (not counted: 1 waived)"},
		{findings("~fail", "~unknown", "~warn"), FailOnWarn, 0, "--fail-on warn decides exit code 0: 0 fail, 0 warn, 0 unknown (not counted: 3 waived)"},
		{findings("~fail", "fail"), FailOnFail, 1, "--fail-on fail decides exit code 1: 1 fail (not counted: 1 waived)"},
	} {
		v := Decide(tc.findings, tc.threshold)
		if v.Code != tc.code || v.String() != tc.line {
			t.Errorf("Decide(%v, %q) = %d %q, want %d %q", tc.findings, tc.threshold, v.Code, v.String(), tc.code, tc.line)
		}
	}
}

func TestParseThreshold(t *testing.T) {
	for _, s := range []string{"fail", "unknown", "warn"} {
		if got, err := ParseThreshold(s); err != nil || string(got) != s {
			t.Errorf("ParseThreshold(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "pass", "skip", "FAIL", "error"} {
		if _, err := ParseThreshold(s); err == nil {
			t.Errorf("ParseThreshold(%q) accepted it", s)
		}
	}
}

// TestJUnitFollowsThreshold checks that JUnit's failures and errors are
// exactly the findings that count toward the exit code.
func TestJUnitFollowsThreshold(t *testing.T) {
	for _, tc := range []struct {
		threshold                 Threshold
		failures, errors, skipped int
	}{
		{FailOnUnknown, 1, 1, 2},
		{FailOnFail, 1, 0, 2},
		{FailOnWarn, 2, 1, 2},
	} {
		r := &Report{Source: &Source{Bucket: "b"}, FailOn: tc.threshold,
			Findings: findings("fail", "warn", "unknown", "~fail", "skip", "pass")}
		var doc junitSuites
		if err := xml.Unmarshal(render(t, "junit", false, r), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Tests != 6 || doc.Failures != tc.failures || doc.Errors != tc.errors || doc.Skipped != tc.skipped {
			t.Errorf("--fail-on %s: tests=%d failures=%d errors=%d skipped=%d, want 6 %d %d %d",
				tc.threshold, doc.Tests, doc.Failures, doc.Errors, doc.Skipped, tc.failures, tc.errors, tc.skipped)
		}
	}
}
