package checks

import (
	"slices"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

func TestJudgesAreChecks(t *testing.T) {
	for c := range judges {
		if !slices.Contains(All, c) {
			t.Errorf("judges names %s, which All does not list", c.Reason)
		}
	}
}

// subjectOfReason runs every check on a snapshot and returns the status
// and subject of reason's first finding.
func subjectOfReason(t *testing.T, s *snapshot.Snapshot, reason string) (Status, Subject) {
	t.Helper()
	f, err := NewFacts(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range Run(All, f, Options{}) {
		if fd.Reason == reason {
			return fd.Status, fd.Subject
		}
	}
	t.Fatalf("no %s finding", reason)
	return "", Subject{}
}

// TestPermissionFindingsNameTheDecidingPolicy: a cross-account denial for
// want of a grant names the bucket policy; an unreadable role policy list
// names the role; a plain check names its setting.
func TestPermissionFindingsNameTheDecidingPolicy(t *testing.T) {
	load := func() *snapshot.Snapshot {
		s, err := snapshot.Load("../fixtures/base/cross-account.json")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := load()
	s.Destinations[0].Policy = snapshot.AbsentFact[snapshot.PolicyDocument]()
	if st, sub := subjectOfReason(t, s, "DstPutObjNotPermitted"); st != StatusFail || sub != (Subject{Kind: SubjectBucket, Name: "dst-bucket", Part: "policy"}) {
		t.Errorf("no grant in the destination's bucket policy: %s %+v", st, sub)
	}

	s = load()
	s.Roles[0].InlinePolicies = snapshot.UnknownFact[[]snapshot.NamedPolicy](&snapshot.FactError{Operation: "iam:ListRolePolicies", Code: "AccessDenied"})
	if st, sub := subjectOfReason(t, s, "DstPutObjNotPermitted"); st != StatusUnknown || sub != (Subject{Kind: SubjectRole, Name: s.Roles[0].ARN}) {
		t.Errorf("unreadable inline policies: %s %+v", st, sub)
	}

	s = load()
	s.Destinations[0].Versioning = snapshot.KnownFact("Suspended")
	if st, sub := subjectOfReason(t, s, "DstBucketUnversioned"); st != StatusFail || sub != (Subject{Kind: SubjectBucket, Name: "dst-bucket", Part: "versioning"}) {
		t.Errorf("suspended versioning: %s %+v", st, sub)
	}
	if _, sub := subjectOfReason(t, s, "InvalidRuleSchema"); sub.Kind != SubjectReplication {
		t.Errorf("a rule check names the configuration: %+v", sub)
	}
}
