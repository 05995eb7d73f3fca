package checks

import (
	"slices"
	"testing"
)

// TestEveryLiveCheckHasAGroup keeps liveGroups complete and free of
// reasons that no live check reports.
func TestEveryLiveCheckHasAGroup(t *testing.T) {
	live := map[string]bool{}
	for _, c := range All {
		if c.Scope != ScopeLive {
			continue
		}
		live[c.Reason] = true
		if _, ok := liveGroups[c.Reason]; !ok {
			t.Errorf("%s: live check without a group in liveGroups", c.Reason)
		}
	}
	for reason := range liveGroups {
		if !live[reason] {
			t.Errorf("liveGroups lists %s, which is not a live check", reason)
		}
	}
}

// TestGroups checks the classification where it follows from a check's
// scope or its kind, and that every group has checks.
func TestGroups(t *testing.T) {
	for _, tc := range []struct {
		check *Check
		want  Group
	}{
		{InitiateReplicationNotPermitted, GroupBatch},
		{SrcObjectNotEligible, GroupObject},
		{SrcGetTaggingNotPermitted, GroupSourceReads},
		{DstMultipartInitNotPermitted, GroupDestinationWrites},
		{ReplicaKmsKeyWrongRegion, GroupKMS},
		{DstBucketUnversioned, GroupConfiguration},
		{InvalidRuleSchema, GroupConfiguration},
		{AccountNotReadable, GroupConfiguration},
	} {
		if got := tc.check.Group(); got != tc.want {
			t.Errorf("%s: group %q, want %q", tc.check.Reason, got, tc.want)
		}
	}
	count := map[Group]int{}
	for _, c := range All {
		g := c.Group()
		if !slices.Contains(Groups, g) {
			t.Errorf("%s: group %q is not in Groups", c.Reason, g)
		}
		if (c.Scope == ScopeBatch) != (g == GroupBatch) || (c.Scope == ScopeObject) != (g == GroupObject) {
			t.Errorf("%s: scope %s but group %s", c.Reason, c.Scope, g)
		}
		count[g]++
	}
	for _, g := range Groups {
		if count[g] == 0 {
			t.Errorf("group %q has no checks", g)
		}
	}
}
