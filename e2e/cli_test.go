package e2e

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestSnapshotThenOffline gathers a snapshot of a cross-account world with
// failures, KMS and sampled objects, then checks it offline: the findings
// are the same as a live preflight's, and the offline run calls nothing.
func TestSnapshotThenOffline(t *testing.T) {
	w := newWorld(t)
	args := w.build(pair{cross: true, src: []bucketOpt{defaultKMS(w.key())}, dst: []bucketOpt{suspended()}})
	w.object(srcBucket, "photos/cold.jpg", s3types.StorageClassGlacier)
	args = append(args, "--objects", "5")

	live := w.preflight(w.endpoint, args...)
	checkCalls(t, live)
	if live.code != 1 || live.doc == nil {
		t.Fatalf("live preflight: exit %d, want 1 with a report\n%s", live.code, live.dump())
	}

	snap := filepath.Join(w.dir, "snap.json")
	gathered := w.exec(append([]string{"snapshot", "--endpoint-url", w.endpoint, "--output", snap}, args...)...)
	if gathered.code != 0 {
		t.Fatalf("snapshot: exit %d\n%s", gathered.code, gathered.dump())
	}
	checkCalls(t, gathered)

	offline := w.exec("preflight", "--snapshot", snap, "--format", "json")
	if offline.code != live.code {
		t.Errorf("offline exit %d, live exit %d\n%s", offline.code, live.code, offline.dump())
	}
	if len(offline.calls) > 0 {
		t.Errorf("the offline preflight called AWS: %v", offline.calls)
	}
	off := parseReport(t, offline)
	if !reflect.DeepEqual(off.Findings, live.doc.Findings) {
		t.Errorf("offline findings differ from live ones\nlive:\n%s\noffline:\n%s", live.dump(), offline.dump())
	}
	if !reflect.DeepEqual(off.Summary, live.doc.Summary) || off.Source != live.doc.Source {
		t.Errorf("offline source/summary %v %v, live %v %v", off.Source, off.Summary, live.doc.Source, live.doc.Summary)
	}
	// The scenario's focus must be in both, so the comparison is not
	// between two empty reports.
	for _, k := range []string{"DstBucketUnversioned fail", "SrcObjectNotEligible fail", "KmsObjectsNotReplicated warn"} {
		if !strings.Contains(strings.Join(live.decided(), "\n"), k) {
			t.Errorf("live findings lack %q: %q", k, live.decided())
		}
	}
}

// parseReport parses a JSON report that exec (not preflight) produced.
func parseReport(t *testing.T, r result) *document {
	t.Helper()
	doc, err := decodeReport(r.stdout)
	if err != nil {
		t.Fatalf("report is not CLI.md's JSON: %v\n%s", err, r.dump())
	}
	return doc
}

// TestBadInput checks that input errors exit 2, print no report, hint at
// the fix, and call nothing.
func TestBadInput(t *testing.T) {
	w := newWorld(t)
	args := w.build(pair{})
	notJSON := filepath.Join(w.dir, "not-json.json")
	if err := os.WriteFile(notJSON, []byte("Role: arn:aws:iam::123456789012:role/replication\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		error string // in the error line
	}{
		{"nonexistent profile", []string{"--profile", "e2e-nowhere"}, "profile e2e-nowhere"},
		{"invalid destination role ARN", []string{"--destination-role", "role/replcheck-reader"}, "is not an IAM role ARN"},
		{"unreadable --config", []string{"--config", filepath.Join(w.dir, "missing.json")}, "cannot read replication configuration"},
		{"--config that is not JSON", []string{"--config", notJSON}, "not-json.json: invalid JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.exec(append(append([]string{"preflight", "--endpoint-url", w.endpoint, "--format", "json"}, args...), tc.args...)...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want no report", r.stdout)
			}
			if !strings.Contains(r.stderr, "replcheck: error: ") || !strings.Contains(r.stderr, tc.error) {
				t.Errorf("stderr lacks a 'replcheck: error:' line naming %q", tc.error)
			}
			if !strings.Contains(r.stderr, "\nreplcheck: hint: ") {
				t.Errorf("stderr lacks a 'replcheck: hint:' line")
			}
			if len(r.calls) > 0 {
				t.Errorf("an input error called AWS: %v", r.calls)
			}
			if t.Failed() {
				t.Log(r.dump())
			}
		})
	}
}
