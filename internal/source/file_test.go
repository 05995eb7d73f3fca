package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/hint"
	"github.com/replcheck/replcheck/internal/snapshot"
)

const base = "../../fixtures/base/same-account.json"

// one returns the one snapshot f yields.
func one(t *testing.T, f File) *snapshot.Snapshot {
	t.Helper()
	var got []*snapshot.Snapshot
	if err := f.Snapshots(context.Background(), func(s *snapshot.Snapshot) error {
		got = append(got, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("yielded %d snapshots, want 1", len(got))
	}
	return got[0]
}

func TestFileAppliesConfigAndBatchRole(t *testing.T) {
	cfg := &snapshot.ReplicationConfiguration{Role: "arn:aws:iam::111111111111:role/other", Rules: []snapshot.ReplicationRule{
		{ID: "proposed", Status: "Enabled", Destination: snapshot.Destination{Bucket: "arn:aws:s3:::elsewhere"}},
	}}
	s := one(t, File{Path: base, Bucket: "src-bucket", Config: cfg, BatchRole: "arn:aws:iam::111111111111:role/batch"})
	if !s.Replication.IsKnown() || s.Replication.Value.Rules[0].ID != "proposed" {
		t.Errorf("the proposed configuration was not applied: %+v", s.Replication)
	}
	if s.Batch == nil || s.Batch.RoleARN != "arn:aws:iam::111111111111:role/batch" || s.Batch.Region != s.Source.Region.Value {
		t.Errorf("batch job = %+v, want the role in the source bucket's Region", s.Batch)
	}
	if plain := one(t, File{Path: base}); plain.Batch != nil || plain.Replication.Value.Rules[0].ID != "replicate-all" {
		t.Errorf("without options the snapshot must be as written: batch %+v", plain.Batch)
	}
}

func TestFileErrorsNameTheFileAndHint(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"schemaVersion": 1, "source": {"name": "b", "versioning": {"state": "maybe"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    File
		want string
	}{
		{"invalid field", File{Path: bad}, bad + `: source.versioning.state: "maybe" is not one of`},
		{"missing file", File{Path: filepath.Join(dir, "none.json")}, "cannot read snapshot " + filepath.Join(dir, "none.json") + ": no such file"},
		{"other bucket", File{Path: base, Bucket: "not-src"}, "--source not-src does not match the snapshot's source bucket src-bucket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f.Snapshots(context.Background(), func(*snapshot.Snapshot) error {
				t.Fatal("yielded a snapshot despite the error")
				return nil
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if len(hint.Of(err)) == 0 {
				t.Errorf("error %q has no hint", err)
			}
		})
	}
}

func TestLoadConfigHints(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "none.json"))
	if err == nil || len(hint.Of(err)) == 0 || !strings.Contains(err.Error(), "cannot read replication configuration") {
		t.Fatalf("LoadConfig of a missing file: %v, hints %q", err, hint.Of(err))
	}
}
