package gather

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// TestSessionSharesFacts: an audit session lists the account's buckets
// with their Regions, and across its buckets reads each shared fact (the
// role, the destinations, the keys, the account's organization) once; a
// bucket's own facts, once forgotten, are read again only for it.
func TestSessionSharesFacts(t *testing.T) {
	w := newWorld(t)
	rec := &Recorder{}
	s, err := NewSession(context.Background(), SessionOptions{Access: w.f.access(), Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	acct, err := s.BaseAccount()
	if err != nil || acct != testAccount {
		t.Fatalf("base account %q, %v", acct, err)
	}
	s.SetAudited([]string{acct})
	entries, why := s.Buckets(acct)
	if why != nil {
		t.Fatal(why)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name+"@"+e.Region)
	}
	if want := []string{"dst1@" + w.dst1Region, "dst2@eu-west-1", "src@" + w.srcRegion}; !slices.Equal(names, want) {
		t.Fatalf("buckets %q, want %q", names, want)
	}
	gather := func() *snapshot.Snapshot {
		repl := s.Replication(acct, "src", w.srcRegion)
		if !repl.IsKnown() {
			t.Fatalf("replication %+v", repl)
		}
		snap := s.Gather(acct, "src", repl, BucketOptions{})
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
		return snap
	}
	first := gather()
	before := rec.Calls()
	s.Forget("src")
	second := gather()
	after := rec.Calls()
	if len(first.Destinations) != 2 || len(second.Destinations) != 2 || !second.Roles[0].InlinePolicies.IsKnown() || len(second.KMSKeys) != 2 {
		t.Fatalf("the second gather lacks facts: %+v", second)
	}
	for op, n := range map[string]int{
		"s3:GetBucketReplication": 1, "s3:GetBucketVersioning": 1, // the source's own, forgotten
		"iam:GetRole": 0, "iam:GetPolicy": 0, "kms:DescribeKey": 0, "organizations:DescribeOrganization": 0,
		"s3:ListBuckets": 0, "sts:GetCallerIdentity": 0, "s3:HeadBucket": 0,
	} {
		if got := after[op] - before[op]; got != n {
			t.Errorf("the second bucket's gather called %s %d times, want %d", op, got, n)
		}
	}
	// The only calls made twice are the forgotten source bucket's own.
	for call := range rec.Duplicates() {
		if !strings.Contains(call, `"Bucket":"src"`) {
			t.Errorf("%s was made twice, but it is not the source bucket's own", call)
		}
	}
}

// TestSessionUnreadableAccount: an account whose role cannot be assumed
// lists nothing and says why, naming sts:AssumeRole.
func TestSessionUnreadableAccount(t *testing.T) {
	w := newWorld(t)
	w.f.on("sts:AssumeRole", (*fakeReq).denied)
	s, err := NewSession(context.Background(), SessionOptions{Access: w.f.access(), AssumeRoleName: "auditor"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetAudited([]string{otherAccount})
	entries, why := s.Buckets(otherAccount)
	if entries != nil || why == nil || why.Operation != "sts:AssumeRole" || why.Code != "AccessDenied" {
		t.Errorf("Buckets = %v, %+v; want an AssumeRole denial", entries, why)
	}
	if err := s.Err(); err != nil {
		t.Errorf("an unreadable account stopped the session: %v", err)
	}
}
