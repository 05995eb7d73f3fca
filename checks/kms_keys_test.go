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

func TestSplitKMSARN(t *testing.T) {
	for in, want := range map[string][4]string{
		"arn:aws:kms:us-west-2:222222222222:key/mrk-0c0c": {"us-west-2", "222222222222", "key/mrk-0c0c", "true"},
		"arn:aws:kms:us-west-2:222222222222:alias/a":      {"us-west-2", "222222222222", "alias/a", "true"},
		"alias/aws/s3":                         {"", "", "", "false"},
		"2b2b2b2b-2222-4222-8222-222222222222": {"", "", "", "false"},
		"arn:aws:s3:::bucket":                  {"", "", "", "false"},
	} {
		region, account, resource, ok := splitKMSARN(in)
		okStr := "false"
		if ok {
			okStr = "true"
		}
		if got := [4]string{region, account, resource, okStr}; got != want {
			t.Errorf("splitKMSARN(%q) = %v, want %v", in, got, want)
		}
	}
}
