package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/checks"
)

// greenfieldWith writes greenfield-correct's plan with the bucket
// argument of the resource at address referring to refs, as the plan of
// another expression would, and returns its path.
func greenfieldWith(t *testing.T, address string, refs []string) string {
	t.Helper()
	data, err := os.ReadFile("../../fixtures/plans/greenfield-correct/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	set := false
	for _, r := range doc["configuration"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any) {
		if res := r.(map[string]any); res["address"] == address {
			res["expressions"].(map[string]any)["bucket"] = map[string]any{"references": refs}
			set = true
		}
	}
	if !set {
		t.Fatalf("greenfield-correct has no %s", address)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestPlanVersioningNotTiedToItsBucket: when the plan cannot tell which
// bucket a versioning resource configures (bucket =
// trimprefix(aws_s3_bucket.destination.arn, ...) lists the same
// references as aws_s3_bucket.destination.arn), DstBucketUnversioned is
// unknown and the exit code 3, never the fail of an unversioned new
// bucket; the control, the fixture's own .id, still exits 0.
func TestPlanVersioningNotTiedToItsBucket(t *testing.T) {
	for _, tc := range []struct {
		refs   []string
		exit   int
		status checks.Status
	}{
		{[]string{"aws_s3_bucket.destination.id", "aws_s3_bucket.destination"}, 0, checks.StatusPass},
		{[]string{"aws_s3_bucket.destination.arn", "aws_s3_bucket.destination"}, 3, checks.StatusUnknown},
		{[]string{"local.destination_bucket"}, 3, checks.StatusUnknown},
	} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"replcheck", "plan", greenfieldWith(t, "aws_s3_bucket_versioning.destination", tc.refs), "--format", "json"}, nil, &stdout, &stderr)
		if code != tc.exit {
			t.Errorf("bucket refers to %s: exit %d, want %d\n%s", tc.refs[0], code, tc.exit, stderr.String())
		}
		var got struct {
			Findings []planFinding `json:"findings"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, stderr.String())
		}
		found := false
		for _, f := range got.Findings {
			if f.Reason == checks.DstBucketUnversioned.Reason {
				found = true
				if f.Status != tc.status || f.Address != "aws_s3_bucket_versioning.destination" {
					t.Errorf("bucket refers to %s: %s, want %s at aws_s3_bucket_versioning.destination", tc.refs[0], findingJSON(f), tc.status)
				}
			}
		}
		if !found {
			t.Errorf("bucket refers to %s: no DstBucketUnversioned finding", tc.refs[0])
		}
	}
}

// TestPlanReplicationNotTiedToItsBucket: a replication configuration
// whose bucket cannot be named gives no pass and no fail, exit 3.
func TestPlanReplicationNotTiedToItsBucket(t *testing.T) {
	file := greenfieldWith(t, "aws_s3_bucket_replication_configuration.this", []string{"aws_s3_bucket.source.arn", "aws_s3_bucket.source"})
	var stdout, stderr bytes.Buffer
	if code := run([]string{"replcheck", "plan", file, "--format", "json"}, nil, &stdout, &stderr); code != 3 {
		t.Errorf("exit %d, want 3\n%s", code, stderr.String())
	}
	var got struct {
		Findings []planFinding `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || len(got.Findings) == 0 {
		t.Fatalf("output: %v\n%s", err, stderr.String())
	}
	for _, f := range got.Findings {
		if f.Status == checks.StatusPass || f.Status == checks.StatusFail {
			t.Errorf("unexpected %s", findingJSON(f))
		}
	}
}

// TestPlanInputErrors: a plan with a wrong-typed attribute, or that is not
// JSON, is an input error (exit 2) naming the file and where.
func TestPlanInputErrors(t *testing.T) {
	dir := t.TempDir()
	const change = `{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket_replication_configuration.r", "mode": "managed",
 "type": "aws_s3_bucket_replication_configuration", "name": "r", "change": {"actions": ["create"], "after": %s}}]}`
	for _, tc := range []struct{ name, in, want string }{
		{"priority.json", strings.Replace(change, "%s", `{"bucket": "b", "role": "arn:aws:iam::111111111111:role/r", "rule": [{"priority": "high"}]}`, 1),
			`priority.json: resource_changes[0].change.after.rule[0].priority: got the string "high", want a whole number`},
		{"role.json", strings.Replace(change, "%s", `{"bucket": "b", "role": 12, "rule": []}`, 1),
			`role.json: resource_changes[0].change.after.role: got the number 12, want a string`},
		{"rule.json", strings.Replace(change, "%s", `{"bucket": "b", "rule": "oops"}`, 1),
			`rule.json: resource_changes[0].change.after.rule: got the string "oops", want an array of objects`},
		{"trunc.json", "{\"format_version\": \"1.2\",\n \"planned_values\": {",
			`trunc.json: not JSON: the input ends early, at line 2, column 21`},
	} {
		file := filepath.Join(dir, tc.name)
		if err := os.WriteFile(file, []byte(tc.in), 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := run([]string{"replcheck", "plan", file}, nil, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tc.want) || !strings.Contains(stderr.String(), "hint:") {
			t.Errorf("%s: exit %d, want 2 with %q and a hint\n%s", tc.name, code, tc.want, stderr.String())
		}
	}
}
