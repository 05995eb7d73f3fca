package gather

import (
	"fmt"
	"slices"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// TestSimulatorOncePerQuestion: an audit of several buckets whose
// configurations share a role and a destination asks
// iam:SimulatePrincipalPolicy each distinct question (principal, action,
// resource, request context) at most once, whatever the order in which
// the buckets are read and forgotten, and every bucket's snapshot answers
// all of its questions. "b-dst" is listed, and forgotten, between the
// sources that replicate to it.
func TestSimulatorOncePerQuestion(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers-%d", workers), func(t *testing.T) {
			w := newWorld(t)
			sim := &fakeSimulator{decide: allowReplicate}
			w.f.on("iam:SimulatePrincipalPolicy", sim.handle)
			replicates := `<Role>` + w.role + `</Role><Rule><ID>all</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix></Prefix></Filter>` +
				`<Destination><Bucket>arn:aws:s3:::b-dst</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>`
			w.buckets = []fakeBucket{
				{name: "a-src", region: "eu-west-1", owner: testAccount, versioning: "Enabled", replication: replicates},
				{name: "b-dst", region: "eu-west-1", owner: testAccount, versioning: "Enabled"},
				{name: "c-src", region: "eu-west-1", owner: testAccount, versioning: "Enabled", replication: replicates},
				{name: "d-src", region: "eu-west-1", owner: testAccount, versioning: "Enabled", replication: replicates},
				{name: "e-src", region: "eu-west-1", owner: testAccount, versioning: "Enabled", replication: replicates},
			}
			fakeS3(t, w.f, w.buckets)
			ctx := map[string][]string{"s3:x-amz-server-side-encryption": {"AES256"}}
			questions := func(s *snapshot.Snapshot) []Question {
				src := "arn:aws:s3:::" + s.Source.Name
				return []Question{
					// The bucket's own: the same for no other bucket.
					{Principal: w.role, Action: "s3:GetReplicationConfiguration", Resource: src},
					{Principal: w.role, Action: "s3:ListBucket", Resource: src},
					{Principal: w.role, Action: "s3:GetObjectVersionForReplication", Resource: src + "/*"},
					// The destination's: the same for every bucket.
					{Principal: w.role, Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::b-dst/*"},
					{Principal: w.role, Action: "s3:ReplicateDelete", Resource: "arn:aws:s3:::b-dst/*"},
					{Principal: w.role, Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::b-dst/*", Context: ctx},
				}
			}
			snaps := auditAll(t, SessionOptions{Access: w.f.access()}, workers,
				func(string) BucketOptions { return BucketOptions{Questions: questions} })
			if len(snaps) != 4 {
				t.Fatalf("%d snapshots, want 4", len(snaps))
			}
			key := func(principal, action, resource string, ctx map[string][]string) string {
				return principal + " " + action + " " + resource + " " + contextKey(ctx)
			}
			for name, s := range snaps {
				if s.SimulatorUnavailable != nil {
					t.Fatalf("%s: simulator unavailable: %v", name, s.SimulatorUnavailable)
				}
				var got, want []string
				for _, x := range s.Simulations {
					got = append(got, key(x.Principal, x.Action, x.Resource, x.Context))
				}
				for _, q := range questions(s) {
					want = append(want, key(q.Principal, q.Action, q.Resource, q.Context))
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s: answers\n got %q\nwant %q", name, got, want)
				}
			}
			sim.mu.Lock()
			defer sim.mu.Unlock()
			asked := map[string]int{}
			for _, r := range sim.requests {
				for _, a := range r.actions {
					for _, res := range r.resources {
						asked[key(r.principal, a, res, r.context)]++
					}
				}
			}
			for q, n := range asked {
				if n > 1 {
					t.Errorf("asked %d times: %s", n, q)
				}
			}
		})
	}
}
