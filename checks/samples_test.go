package checks

import (
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

func TestRuleSamplesAndTagContext(t *testing.T) {
	prefix := "logs/"
	rule := snapshot.ReplicationRule{Status: "Enabled", Filter: &snapshot.ReplicationRuleFilter{And: &snapshot.ReplicationRuleAndOperator{
		Prefix: &prefix, Tags: []snapshot.Tag{{Key: "replicate", Value: "true"}},
	}}}
	yes := map[string]string{"replicate": "true"}
	objects := []snapshot.ObjectVersion{
		{Key: "logs/a", Tags: yes},
		{Key: "logs/b", Tags: map[string]string{"replicate": "false"}},
		{Key: "other/c", Tags: yes},
		{Key: "logs/d", Tags: yes, IsDeleteMarker: true},
		{Key: "logs/e", Tags: yes, Exists: snapshot.KnownFact(false)},
		{Key: "logs/f", Tags: yes, Exists: snapshot.KnownFact(true)},
		{Key: "logs/g", TagsError: &snapshot.FactError{Operation: "s3:GetObjectTagging", Code: "AccessDenied"}},
	}
	tg := aTarget(t, rule, nil, objects)
	var got, gotMaybe []string
	selected, maybe := tg.ruleSamples()
	for _, o := range selected {
		got = append(got, o.Key)
	}
	for _, o := range maybe {
		gotMaybe = append(gotMaybe, o.Key)
	}
	if len(got) != 2 || got[0] != "logs/a" || got[1] != "logs/f" {
		t.Errorf("ruleSamples = %v, want [logs/a logs/f]", got)
	}
	if len(gotMaybe) != 1 || gotMaybe[0] != "logs/g" {
		t.Errorf("ruleSamples maybe = %v, want [logs/g] (its tags were not read)", gotMaybe)
	}
	ctx := tg.existingTagContext()
	if v := ctx["s3:ExistingObjectTag/replicate"]; len(v) != 1 || v[0] != "true" || len(ctx) != 1 {
		t.Errorf("existingTagContext = %v", ctx)
	}
	if ctx := aTarget(t, snapshot.ReplicationRule{Status: "Enabled"}, nil, nil).existingTagContext(); ctx != nil {
		t.Errorf("existingTagContext without tags = %v, want nil", ctx)
	}
}

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
