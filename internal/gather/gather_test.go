package gather

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// TestGatherEachFactOnce gathers the world and checks that every fact was
// read exactly once: the shared destination, the shared replica key, the
// managed policy listed twice and used as the boundary, and the Batch role
// that is the replication role are each read once.
func TestGatherEachFactOnce(t *testing.T) {
	w := newWorld(t)
	sim := &fakeSimulator{decide: allowReplicate}
	w.f.on("iam:SimulatePrincipalPolicy", sim.handle)
	rec := &Recorder{}
	snap, err := Gather(context.Background(), Options{Access: w.f.access(), Source: "arn:aws:s3:::src",
		Recorder: rec, Batch: true, BatchRole: w.role,
		Questions: func(*snapshot.Snapshot) []Question { return w.questions() }})
	if err != nil {
		t.Fatal(err)
	}

	perBucket := 3 // src, dst1, dst2: each bucket's configuration once
	want := map[string]int{
		"sts:GetCallerIdentity":              1, // the source account, once for every sideFor
		"s3:ListBuckets":                     1, // bucket owners, and their Regions (BucketRegion): no HeadBucket
		"s3:GetBucketReplication":            1, // the source's only
		"s3:GetBucketVersioning":             perBucket,
		"s3:GetObjectLockConfiguration":      perBucket,
		"s3:GetBucketEncryption":             perBucket,
		"s3:GetBucketPolicy":                 perBucket,
		"s3:GetBucketOwnershipControls":      perBucket,
		"s3:GetBucketRequestPayment":         perBucket,
		"s3:GetBucketLifecycleConfiguration": perBucket,
		"iam:GetRole":                        1, // replication role = Batch role
		"iam:ListRolePolicies":               1,
		"iam:GetRolePolicy":                  1, // one inline policy
		"iam:ListAttachedRolePolicies":       2, // two pages
		"iam:GetPolicy":                      2, // two distinct managed policies
		"iam:GetPolicyVersion":               2,
		"kms:DescribeKey":                    2, // the source key (by alias) and the replica key (two rules, dst1's default)
		"kms:GetKeyPolicy":                   2,
		"organizations:DescribeOrganization": 1, // one account
		"iam:SimulatePrincipalPolicy":        3, // the probe, then both groups (no context, the KMS context) together
	}
	if got := rec.Calls(); !maps.Equal(got, want) {
		t.Errorf("recorded calls:\n got %v\nwant %v", got, want)
	}
	// The server saw each operation at least that often (the SDK may
	// resend a request whose connection closed under the read, a race
	// with loopback servers: aws-sdk-go-v2 #2737), and nothing else.
	for op, n := range want {
		if got := w.f.count(op); got < n {
			t.Errorf("server saw %s ×%d, want %d", op, got, n)
		}
	}
	if got := w.f.total(); got > rec.Total()+3 {
		t.Errorf("server saw %d requests for %d calls", got, rec.Total())
	}

	// The snapshot holds what was read.
	if !snap.Source.Region.IsKnown() || snap.Source.Region.Value != w.srcRegion || snap.Source.Account.Value != testAccount {
		t.Errorf("source region %+v account %+v", snap.Source.Region, snap.Source.Account)
	}
	if !snap.Replication.IsKnown() || len(snap.Replication.Value.Rules) != 3 {
		t.Fatalf("replication = %+v", snap.Replication)
	}
	var dests []string
	for _, d := range snap.Destinations {
		dests = append(dests, d.Name+"@"+d.Region.Value+":"+d.Versioning.Value)
	}
	if want := []string{"dst1@us-west-2:Enabled", "dst2@eu-west-1:Suspended"}; !slices.Equal(dests, want) {
		t.Errorf("destinations = %v, want %v", dests, want)
	}
	if len(snap.Roles) != 1 || snap.Roles[0].ARN != w.role || !snap.Roles[0].ManagedPolicies.IsKnown() || !snap.Roles[0].PermissionsBoundary.IsKnown() {
		t.Errorf("roles = %+v", snap.Roles)
	}
	var keys []string
	for _, k := range snap.KMSKeys {
		keys = append(keys, k.ARN+" "+strings.Join(k.Aliases, ",")+" "+string(k.Metadata.State))
	}
	wantKeys := []string{w.srcKey.arn() + " alias/src known", w.replicaKey.arn() + "  known"}
	slices.Sort(keys)
	slices.Sort(wantKeys)
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("keys = %q, want %q", keys, wantKeys)
	}
	if len(snap.Accounts) != 1 || snap.Accounts[0].ID != testAccount || !snap.Accounts[0].SCPs.IsAbsent() || !snap.Accounts[0].RCPs.IsAbsent() {
		t.Errorf("accounts = %+v", snap.Accounts)
	}
	if snap.Batch == nil || snap.Batch.RoleARN != w.role || snap.Batch.Region != w.srcRegion {
		t.Errorf("batch = %+v", snap.Batch)
	}
	if snap.SimulatorUnavailable != nil || len(snap.Simulations) != len(w.questions()) {
		t.Errorf("simulations = %d (unavailable %v), want %d", len(snap.Simulations), snap.SimulatorUnavailable, len(w.questions()))
	}
	if err := snap.Validate(); err != nil {
		t.Errorf("gathered snapshot does not validate: %v", err)
	}
}

// TestGatherSimulatorUnavailable: with a simulator that answers an HTML
// 500 (moto), the snapshot says the simulator was unavailable and holds no
// simulations, so the local engine decides; it was asked once.
func TestGatherSimulatorUnavailable(t *testing.T) {
	w := newWorld(t)
	w.f.on("iam:SimulatePrincipalPolicy", func(q *fakeReq) {
		q.w.Header().Set("Content-Type", "text/html")
		q.w.WriteHeader(http.StatusInternalServerError)
		q.w.Write([]byte("<html><body><h1>500 Internal Server Error</h1></body></html>"))
	})
	snap, err := Gather(context.Background(), Options{Access: w.f.access(), Source: "src",
		Questions: func(*snapshot.Snapshot) []Question { return w.questions() }})
	if err != nil {
		t.Fatal(err)
	}
	if u := snap.SimulatorUnavailable; u == nil || u.Operation != "iam:SimulatePrincipalPolicy" || !strings.Contains(u.Message, "500") {
		t.Errorf("simulatorUnavailable = %+v, want the HTTP 500 of iam:SimulatePrincipalPolicy", u)
	}
	if len(snap.Simulations) != 0 {
		t.Errorf("simulations = %v, want none", snap.Simulations)
	}
	// The probe, sent while the facts are read, finds the simulator
	// unavailable: nothing more is sent to it, and an HTML 500 is not
	// retried.
	if n := w.f.count("iam:SimulatePrincipalPolicy"); n != 1 {
		t.Errorf("SimulatePrincipalPolicy sent %d times, want 1", n)
	}
	if !snap.Replication.IsKnown() || len(snap.Destinations) != 2 {
		t.Errorf("the rest of the snapshot is missing: %+v", snap)
	}
}

// TestGatherMissingSource: a source bucket that does not exist is known
// not to exist; its configuration is Unknown with the reason, and nothing
// that depends on it is read.
func TestGatherMissingSource(t *testing.T) {
	w := newWorld(t)
	rec := &Recorder{}
	snap, err := Gather(context.Background(), Options{Access: w.f.access(), Source: "nope", Recorder: rec,
		Questions: func(*snapshot.Snapshot) []Question { t.Error("questions asked without a configuration"); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if !snap.Source.Exists.IsKnown() || snap.Source.Exists.Value {
		t.Errorf("source exists = %+v, want known false", snap.Source.Exists)
	}
	if !snap.Replication.IsUnknown() || snap.Replication.Error.Code != "NoSuchBucket" {
		t.Errorf("replication = %+v, want unknown NoSuchBucket", snap.Replication)
	}
	for op := range rec.Calls() {
		if strings.HasPrefix(op, "iam:") || strings.HasPrefix(op, "kms:") || op == "s3:GetBucketReplication" {
			t.Errorf("%s called for a missing source", op)
		}
	}
}

// TestGatherBadSource: a source that is not a bucket name is refused
// before any call.
func TestGatherBadSource(t *testing.T) {
	f := newFake(t)
	for _, src := range []string{"", "arn:aws:s3:::", "arn:aws:s3:::b/key", "arn:aws:s3:us-east-1:123:accesspoint/x"} {
		if _, err := Gather(context.Background(), Options{Access: f.access(), Source: src}); err == nil || !strings.Contains(err.Error(), "not a bucket name") {
			t.Errorf("Gather(%q) error = %v", src, err)
		}
	}
	if n := f.total(); n != 0 {
		t.Errorf("%d requests for a bad source", n)
	}
}
