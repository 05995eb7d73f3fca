// Package e2e runs the replcheck binary end to end against moto, an AWS
// emulator, in two accounts: it builds each scenario's buckets, roles, keys
// and replication configuration, runs 'replcheck preflight --format json'
// and checks the exit code, the findings, and that the run only read.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replcheck/replcheck/internal/gather"
	"github.com/replcheck/replcheck/internal/motoserver"
)

var (
	// moto is the server every test resets and uses; nil when moto_server
	// is not installed.
	moto *motoserver.Server
	// motoErr says why moto is nil.
	motoErr error
	// binary is the replcheck binary built for this run.
	binary string
	// sources are the module's files the binary is built from.
	sources []string
	// trackOnce opens them once from within a test.
	trackOnce sync.Once
)

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "replcheck-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)

	// One build for every test; the tests run the binary as users do.
	binary = filepath.Join(dir, "replcheck")
	build := exec.Command("go", "build", "-o", binary, "github.com/replcheck/replcheck/cmd/replcheck")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build replcheck: %v\n", err)
		return 1
	}
	if sources, err = binarySources(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	moto, err = motoserver.Start(ctx, dir)
	cancel()
	switch {
	case errors.Is(err, motoserver.ErrMissing):
		moto, motoErr = nil, err // requireMoto skips, or fails in CI
	case err != nil:
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	default:
		defer moto.Stop()
	}
	return m.Run()
}

// binarySources lists the Go files of this module that the binary is
// built from, and go.mod and go.sum.
func binarySources() ([]string, error) {
	out, err := exec.Command("go", "list", "-deps", "-f",
		`{{if .Module}}{{if .Module.Main}}{{range .GoFiles}}{{$.Dir}}/{{.}}
{{end}}{{.Module.GoMod}}
{{end}}{{end}}`, "github.com/replcheck/replcheck/cmd/replcheck").Output()
	if err != nil {
		return nil, fmt.Errorf("go list the sources of replcheck: %w", err)
	}
	files := strings.Fields(string(out))
	for _, f := range files {
		if filepath.Base(f) == "go.mod" {
			files = append(files, filepath.Join(filepath.Dir(f), "go.sum"))
			break
		}
	}
	slices.Sort(files)
	return slices.Compact(files), nil
}

// trackSources opens the binary's sources from within a test, which is
// what makes 'go test' count them among the test's inputs: without it, a
// cached e2e result would survive a change to cmd/replcheck or checks,
// which the test binary does not import.
func trackSources() {
	trackOnce.Do(func() {
		for _, f := range sources {
			if fh, err := os.Open(f); err == nil {
				fh.Close()
			}
		}
	})
}

// requireMoto skips a test when moto is not installed, except in CI
// (CI=true), where a missing emulator fails the test instead of letting a
// green run hide it.
func requireMoto(t *testing.T) {
	t.Helper()
	trackSources()
	if moto != nil {
		return
	}
	if motoserver.Required() {
		t.Fatalf("CI=true and moto is missing: %v", motoErr)
	}
	t.Skipf("skipping: %v", motoErr)
}

// finding is one finding of the JSON output (CLI.md, schema version 1).
type finding struct {
	Reason      string   `json:"reason"`
	Aliases     []string `json:"aliases"`
	Status      string   `json:"status"`
	Rule        string   `json:"rule"`
	Destination string   `json:"destination"`
	Message     string   `json:"message"`
	Evidence    []string `json:"evidence"`
	Remediation string   `json:"remediation"`
}

// document is the JSON output (CLI.md, schema version 1).
type document struct {
	SchemaVersion int `json:"schemaVersion"`
	Source        struct {
		Bucket  string `json:"bucket"`
		Account string `json:"account"`
		Region  string `json:"region"`
	} `json:"source"`
	Findings []finding      `json:"findings"`
	Summary  map[string]int `json:"summary"`
}

// result is one run of the binary.
type result struct {
	args           []string
	code           int
	stdout, stderr string
	doc            *document      // the JSON report, when there is one
	calls          map[string]int // REPLCHECK_CALL_LOG
}

// exec runs the binary with a clean environment: static credentials for
// the source account, no profile, no instance metadata, HOME in a fresh
// directory (so no shared configuration), and REPLCHECK_CALL_LOG.
func (w *world) exec(args ...string) result {
	w.t.Helper()
	return w.execEnv(nil, args...)
}

// execEnv runs the binary like exec with env changed: each entry replaces
// or adds a variable, or, with an empty value, removes it.
func (w *world) execEnv(env map[string]string, args ...string) result {
	w.t.Helper()
	home := filepath.Join(w.dir, "home")
	w.must("mkdir HOME", os.MkdirAll(home, 0o755))
	callLog := filepath.Join(w.dir, "calls.json")
	_ = os.Remove(callLog)
	ctx, cancel := context.WithTimeout(w.ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	vars := map[string]string{
		"PATH":                      os.Getenv("PATH"),
		"HOME":                      home,
		"AWS_ACCESS_KEY_ID":         "test",
		"AWS_SECRET_ACCESS_KEY":     "test",
		"AWS_EC2_METADATA_DISABLED": "true",
		"REPLCHECK_CALL_LOG":        callLog,
	}
	maps.Copy(vars, env)
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		if vars[k] != "" {
			cmd.Env = append(cmd.Env, k+"="+vars[k])
		}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{args: args, stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		w.t.Fatalf("run replcheck %s: %v", strings.Join(args, " "), err)
	}
	if data, err := os.ReadFile(callLog); err == nil {
		if err := json.Unmarshal(data, &r.calls); err != nil {
			w.t.Fatalf("REPLCHECK_CALL_LOG is not JSON: %v\n%s", err, data)
		}
	}
	return r
}

// preflight runs 'replcheck preflight --format json' against endpoint and
// parses the report strictly: any field CLI.md does not define fails.
func (w *world) preflight(endpoint string, args ...string) result {
	w.t.Helper()
	return w.preflightEnv(nil, endpoint, args...)
}

// preflightEnv is preflight with env changed as execEnv does; without an
// endpoint it passes no --endpoint-url.
func (w *world) preflightEnv(env map[string]string, endpoint string, args ...string) result {
	w.t.Helper()
	if endpoint != "" {
		args = append([]string{"--endpoint-url", endpoint}, args...)
	}
	r := w.execEnv(env, append([]string{"preflight", "--format", "json"}, args...)...)
	if r.code == 0 || r.code == 1 || r.code == 3 {
		doc, err := decodeReport(r.stdout)
		if err != nil {
			w.t.Fatalf("replcheck %s: exit %d, the report is not CLI.md's JSON: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, err, r.stdout, r.stderr)
		}
		r.doc = doc
	}
	return r
}

// decodeReport parses a JSON report strictly: a field CLI.md does not
// define is an error, and so is anything after the document.
func decodeReport(stdout string) (*document, error) {
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON document")
	}
	return &doc, nil
}

// key is a finding's reason and status, as "Reason status".
func (f finding) key() string { return f.Reason + " " + f.Status }

// decided returns the findings that say something is wrong or undecided:
// fail, warn and unknown, as "Reason status", sorted, without duplicates
// (a check reports once per rule and destination).
func (r result) decided() []string {
	var out []string
	for _, f := range r.doc.Findings {
		if f.Status == "fail" || f.Status == "warn" || f.Status == "unknown" {
			out = append(out, f.key())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// status returns the status of every finding of reason.
func (r result) status(reason string) []string {
	var out []string
	for _, f := range r.doc.Findings {
		if f.Reason == reason {
			out = append(out, f.Status)
		}
	}
	return out
}

// total is how many AWS calls the run made, by its call log.
func (r result) total() int {
	n := 0
	for _, c := range r.calls {
		n += c
	}
	return n
}

// dump describes a run for failure messages: every finding that is not a
// pass or skip, with its message, and stderr.
func (r result) dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "replcheck %s\nexit %d\n", strings.Join(r.args, " "), r.code)
	if r.doc != nil {
		fmt.Fprintf(&b, "summary %v\n", r.doc.Summary)
		for _, f := range r.doc.Findings {
			if f.Status != "pass" && f.Status != "skip" {
				fmt.Fprintf(&b, "  %s %s: %s\n", f.Reason, f.Status, f.Message)
			}
		}
	}
	if r.stderr != "" {
		fmt.Fprintf(&b, "stderr:\n%s", r.stderr)
	}
	return b.String()
}

// preflightOps are the operations a preflight may call: reads of the
// facts the checks need, STS to learn accounts and reach the destination,
// and the IAM simulator.
var preflightOps = map[string]bool{
	"s3:HeadBucket": true, "s3:ListBuckets": true, "s3:GetBucketReplication": true,
	"s3:GetBucketVersioning": true, "s3:GetObjectLockConfiguration": true, "s3:GetBucketEncryption": true,
	"s3:GetBucketPolicy": true, "s3:GetBucketOwnershipControls": true, "s3:GetBucketRequestPayment": true,
	"s3:GetBucketLifecycleConfiguration": true,
	"s3:ListObjectVersions":              true, "s3:HeadObject": true, "s3:GetObjectTagging": true,
	"s3:GetBucketAcl": true, "s3:GetObjectAcl": true,
	"iam:GetRole": true, "iam:ListRolePolicies": true, "iam:GetRolePolicy": true,
	"iam:ListAttachedRolePolicies": true, "iam:GetPolicy": true, "iam:GetPolicyVersion": true,
	"iam:SimulatePrincipalPolicy": true,
	"kms:DescribeKey":             true, "kms:GetKeyPolicy": true,
	"sts:GetCallerIdentity": true, "sts:AssumeRole": true,
	"organizations:DescribeOrganization": true, "organizations:ListParents": true,
	"organizations:ListPoliciesForTarget": true, "organizations:DescribePolicy": true,
}

// checkCalls asserts that a run wrote its call log and only read: every
// operation passes gather.ReadOnly and is one a preflight uses.
func checkCalls(t *testing.T, r result) {
	t.Helper()
	if r.calls == nil {
		t.Fatalf("the run wrote no REPLCHECK_CALL_LOG\n%s", r.dump())
	}
	if len(r.calls) == 0 {
		t.Errorf("the call log is empty: the run called nothing\n%s", r.dump())
	}
	for _, op := range slices.Sorted(maps.Keys(r.calls)) {
		if !gather.ReadOnly(op) {
			t.Errorf("the run called %s (%d times), which gather.ReadOnly refuses", op, r.calls[op])
		}
		if !preflightOps[op] {
			t.Errorf("the run called %s (%d times), which no preflight needs", op, r.calls[op])
		}
	}
}
