package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/hint"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// snapshots is a source of facts that yields fixed snapshots.
type snapshots []*snapshot.Snapshot

func (s snapshots) Snapshots(_ context.Context, yield func(*snapshot.Snapshot) error) error {
	for _, snap := range s {
		if err := yield(snap); err != nil {
			return err
		}
	}
	return nil
}

func load(t *testing.T, name string) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Load("../../fixtures/base/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOneSourceIsNamedOnce(t *testing.T) {
	r, err := Run(context.Background(), snapshots{load(t, "same-account.json")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Source == nil || r.Source.Bucket != "src-bucket" || r.Source.Account == "" {
		t.Fatalf("report source = %+v, want src-bucket with its account", r.Source)
	}
	if len(r.Findings) != checks.PerRule() {
		t.Errorf("%d findings for one rule, want one per check (%d)", len(r.Findings), checks.PerRule())
	}
	for _, f := range r.Findings {
		if f.Source != nil {
			t.Fatalf("finding %s names its source although the report has one", f.Reason)
		}
	}
}

func TestSeveralSourcesAreNamedPerFinding(t *testing.T) {
	other := load(t, "cross-account.json")
	other.Source.Name = "second-src"
	r, err := Run(context.Background(), snapshots{load(t, "same-account.json"), other}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != nil {
		t.Fatalf("report source = %+v, want nil for two source buckets", r.Source)
	}
	first, last := r.Findings[0], r.Findings[len(r.Findings)-1]
	if first.Source == nil || first.Source.Bucket != "src-bucket" || last.Source == nil || last.Source.Bucket != "second-src" {
		t.Errorf("findings name %+v … %+v, want src-bucket … second-src in yield order", first.Source, last.Source)
	}
	one, err := Run(context.Background(), snapshots{load(t, "same-account.json")}, Options{SourcePerFinding: true})
	if err != nil {
		t.Fatal(err)
	}
	if one.Source != nil || one.Findings[0].Source == nil {
		t.Error("SourcePerFinding must keep the source on every finding")
	}
}

func TestDestinationsMustBeReplicatedTo(t *testing.T) {
	_, err := Run(context.Background(), snapshots{load(t, "same-account.json")},
		Options{Checks: checks.Options{Destinations: []string{"not-a-destination"}}})
	if err == nil || !strings.Contains(err.Error(), "--destination not-a-destination matches no rule") {
		t.Fatalf("error = %v", err)
	}
	if h := hint.Of(err); len(h) == 0 || !strings.Contains(h[0], "dst-bucket") {
		t.Errorf("hint %q must list the destinations", h)
	}
}

func TestSourceErrorStopsTheRun(t *testing.T) {
	boom := errors.New("boom")
	_, err := Run(context.Background(), failing{boom}, Options{})
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want the source's", err)
	}
}

type failing struct{ err error }

func (f failing) Snapshots(context.Context, func(*snapshot.Snapshot) error) error { return f.err }
