package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/replcheck/replcheck/fixtures"
)

// checkRun is a command line that checks something, before its output
// flags, with the exit code each --fail-on level must give. The output
// acceptance tests run every one of them, over snapshot and plan fixtures.
type checkRun struct {
	name string
	// args writes what the run reads into dir and returns its command
	// line.
	args func(t *testing.T, dir string) []string
	// exit is the documented exit code per --fail-on level (CLI.md).
	exit map[string]int
	// stderr is what the run always writes to standard error.
	stderr string
}

// planNote is what every offline plan run says on standard error.
const planNote = "replcheck: note: organization policies (SCPs, RCPs) are not in a plan; they were taken to allow everything (--live reads them)\n"

// planFixture is a checkRun over a plan fixture of fixtures/plans:
// replcheck plan PLAN.
func planFixture(name string, failOnFail, failOnUnknown, failOnWarn int) checkRun {
	return checkRun{
		name: "plans/" + name,
		args: func(t *testing.T, dir string) []string {
			return []string{"plan", filepath.Join("../../fixtures/plans", name, "plan.json")}
		},
		exit:   map[string]int{"fail": failOnFail, "unknown": failOnUnknown, "warn": failOnWarn},
		stderr: planNote,
	}
}

// scenario is a checkRun over a fixture scenario, written out as a
// snapshot file: preflight --snapshot, with the scenario's options.
func scenario(file string, failOnFail, failOnUnknown, failOnWarn int) checkRun {
	return checkRun{
		name: file,
		args: func(t *testing.T, dir string) []string {
			t.Helper()
			sc, snap, err := fixtures.Load("../../fixtures", filepath.Join("../../fixtures", file))
			if err != nil {
				t.Fatal(err)
			}
			data, err := json.Marshal(snap)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "snap.json")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"preflight", "--snapshot", path}
			if sc.Options.Batch {
				args = append(args, "--batch")
			}
			for _, d := range sc.Options.Destinations {
				args = append(args, "--destination", d)
			}
			return args
		},
		exit: map[string]int{"fail": failOnFail, "unknown": failOnUnknown, "warn": failOnWarn},
	}
}

// checkRuns cover every combination that tells the --fail-on levels apart.
var checkRuns = []checkRun{
	scenario("DstBucketUnversioned/enabled.json", 0, 0, 0),                           // nothing to report
	scenario("DstBucketUnversioned/suspended.json", 1, 1, 1),                         // fail
	scenario("ReplicationMetricsDisabled/metrics-absent.json", 0, 0, 1),              // warn
	scenario("DstBucketUnversioned/access-denied.json", 0, 3, 3),                     // unknown
	scenario("DstObjectHardDeleted/presence-unread.json", 0, 3, 1),                   // warn and unknown
	scenario("InvalidReplicationTime/rtc-without-metrics.json", 1, 1, 1),             // fail and warn
	scenario("DstDelObjNotPermitted/v2-enabled-dst-policy-unreadable.json", 0, 3, 3), // unknowns of several reasons
	planFixture("greenfield-correct", 0, 0, 0),                                       // nothing to report
	planFixture("modules-twice", 1, 1, 1),                                            // fail
	planFixture("legacy-inline", 0, 0, 1),                                            // warn
	planFixture("sse-kms-new-replica-key", 0, 3, 3),                                  // unknown
	planFixture("brownfield-disable-key", 1, 1, 1),                                   // fail and unknown
}

// runCLI runs replcheck in process and returns its exit code, standard
// output and standard error.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"replcheck"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestFormatsInOneRun checks that the reports of one run are byte for
// byte the reports of separate runs, and that the exit code does not
// depend on the formats.
func TestFormatsInOneRun(t *testing.T) {
	for _, cr := range checkRuns {
		t.Run(cr.name, func(t *testing.T) {
			dir := t.TempDir()
			args := cr.args(t, dir)
			files := map[string]string{"json": "r.json", "sarif": "r.sarif", "junit": "r.xml"}
			one := append(append([]string{}, args...), "--format", "text")
			for _, f := range []string{"json", "sarif", "junit"} {
				one = append(one, "--format", f+"="+filepath.Join(dir, files[f]))
			}
			code, text, stderr := runCLI(t, one...)
			if code != cr.exit["unknown"] || stderr != cr.stderr {
				t.Fatalf("one run: exit %d, want %d; stderr %s", code, cr.exit["unknown"], stderr)
			}
			separate := map[string]string{"text": text}
			for f, file := range files {
				data, err := os.ReadFile(filepath.Join(dir, file))
				if err != nil {
					t.Fatal(err)
				}
				separate[f] = string(data)
			}
			for f, want := range separate {
				code, got, _ := runCLI(t, append(append([]string{}, args...), "--format", f)...)
				if code != cr.exit["unknown"] {
					t.Errorf("--format %s: exit %d, want %d", f, code, cr.exit["unknown"])
				}
				if got != want {
					t.Errorf("--format %s alone differs from the same report in one run with three others:\n%s\n---\n%s", f, got, want)
				}
			}
		})
	}
}

// TestFailOnLevels checks the exit code of every --fail-on level, and that
// the text summary names the level that decided it.
func TestFailOnLevels(t *testing.T) {
	for _, cr := range checkRuns {
		args := cr.args(t, t.TempDir())
		for _, level := range []string{"fail", "unknown", "warn"} {
			code, out, _ := runCLI(t, append(args, "--fail-on", level)...)
			if code != cr.exit[level] {
				t.Errorf("%s --fail-on %s: exit %d, want %d", cr.name, level, code, cr.exit[level])
			}
			if want := "replcheck: --fail-on " + level + " decides exit code "; !strings.Contains(out, want) {
				t.Errorf("%s --fail-on %s: the summary does not say %q:\n%s", cr.name, level, want, out)
			}
		}
		if code, _, _ := runCLI(t, args...); code != cr.exit["unknown"] {
			t.Errorf("%s: without --fail-on exit %d, want that of unknown, %d", cr.name, code, cr.exit["unknown"])
		}
	}
}

// jsonReport is the part of the JSON document the waiver tests read.
type jsonReport struct {
	Findings []struct {
		Reason, Status, Rule string
		Waived               *struct{ Justification, Expires string }
	}
	Summary struct{ Fail, Warn, Unknown, Waived int }
	Waivers *struct{ Expired, Unused []int }
}

// TestWaivers checks waivers that match, that have expired, that are
// unused, that are malformed, and that would only match another reason.
func TestWaivers(t *testing.T) {
	defer func(old func() time.Time) { today = old }(today)
	today = func() time.Time { return time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC) }
	const entry = "  - reason: %s\n    rule: %s\n    justification: %s\n    expires: %s\n"
	for _, tc := range []struct {
		name     string
		run      checkRun
		waivers  string
		exit     int
		waived   []string // reasons of the waived findings
		expired  []int
		unused   []int
		stderr   []string
		noReport bool
	}{
		{
			name: "matches", run: checkRuns[1],
			waivers: "waivers:\n" + fmt.Sprintf(entry, "DstBucketUnversioned", "replicate-all", "versioning is being enabled by change 42", "2026-06-15"),
			exit:    0, waived: []string{"DstBucketUnversioned"}, expired: []int{}, unused: []int{},
		},
		{
			name: "alias matches", run: checkRuns[6],
			waivers: "waivers:\n" + fmt.Sprintf(entry, "DstPutObjectNotPermitted", "'*'", "the destination team grants it", "2030-01-01"),
			exit:    3, waived: []string{"DstPutObjNotPermitted"}, expired: []int{}, unused: []int{},
		},
		{
			name: "expired", run: checkRuns[1],
			waivers: "waivers:\n" + fmt.Sprintf(entry, "DstBucketUnversioned", "replicate-all", "was being fixed", "2026-06-14"),
			exit:    1, expired: []int{0}, unused: []int{},
			stderr: []string{"replcheck: warning: W: waivers[0] (DstBucketUnversioned) expired on 2026-06-14 and no longer applies"},
		},
		{
			name: "unused", run: checkRuns[0],
			waivers: "waivers:\n" + fmt.Sprintf(entry, "DstBucketUnversioned", "replicate-all", "no longer needed", "2030-01-01"),
			exit:    0, expired: []int{}, unused: []int{0},
			stderr: []string{"replcheck: warning: W: waivers[0] (DstBucketUnversioned) matched no fail, warn or unknown finding"},
		},
		{
			name: "another reason does not apply", run: checkRuns[1],
			waivers: "waivers:\n" + fmt.Sprintf(entry, "DstBucketNotFound", "replicate-all", "a different finding", "2030-01-01"),
			exit:    1, expired: []int{}, unused: []int{0},
			stderr: []string{"replcheck: warning: W: waivers[0] (DstBucketNotFound) matched no fail, warn or unknown finding"},
		},
		{
			name: "matches in a plan", run: checkRuns[8],
			waivers: "waivers:\n" + fmt.Sprintf(entry, "DstBucketUnversioned", "everything", "the module's versioning is fixed in change 7", "2026-07-01"),
			exit:    0, waived: []string{"DstBucketUnversioned"}, expired: []int{}, unused: []int{},
		},
		{
			name: "another reason does not apply in a plan", run: checkRuns[8],
			waivers: "waivers:\n" + fmt.Sprintf(entry, "DstKmsKeyInvalidState", "everything", "a different finding", "2030-01-01"),
			exit:    1, expired: []int{}, unused: []int{0},
			stderr: []string{"replcheck: warning: W: waivers[0] (DstKmsKeyInvalidState) matched no fail, warn or unknown finding"},
		},
		{
			name: "malformed", run: checkRuns[1],
			waivers: "waivers:\n" + fmt.Sprintf(entry, "DstBucketUnversioned", "replicate-all", "j", "2030-01-01") +
				"  - reason: DstBucketUnversioned\n    bucktet: src-*\n    justification: j\n    expires: 2030-01-01\n",
			exit: 2, noReport: true,
			stderr: []string{
				"replcheck: error: W: waivers[1].bucktet: unknown field (did you mean bucket?); the fields are reason, bucket, destination, rule, account, justification, expires (line 7)",
				"replcheck: hint: a waiver has reason, justification and expires (YYYY-MM-DD)",
			},
		},
		{
			name: "malformed date", run: checkRuns[1],
			waivers: "waivers:\n" + fmt.Sprintf(entry, "DstBucketUnversioned", "replicate-all", "j", "31/03/2027"),
			exit:    2, noReport: true,
			stderr: []string{`replcheck: error: W: waivers[0].expires: "31/03/2027" is not a date in the form YYYY-MM-DD (line 5)`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			w := filepath.Join(dir, "w.yaml")
			if err := os.WriteFile(w, []byte(tc.waivers), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "r.json")
			code, stdout, stderr := runCLI(t, append(tc.run.args(t, dir), "--waivers", w, "--format", "json="+out, "--format", "text")...)
			stderr = strings.Replace(strings.ReplaceAll(stderr, w, "W"), tc.run.stderr, "", 1)
			if code != tc.exit {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.exit, stdout, stderr)
			}
			for _, line := range tc.stderr {
				if !strings.Contains(stderr, line) {
					t.Errorf("standard error lacks %q:\n%s", line, stderr)
				}
			}
			if tc.noReport {
				if _, err := os.Stat(out); err == nil || stdout != "" {
					t.Errorf("a malformed waivers file still wrote a report:\n%s", stdout)
				}
				return
			}
			if len(tc.stderr) == 0 && stderr != "" {
				t.Errorf("unexpected standard error:\n%s", stderr)
			}
			var doc jsonReport
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			var waived []string
			for _, f := range doc.Findings {
				if f.Waived != nil {
					waived = append(waived, f.Reason)
					if f.Status == "pass" || f.Status == "skip" || f.Waived.Justification == "" || f.Waived.Expires == "" {
						t.Errorf("waived finding %+v", f)
					}
				}
			}
			if strings.Join(waived, ",") != strings.Join(tc.waived, ",") || doc.Summary.Waived != len(tc.waived) {
				t.Errorf("waived %v (summary.waived %d), want %v", waived, doc.Summary.Waived, tc.waived)
			}
			if doc.Waivers == nil || !slices.Equal(doc.Waivers.Expired, tc.expired) || !slices.Equal(doc.Waivers.Unused, tc.unused) {
				t.Errorf("waivers %+v, want expired %v unused %v", doc.Waivers, tc.expired, tc.unused)
			}
			if len(tc.waived) > 0 && !strings.Contains(stdout, "waived until ") {
				t.Errorf("the text report does not mark the waived finding:\n%s", stdout)
			}
		})
	}
}
