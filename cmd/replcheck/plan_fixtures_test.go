package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/strictjson"
)

// planExpectation is fixtures/plans/NAME/expect.json: what replcheck plan
// must report on the fixture's plan.json.
type planExpectation struct {
	Description string `json:"description"`
	// Args are extra command-line arguments.
	Args []string `json:"args,omitempty"`
	// Exit is the exit code.
	Exit int `json:"exit"`
	// Expect lists every fail, warn and unknown finding (pass and skip
	// entries assert near-misses); fail and unknown ones name their
	// address.
	Expect []planFinding `json:"expect"`
}

type planFinding struct {
	Reason      string        `json:"reason"`
	Status      checks.Status `json:"status"`
	Rule        string        `json:"rule,omitempty"`
	Destination string        `json:"destination,omitempty"`
	Address     string        `json:"address,omitempty"`
}

func (e planFinding) matches(f planFinding) bool {
	return e.Reason == f.Reason && e.Status == f.Status && (e.Rule == "" || e.Rule == f.Rule) &&
		(e.Destination == "" || e.Destination == f.Destination) && (e.Address == "" || e.Address == f.Address)
}

// TestPlanFixtures runs replcheck plan on every plan fixture and compares
// its findings and exit code with the fixture's expect.json: a missing and
// an unexpected fail, warn or unknown finding both fail, as does one
// without an address.
func TestPlanFixtures(t *testing.T) {
	files, err := filepath.Glob("../../fixtures/plans/*/expect.json")
	if err != nil || len(files) < 19 {
		t.Fatalf("want at least 19 plan fixtures, found %d (%v)", len(files), err)
	}
	for _, file := range files {
		dir := filepath.Dir(file)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want planExpectation
			if err := strictjson.Unmarshal(data, &want); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for i, e := range want.Expect {
				if checks.Lookup(e.Reason) == nil {
					t.Fatalf("%s: expect[%d].reason: no check reports %q", file, i, e.Reason)
				}
				if (e.Status == checks.StatusFail || e.Status == checks.StatusUnknown) && e.Address == "" {
					t.Fatalf("%s: expect[%d]: a %s finding must name its address", file, i, e.Status)
				}
			}
			var stdout, stderr bytes.Buffer
			args := append([]string{"replcheck", "plan", filepath.Join(dir, "plan.json"), "--format", "json"}, want.Args...)
			code := run(args, nil, &stdout, &stderr)
			if code != want.Exit {
				t.Errorf("exit code %d, want %d\n%s", code, want.Exit, stderr.String())
			}
			var got struct {
				Findings []planFinding `json:"findings"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s%s", err, stdout.String(), stderr.String())
			}
			matched := make([]bool, len(want.Expect))
			for _, f := range got.Findings {
				if f.Address == "" {
					t.Errorf("%s %s rule=%q has no address", f.Reason, f.Status, f.Rule)
				}
				hit := false
				for i, e := range want.Expect {
					if e.matches(f) {
						matched[i], hit = true, true
					}
				}
				if !hit && f.Status != checks.StatusPass && f.Status != checks.StatusSkip {
					t.Errorf("unexpected finding: %s", findingJSON(f))
				}
			}
			for i, ok := range matched {
				if !ok {
					t.Errorf("missing finding: %s", findingJSON(want.Expect[i]))
				}
			}
		})
	}
}

func findingJSON(f planFinding) string {
	b, _ := json.Marshal(f)
	return string(b)
}

// TestPlanFixturesCoverTheIssue makes sure the fixtures keep covering
// every exit code that matters.
func TestPlanFixturesCoverTheIssue(t *testing.T) {
	exits := map[int]bool{}
	files, _ := filepath.Glob("../../fixtures/plans/*/expect.json")
	var warns []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var e planExpectation
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatal(err)
		}
		exits[e.Exit] = true
		for _, f := range e.Expect {
			if f.Reason == checks.ReplicationBeforeVersioning.Reason {
				warns = append(warns, string(f.Status))
			}
		}
	}
	for _, code := range []int{0, 1, 3} {
		if !exits[code] {
			t.Errorf("no plan fixture exits %d", code)
		}
	}
	if !slices.Contains(warns, "warn") || !slices.Contains(warns, "pass") {
		t.Errorf("ReplicationBeforeVersioning needs a plan fixture that warns and one that passes, got %s", strings.Join(warns, ", "))
	}
}
