package generate

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/snapshot"
)

func allow(action, resource string, cond map[string]map[string][]string) checks.Statement {
	return checks.Statement{Effect: "Allow", Action: []string{action}, Resource: []string{resource}, Condition: cond}
}

// Merging never grants an action on a resource it was not granted on.
func TestMergeGrantsNothingMore(t *testing.T) {
	got := merge([]checks.Statement{
		allow("s3:ReplicateObject", "arn:aws:s3:::d/a*", nil),
		allow("s3:ReplicateDelete", "arn:aws:s3:::d/b*", nil),
		allow("s3:ReplicateObject", "arn:aws:s3:::d/b*", nil),
		allow("s3:ReplicateObject", "arn:aws:s3:::d/c*", nil),
		allow("s3:ReplicateObject", "arn:aws:s3:::d/a*", nil),
	})
	want := []checks.Statement{
		{Effect: "Allow", Action: []string{"s3:ReplicateObject"}, Resource: []string{"arn:aws:s3:::d/a*", "arn:aws:s3:::d/c*"}},
		{Effect: "Allow", Action: []string{"s3:ReplicateDelete", "s3:ReplicateObject"}, Resource: []string{"arn:aws:s3:::d/b*"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merge = %+v\nwant %+v", got, want)
	}
}

// A resource a wider one already grants every action of is dropped; one
// with an action the wider lacks, or another condition, is kept.
func TestMergeDropsCoveredResources(t *testing.T) {
	got := merge([]checks.Statement{
		allow("s3:ReplicateObject", "arn:aws:s3:::d/*", nil),
		allow("s3:ReplicateDelete", "arn:aws:s3:::d/*", nil),
		allow("s3:ReplicateObject", "arn:aws:s3:::d/logs/*", nil),
		allow("s3:ObjectOwnerOverrideToBucketOwner", "arn:aws:s3:::d/owned/*", nil),
		allow("s3:ReplicateObject", "arn:aws:s3:::d/owned/*", nil),
		allow("s3:ReplicateObject", "arn:aws:s3:::dx/*", nil),
	})
	want := []checks.Statement{
		{Effect: "Allow", Action: []string{"s3:ReplicateDelete", "s3:ReplicateObject"}, Resource: []string{"arn:aws:s3:::d/*"}},
		{Effect: "Allow", Action: []string{"s3:ObjectOwnerOverrideToBucketOwner", "s3:ReplicateObject"}, Resource: []string{"arn:aws:s3:::d/owned/*"}},
		{Effect: "Allow", Action: []string{"s3:ReplicateObject"}, Resource: []string{"arn:aws:s3:::dx/*"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merge = %+v\nwant %+v", got, want)
	}
}

// Statements that differ in one condition key's values merge into one
// that lists both; two keys differing keep them apart.
func TestMergeConditionValues(t *testing.T) {
	const key = "arn:aws:kms:us-east-1:1:key/k"
	cond := func(via, ctx string) map[string]map[string][]string {
		return map[string]map[string][]string{"StringLike": {"kms:ViaService": {via}, kmsContextKey: {ctx}}}
	}
	got := merge([]checks.Statement{
		allow("kms:Encrypt", key, cond("s3.us-east-1.amazonaws.com", "arn:aws:s3:::d/a*")),
		allow("kms:Encrypt", key, cond("s3.us-east-1.amazonaws.com", "arn:aws:s3:::d/b*")),
		allow("kms:Encrypt", key, cond("s3.eu-west-1.amazonaws.com", "arn:aws:s3:::e/c*")),
	})
	if len(got) != 2 {
		t.Fatalf("merge = %+v, want 2 statements", got)
	}
	if v := got[0].Condition["StringLike"][kmsContextKey]; !reflect.DeepEqual(v, []string{"arn:aws:s3:::d/a*", "arn:aws:s3:::d/b*"}) {
		t.Errorf("merged contexts = %v", v)
	}
	if v := got[1].Condition["StringLike"][kmsContextKey]; !reflect.DeepEqual(v, []string{"arn:aws:s3:::e/c*"}) {
		t.Errorf("the statement of another Region took contexts: %v", v)
	}
}

func TestSids(t *testing.T) {
	stmts := name([]checks.Statement{
		allow("s3:ReplicateObject", "arn:aws:s3:::dst-bucket.eu/*", nil),
		allow("s3:ListBucket", "arn:aws:s3:::src", nil),
		allow("s3:GetObjectVersionForReplication", "arn:aws:s3:::src/*", nil),
		allow("s3:ReplicateObject", "arn:aws:s3:::dst-bucket.eu/x*", nil),
	}, "src")
	var sids []string
	for _, s := range stmts {
		sids = append(sids, s.Sid)
	}
	if want := []string{"SourceBucket", "SourceObjects", "ReplicasInDstBucketEu", "ReplicasInDstBucketEu2"}; !reflect.DeepEqual(sids, want) {
		t.Errorf("Sids = %v, want %v", sids, want)
	}
	if got := name([]checks.Statement{{Principal: map[string][]string{"AWS": {"r"}}, Resource: []string{"*"}}}, "src", "ReplicationRole"); got[0].Sid != "ReplicationRole2" {
		t.Errorf("a Sid the policy of today uses was reused: %s", got[0].Sid)
	}
}

// Apply replaces the roles' policies and adds to the buckets' and keys'.
func TestApply(t *testing.T) {
	snap, _ := loadFixture(t, "../../fixtures/base/cross-account.json")
	snap.Destinations[0].Policy = snapshot.KnownFact[snapshot.PolicyDocument](json.RawMessage(
		`"{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"Old\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"}}"`))
	snap.Simulations = []snapshot.Simulation{{Principal: snap.Roles[0].ARN, Action: "s3:ReplicateObject", Resource: "*", Decision: "allowed"}}
	add := allow("s3:ReplicateObject", "arn:aws:s3:::dst-bucket/*", nil)
	add.Principal = map[string][]string{"AWS": {snap.Roles[0].ARN}}
	p := &Policies{
		Role: snap.Roles[0].ARN, RoleTrustPolicy: trustPolicy([]string{s3Service}, "", "", false),
		RolePolicy:                checks.NewIAMPolicy(allow("s3:ReplicateObject", "arn:aws:s3:::dst-bucket/*", nil)),
		DestinationBucketPolicies: []ResourceStatements{{Bucket: "arn:aws:s3:::dst-bucket", Statements: []checks.Statement{add}}},
		BatchRole:                 "arn:aws:iam::111111111111:role/batch",
	}
	out, err := Apply(snap, p)
	if err != nil {
		t.Fatal(err)
	}
	r := out.Roles[0]
	if len(r.InlinePolicies.Value) != 1 || r.InlinePolicies.Value[0].Name != rolePolicyName || len(r.ManagedPolicies.Value) != 0 {
		t.Errorf("the role's identity policies: %+v %+v", r.InlinePolicies, r.ManagedPolicies)
	}
	var doc struct{ Statement []map[string]any }
	if err := json.Unmarshal(out.Destinations[0].Policy.Value, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Statement) != 2 || doc.Statement[0]["Sid"] != "Old" {
		t.Errorf("the bucket policy of today was not kept: %+v", doc.Statement)
	}
	if len(out.Simulations) != 0 {
		t.Error("simulator decisions about the replaced role were kept")
	}
	batch := out.Roles[len(out.Roles)-1]
	if batch.ARN != p.BatchRole || !batch.Exists.IsUnknown() || !batch.PermissionsBoundary.IsUnknown() {
		t.Errorf("a role the snapshot has no facts for must stay unknown: %+v", batch)
	}
	if out.Batch == nil || out.Batch.RoleARN != p.BatchRole {
		t.Errorf("the Batch job = %+v", out.Batch)
	}
	if snap.Destinations[0].Policy.Value[0] != '"' || len(snap.Roles[0].InlinePolicies.Value) == 0 || snap.Roles[0].InlinePolicies.Value[0].Name != "replication" {
		t.Error("Apply changed the snapshot it was given")
	}
}
