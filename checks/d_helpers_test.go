package checks

import (
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// goneTarget builds a one-rule target over sampled objects.
func goneTarget(t *testing.T, prefix string, objs ...snapshot.ObjectVersion) *Target {
	t.Helper()
	p := prefix
	snap := &snapshot.Snapshot{
		Source: snapshot.Bucket{Name: "src"},
		Replication: snapshot.KnownFact(snapshot.ReplicationConfiguration{
			Role:  "arn:aws:iam::111111111111:role/r",
			Rules: []snapshot.ReplicationRule{{ID: "r", Filter: &snapshot.ReplicationRuleFilter{Prefix: &p}, Status: "Enabled", Destination: snapshot.Destination{Bucket: "arn:aws:s3:::dst"}}},
		}),
		Objects: objs,
	}
	f, err := NewFacts(snap)
	if err != nil {
		t.Fatal(err)
	}
	return targets(f, Options{})[0]
}

func version(key, id string, exists snapshot.Fact[bool]) snapshot.ObjectVersion {
	return snapshot.ObjectVersion{Key: key, VersionID: id, Exists: exists}
}

var (
	found   = snapshot.KnownFact(true)
	missing = snapshot.KnownFact(false)
	unread  = snapshot.UnknownFact[bool](&snapshot.FactError{Operation: "s3:HeadObject", Code: "AccessDenied"})
)

// TestSourceGonePartition checks that each missing entry is reported by
// exactly one of SrcKeyNotFound, SrcVersionNotFound and SrcObjectNotFound,
// and that unread existence is never a pass.
func TestSourceGonePartition(t *testing.T) {
	marker := version("b", "dm", found)
	marker.IsDeleteMarker = true
	cases := []struct {
		name string
		objs []snapshot.ObjectVersion
		want [3]Status // key, version, object
	}{
		{"all found", []snapshot.ObjectVersion{version("a", "", found), version("b", "1", found)}, [3]Status{StatusPass, StatusPass, StatusPass}},
		{"key gone", []snapshot.ObjectVersion{version("a", "", missing)}, [3]Status{StatusFail, StatusSkip, StatusSkip}},
		{"version gone, key lives", []snapshot.ObjectVersion{version("b", "1", missing), version("b", "2", found)}, [3]Status{StatusSkip, StatusFail, StatusPass}},
		{"only a delete marker left", []snapshot.ObjectVersion{version("b", "1", missing), marker}, [3]Status{StatusSkip, StatusPass, StatusFail}},
		{"other version unread", []snapshot.ObjectVersion{version("b", "1", missing), version("b", "2", unread)}, [3]Status{StatusSkip, StatusUnknown, StatusUnknown}},
		{"key unread", []snapshot.ObjectVersion{version("a", "", unread)}, [3]Status{StatusUnknown, StatusSkip, StatusSkip}},
		{"never gathered", []snapshot.ObjectVersion{version("a", "1", snapshot.Fact[bool]{})}, [3]Status{StatusSkip, StatusUnknown, StatusUnknown}},
	}
	for _, c := range cases {
		tgt := goneTarget(t, "", c.objs...)
		for i, kind := range []goneKind{goneKey, goneVersion, goneObject} {
			if got := tgt.sourceGoneOutcome(kind); got.Status != c.want[i] {
				t.Errorf("%s: %s = %s (%s), want %s", c.name, goneText[kind].reason, got.Status, got.Message, c.want[i])
			}
		}
	}
}

func TestSampledInRuleKeepsThePrefix(t *testing.T) {
	tgt := goneTarget(t, "data/", version("data/a", "1", found), version("logs/b", "1", found))
	objs, o := tgt.sampledInRule()
	if o != nil || len(objs) != 1 || objs[0].Key != "data/a" {
		t.Fatalf("sampledInRule = %v, %v; want only data/a", objs, o)
	}
	tgt = goneTarget(t, "data/", version("logs/b", "1", missing))
	if _, o := tgt.sampledInRule(); o == nil || o.Status != StatusSkip {
		t.Fatalf("sampledInRule with nothing under the prefix = %v, want skip", o)
	}
}

func TestBatchJobSelects(t *testing.T) {
	for _, c := range []struct {
		statuses []string
		want     bool
	}{{nil, true}, {[]string{"NONE", "FAILED"}, false}, {[]string{"COMPLETED"}, true}} {
		if got := batchJobSelects(&snapshot.BatchJob{ReplicationStatuses: c.statuses}, "COMPLETED"); got != c.want {
			t.Errorf("batchJobSelects(%v, COMPLETED) = %v, want %v", c.statuses, got, c.want)
		}
	}
}

func TestOptInRegion(t *testing.T) {
	for region, want := range map[string]bool{"us-east-1": false, "ap-northeast-3": false, "af-south-1": true, "mx-central-1": true, "us-gov-west-1": false, "cn-north-1": false} {
		if got := optInRegion(region); got != want {
			t.Errorf("optInRegion(%s) = %v, want %v", region, got, want)
		}
	}
}

func TestFiltersOverlap(t *testing.T) {
	rule := func(prefix string, tags ...snapshot.Tag) *snapshot.ReplicationRule {
		return &snapshot.ReplicationRule{Filter: &snapshot.ReplicationRuleFilter{And: &snapshot.ReplicationRuleAndOperator{Prefix: &prefix, Tags: tags}}}
	}
	gold, silver, team := snapshot.Tag{Key: "tier", Value: "gold"}, snapshot.Tag{Key: "tier", Value: "silver"}, snapshot.Tag{Key: "team", Value: "x"}
	for _, c := range []struct {
		a, b *snapshot.ReplicationRule
		want bool
	}{
		{rule(""), rule("logs/"), true},
		{rule("logs/"), rule("data/"), false},
		{rule("", gold), rule("docs/", team), true},
		{rule("", gold), rule("", silver), false},
	} {
		if got := filtersOverlap(c.a, c.b); got != c.want {
			t.Errorf("filtersOverlap(%s, %s) = %v, want %v", describeFilter(c.a), describeFilter(c.b), got, c.want)
		}
	}
}
