package checks

import (
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

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
