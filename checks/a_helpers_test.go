package checks

import (
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// aTarget builds a target for rule over a source in us-east-1, account
// 111111111111, with the given keys and sampled objects.
func aTarget(t *testing.T, rule snapshot.ReplicationRule, keys []snapshot.KMSKey, objects []snapshot.ObjectVersion) *Target {
	t.Helper()
	s := &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		Source: snapshot.Bucket{
			Name:    "src",
			Account: snapshot.KnownFact("111111111111"),
			Region:  snapshot.KnownFact("us-east-1"),
		},
		Replication: snapshot.KnownFact(snapshot.ReplicationConfiguration{Role: "arn:aws:iam::111111111111:role/r", Rules: []snapshot.ReplicationRule{rule}}),
		KMSKeys:     keys,
		Objects:     objects,
	}
	f, err := NewFacts(s)
	if err != nil {
		t.Fatal(err)
	}
	ts := targets(f, Options{})
	if len(ts) != 1 {
		t.Fatalf("got %d targets, want 1", len(ts))
	}
	return ts[0]
}

func TestResolveSourceKey(t *testing.T) {
	const (
		own    = "arn:aws:kms:us-east-1:111111111111:key/1111"
		awsS3  = "arn:aws:kms:us-east-1:111111111111:key/2222"
		other  = "arn:aws:kms:us-east-1:999999999999:key/3333"
		region = "arn:aws:kms:eu-west-1:111111111111:key/4444"
	)
	keys := []snapshot.KMSKey{
		{ARN: other, Aliases: []string{"alias/aws/s3"}},
		{ARN: region, Aliases: []string{"arn:aws:kms:eu-west-1:111111111111:alias/aws/s3"}},
		{ARN: own, Aliases: []string{"arn:aws:kms:us-east-1:111111111111:alias/data"}},
		{ARN: awsS3, Aliases: []string{"arn:aws:kms:us-east-1:111111111111:alias/aws/s3"}},
	}
	tg := aTarget(t, snapshot.ReplicationRule{Status: "Enabled"}, keys, nil)
	for id, want := range map[string]string{
		"":                              awsS3, // the source account's aws/s3, not another account's or Region's
		"alias/aws/s3":                  awsS3,
		own:                             own,
		"1111":                          own, // bare key ID, resolved in the source account and Region
		"alias/data":                    own,
		"alias/missing":                 "",
		"arn:aws:kms:us-east-1:1:key/x": "",
	} {
		got := ""
		if k := tg.resolveSourceKey(id); k != nil {
			got = k.ARN
		}
		if got != want {
			t.Errorf("resolveSourceKey(%q) = %q, want %q", id, got, want)
		}
	}
}

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
