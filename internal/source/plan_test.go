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

const plans = "../../fixtures/plans"

func TestPlanYieldsSnapshotsWithOrigins(t *testing.T) {
	var got []*snapshot.Snapshot
	p := Plan{Path: filepath.Join(plans, "modules-twice", "plan.json"), Dir: filepath.Join(plans, "modules-twice")}
	if err := p.Snapshots(context.Background(), func(s *snapshot.Snapshot) error {
		got = append(got, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d snapshots, want 1", len(got))
	}
	s := got[0]
	loc, ok := s.Origins.Locations["module.destination.aws_s3_bucket_versioning.this"]
	if !ok || !strings.HasSuffix(loc.File, "modules-twice/modules/bucket/main.tf") || loc.Line != 14 {
		t.Errorf("location = %+v, %v", loc, ok)
	}
	if len(s.Accounts) == 0 || !s.Accounts[0].SCPs.IsAbsent() {
		t.Errorf("offline, every account has no organization policies: %+v", s.Accounts)
	}
}

func TestPlanErrorsNameTheFileAndPath(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(bad, []byte(`{"format_version": "1.2", "resource_changes": [{"address": 1}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{bad, bad + ": resource_changes[0].address: got a number, want a string"},
		{filepath.Join(dir, "none.json"), "cannot read plan " + filepath.Join(dir, "none.json")},
	} {
		err := Plan{Path: tc.file}.Snapshots(context.Background(), func(*snapshot.Snapshot) error {
			t.Fatal("yielded a snapshot despite the error")
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) || len(hint.Of(err)) == 0 {
			t.Errorf("error = %v (hints %q), want %q with a hint", err, hint.Of(err), tc.want)
		}
	}
}
