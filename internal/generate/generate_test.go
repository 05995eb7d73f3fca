package generate

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// gen generates the policies of a fixture (a path under fixtures/), with
// set applied to its snapshot first.
func gen(t *testing.T, file string, opt Options, set func(*snapshot.Snapshot)) (*Policies, *snapshot.Snapshot) {
	t.Helper()
	snap, copt := loadFixture(t, "../../fixtures/"+file)
	if set != nil {
		set(snap)
	}
	opt.Batch = opt.Batch || copt.Batch
	p, err := Generate(snap, opt)
	if err != nil {
		t.Fatal(err)
	}
	return p, snap
}

// grants maps each action a policy grants to its resources.
func grants(doc *checks.IAMPolicy) map[string][]string {
	out := map[string][]string{}
	if doc == nil {
		return out
	}
	for _, st := range doc.Statement {
		for _, a := range st.Action {
			out[a] = append(out[a], st.Resource...)
		}
	}
	return out
}

func TestSameAccountGrantsOnlyWhatReplicationUses(t *testing.T) {
	p, _ := gen(t, "base/same-account.json", Options{}, nil)
	got := grants(p.RolePolicy)
	want := map[string][]string{
		"s3:GetObjectVersionForReplication": {"arn:aws:s3:::src-bucket/*"},
		"s3:GetObjectVersionAcl":            {"arn:aws:s3:::src-bucket/*"},
		"s3:GetObjectVersionTagging":        {"arn:aws:s3:::src-bucket/*"},
		"s3:ReplicateObject":                {"arn:aws:s3:::dst-bucket/*"},
		// S3 retrieves the replication configuration as the role
		// (setting-repl-config-perm-overview.html); a denial warns.
		"s3:GetReplicationConfiguration": {"arn:aws:s3:::src-bucket"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("role policy grants %v\nwant %v", got, want)
	}
	if len(p.DestinationBucketPolicies)+len(p.KeyPolicyStatements) > 0 || p.SourceBucketPolicy != nil || p.BatchRolePolicy != nil {
		t.Errorf("same account without KMS: statements for other policies: %+v %+v %+v", p.DestinationBucketPolicies, p.KeyPolicyStatements, p.BatchRolePolicy)
	}
	trust := p.RoleTrustPolicy.Statement
	wantCond := map[string]map[string][]string{
		"StringEquals": {"aws:SourceAccount": {"111111111111"}},
		"ArnLike":      {"aws:SourceArn": {"arn:aws:s3:::src-bucket"}},
	}
	if len(trust) != 1 || trust[0].Principal["Service"][0] != "s3.amazonaws.com" || !reflect.DeepEqual(trust[0].Condition, wantCond) {
		t.Errorf("trust policy = %+v, want S3 under %v", trust, wantCond)
	}
	plain, _ := gen(t, "base/same-account.json", Options{NoTrustConditions: true}, nil)
	if c := plain.RoleTrustPolicy.Statement[0].Condition; c != nil {
		t.Errorf("--no-trust-conditions wrote conditions %v", c)
	}
}

// Delete markers: s3:ReplicateDelete and s3:ListBucket only for the rules
// that replicate them, V1 rules included.
func TestReplicateDeleteOnlyWithDeleteMarkers(t *testing.T) {
	for _, c := range []struct {
		file string
		want bool
	}{
		{"aws-docs/delete-marker-replication.json", true},
		{"aws-docs/add-config-v1-prefix.json", true},
		{"aws-docs/walkthrough1-same-account.json", false},
		{"base/same-account.json", false},
	} {
		p, _ := gen(t, c.file, Options{}, nil)
		g := grants(p.RolePolicy)
		_, del := g["s3:ReplicateDelete"]
		_, list := g["s3:ListBucket"]
		if del != c.want || list != c.want {
			t.Errorf("%s: s3:ReplicateDelete %v, s3:ListBucket %v; want %v", c.file, del, list, c.want)
		}
	}
	// Two rules to one destination, one replicating delete markers: the
	// delete grant covers only that rule's prefix.
	p, _ := gen(t, "base/same-account.json", Options{}, func(s *snapshot.Snapshot) {
		r := s.Replication.Value.Rules[0]
		a, b := r, r
		a.ID, a.Filter = "logs", &snapshot.ReplicationRuleFilter{Prefix: ptr("logs/")}
		b.ID, b.Filter, b.DeleteMarkerReplication = "data", &snapshot.ReplicationRuleFilter{Prefix: ptr("data/")}, &snapshot.StatusElement{Status: "Enabled"}
		b.Priority = ptr(2)
		s.Replication.Value.Rules = []snapshot.ReplicationRule{a, b}
	})
	g := grants(p.RolePolicy)
	if !reflect.DeepEqual(g["s3:ReplicateDelete"], []string{"arn:aws:s3:::dst-bucket/data/*"}) ||
		!reflect.DeepEqual(g["s3:ReplicateObject"], []string{"arn:aws:s3:::dst-bucket/data/*", "arn:aws:s3:::dst-bucket/logs/*"}) {
		t.Errorf("prefixes: s3:ReplicateDelete on %v, s3:ReplicateObject on %v", g["s3:ReplicateDelete"], g["s3:ReplicateObject"])
	}
}

func TestOwnerOverrideOnlyWithIt(t *testing.T) {
	p, _ := gen(t, "aws-docs-variants/owner-override-without-bucket-policy-permission.json", Options{}, nil)
	if _, ok := grants(p.RolePolicy)["s3:ObjectOwnerOverrideToBucketOwner"]; !ok {
		t.Error("an owner override without s3:ObjectOwnerOverrideToBucketOwner in the role policy")
	}
	if len(p.DestinationBucketPolicies) != 1 || !slices.Contains(p.DestinationBucketPolicies[0].Statements[0].Action, "s3:ObjectOwnerOverrideToBucketOwner") {
		t.Errorf("the destination bucket policy lacks the owner override: %+v", p.DestinationBucketPolicies)
	}
	plain, _ := gen(t, "base/cross-account.json", Options{}, nil)
	if _, ok := grants(plain.RolePolicy)["s3:ObjectOwnerOverrideToBucketOwner"]; ok {
		t.Error("s3:ObjectOwnerOverrideToBucketOwner granted without an owner override")
	}
}

func TestObjectLockOnlyForObjectLockSources(t *testing.T) {
	lock := []string{"s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:PutObjectLegalHold", "s3:PutObjectRetention"}
	p, _ := gen(t, "aws-docs/object-lock.json", Options{}, nil)
	g := grants(p.RolePolicy)
	for _, a := range lock {
		if _, ok := g[a]; !ok {
			t.Errorf("Object Lock source: %s not granted (%v)", a, g)
		}
	}
	plain, _ := gen(t, "DstPutLegalHoldNotPermitted/no-object-lock.json", Options{}, nil)
	for _, a := range lock {
		if _, ok := grants(plain.RolePolicy)[a]; ok {
			t.Errorf("no Object Lock: %s granted", a)
		}
	}
}

func TestKMSGrantsCarryTheDocumentedConditions(t *testing.T) {
	// S3 Bucket Keys on both sides: the encryption contexts are the
	// buckets' ARNs.
	p, _ := gen(t, "aws-docs/kms-bucket-keys-complete-policy.json", Options{}, nil)
	contexts := map[string][]string{}
	for _, st := range p.RolePolicy.Statement {
		if strings.HasPrefix(st.Action[0], "kms:") {
			contexts[st.Resource[0]] = st.Condition["StringLike"][kmsContextKey]
			if v := st.Condition["StringLike"]["kms:ViaService"]; !reflect.DeepEqual(v, []string{"s3.us-east-1.amazonaws.com"}) {
				t.Errorf("%s: kms:ViaService %v", st.Sid, v)
			}
		}
	}
	want := map[string][]string{
		"arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-1111-4a4a-8b8b-111111111111": {"arn:aws:s3:::src-bucket"},
		"arn:aws:kms:us-east-1:111111111111:key/7c8d9e0f-4444-4f4f-a0a0-444444444444": {"arn:aws:s3:::dst-bucket"},
	}
	if !reflect.DeepEqual(contexts, want) {
		t.Errorf("KMS encryption contexts %v, want %v", contexts, want)
	}
	// A replica key of another account that does not grant the role: the
	// key policy statement names the role ARN, with the same conditions.
	cross, _ := gen(t, "aws-docs-variants/kms-cross-account-key-not-shared.json", Options{}, nil)
	if len(cross.KeyPolicyStatements) != 1 {
		t.Fatalf("key policy statements: %+v", cross.KeyPolicyStatements)
	}
	ks := cross.KeyPolicyStatements[0]
	st := ks.Statements[0]
	if ks.Account != "222222222222" || !reflect.DeepEqual(st.Principal, map[string][]string{"AWS": {"arn:aws:iam::111111111111:role/replication-role"}}) ||
		!reflect.DeepEqual(st.Resource, []string{"*"}) || !slices.Contains(st.Action, "kms:Encrypt") ||
		!reflect.DeepEqual(st.Condition["StringLike"][kmsContextKey], []string{"arn:aws:s3:::dst-bucket/Tax*"}) {
		t.Errorf("key policy statement = %+v", ks)
	}
	// No SSE-KMS: no KMS action anywhere.
	plain, _ := gen(t, "base/cross-account.json", Options{}, nil)
	for a := range grants(plain.RolePolicy) {
		if strings.HasPrefix(a, "kms:") {
			t.Errorf("%s granted for a rule that replicates no SSE-KMS objects", a)
		}
	}
}

// An existing bucket policy gets only the statements it lacks; one that
// grants the role already gets none.
func TestExistingPoliciesGetOnlyWhatTheyLack(t *testing.T) {
	p, snap := gen(t, "aws-docs-variants/cross-account-bucket-policy-without-replicate-object.json", Options{}, nil)
	if len(p.DestinationBucketPolicies) != 1 {
		t.Fatalf("destination bucket policies: %+v", p.DestinationBucketPolicies)
	}
	d := p.DestinationBucketPolicies[0]
	if d.Bucket != "arn:aws:s3:::dst-bucket" || d.Account != "222222222222" || d.ExistingPolicy != snapshot.Known || len(d.Statements) != 1 ||
		!reflect.DeepEqual(d.Statements[0].Action, []string{"s3:ReplicateObject"}) {
		t.Errorf("statements to add = %+v, want only s3:ReplicateObject, which the policy lacks", d)
	}
	if d.Statements[0].Principal["AWS"][0] != snap.Replication.Value.Role {
		t.Errorf("the statement names %v, want the role ARN", d.Statements[0].Principal)
	}
	granted, _ := gen(t, "base/cross-account.json", Options{}, nil)
	if len(granted.DestinationBucketPolicies) != 0 {
		t.Errorf("a bucket policy that grants the role already gets %+v", granted.DestinationBucketPolicies)
	}
	none, _ := gen(t, "DstPutObjNotPermitted/cross-account-no-bucket-policy.json", Options{}, nil)
	if len(none.DestinationBucketPolicies) != 1 || none.DestinationBucketPolicies[0].ExistingPolicy != snapshot.Absent {
		t.Errorf("a bucket without a policy: %+v", none.DestinationBucketPolicies)
	}
}

func TestBatchRolePolicy(t *testing.T) {
	p, _ := gen(t, "aws-docs/batch-generated-manifest.json", Options{Batch: true}, nil)
	if p.BatchRole != "arn:aws:iam::111111111111:role/batch-replication-role" || p.BatchRoleTrustPolicy == nil ||
		p.BatchRoleTrustPolicy.Statement[0].Principal["Service"][0] != batchService {
		t.Errorf("batch role %s, trust %+v", p.BatchRole, p.BatchRoleTrustPolicy)
	}
	g := grants(p.BatchRolePolicy)
	if !reflect.DeepEqual(g["s3:InitiateReplication"], []string{"arn:aws:s3:::src-bucket/Tax/*"}) {
		t.Errorf("batch role policy grants %v", g)
	}
	if _, ok := grants(p.RolePolicy)["s3:InitiateReplication"]; ok {
		t.Error("the replication role gets s3:InitiateReplication")
	}
	noBatch, _ := gen(t, "base/same-account.json", Options{}, nil)
	data, _ := json.Marshal(noBatch)
	if !strings.Contains(string(data), `"batchRolePolicy":null`) {
		t.Errorf("without --batch, batchRolePolicy is not null: %s", data)
	}
}

func TestNoConfigurationIsAnError(t *testing.T) {
	snap, _ := loadFixture(t, "../../fixtures/SrcBucketReplicationConfigMissing/no-config.json")
	if _, err := Generate(snap, Options{}); err == nil || !strings.Contains(err.Error(), "no replication configuration") {
		t.Errorf("Generate without a configuration: %v", err)
	}
}

// A Deny that the added statements cannot override is a note, and the
// proof marks it as beyond the policies.
func TestDenyIsANote(t *testing.T) {
	p, snap := gen(t, "DstPutObjNotPermitted/vpce-deny.json", Options{}, nil)
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "Deny") && strings.Contains(n, "dst-bucket") }) {
		t.Errorf("no note of the Deny: %q", p.Notes)
	}
	proof, err := Verify(snap, p, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if proof.Verified || proof.Sufficient || !slices.ContainsFunc(proof.Findings, func(f ProofFinding) bool { return f.Status == checks.StatusFail && f.BeyondPolicies }) {
		t.Errorf("the proof of policies a Deny blocks: %+v", proof)
	}
}

func ptr[T any](v T) *T { return &v }

// A check stops at its first denial: a cross-account destination without
// a bucket policy must not hide the replica key's permissions, which the
// same check asks after s3:ReplicateObject.
func TestEveryQuestionIsAskedBehindADenial(t *testing.T) {
	p, snap := gen(t, "aws-docs-variants/kms-cross-account-key-not-shared.json", Options{}, func(s *snapshot.Snapshot) {
		s.Destinations[0].Policy = snapshot.AbsentFact[snapshot.PolicyDocument]()
	})
	if !slices.Contains(grants(p.RolePolicy)["kms:Encrypt"], "arn:aws:kms:us-west-2:222222222222:key/9c8d7e6f-3333-4e4e-8f8f-333333333333") {
		t.Errorf("kms:Encrypt on the replica key is not granted: %v", grants(p.RolePolicy))
	}
	if len(p.DestinationBucketPolicies) != 1 || len(p.KeyPolicyStatements) != 1 {
		t.Errorf("bucket policies %+v, key policy statements %+v", p.DestinationBucketPolicies, p.KeyPolicyStatements)
	}
	proof, err := Verify(snap, p, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !proof.Verified {
		t.Errorf("not proven:\n%s", describe(proof))
	}
}
