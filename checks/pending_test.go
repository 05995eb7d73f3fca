package checks

import (
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

// TestPendingNameDecidesOnlyWhatDoesNotDependOnIt: a bucket whose name is
// known only later stands in the resource (or the KMS encryption
// context) as snapshot.Pending. A policy whose grant may or may not cover
// the real name leaves the answer undecided, naming the stand-in; one
// that grants on every name decides, and so does a policy that does not
// apply to the action.
func TestPendingNameDecidesOnlyWhatDoesNotDependOnIt(t *testing.T) {
	const account = "111122223333"
	name := snapshot.Pending("aws_s3_bucket.dst.bucket")
	object := "arn:aws:s3:::" + name + "/k"
	key := "arn:aws:kms:us-east-1:111122223333:key/k"
	doc := func(t *testing.T, s string) *policy.Document {
		d, err := policy.Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	grant := func(action, resource, cond string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"` + resource + `"` + cond + `}]}`
	}
	keyPolicy := func(cond string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"kms:Encrypt","Resource":"*"` + cond + `}]}`
	}
	encCtx := map[string][]string{"kms:EncryptionContext:aws:s3:arn": {"arn:aws:s3:::" + name}}
	for _, tc := range []struct {
		name, action, resource   string
		identity, resourcePolicy string
		context                  map[string][]string
		decided, allowed         bool
	}{
		{"grant on every resource", "s3:ReplicateObject", object, grant("s3:ReplicateObject", "*", ""), "", nil, true, true},
		{"grant on every bucket's objects", "s3:ReplicateObject", object, grant("s3:Replicate*", "arn:aws:s3:::*/*", ""), "", nil, true, true},
		{"grant on names with a prefix", "s3:ReplicateObject", object, grant("s3:ReplicateObject", "arn:aws:s3:::dst-*/*", ""), "", nil, false, false},
		{"grant on another bucket", "s3:ReplicateObject", object, grant("s3:ReplicateObject", "arn:aws:s3:::dst/*", ""), "", nil, false, false},
		{"grant for another action only", "s3:ReplicateObject", object, grant("s3:GetObject", "arn:aws:s3:::dst/*", ""), "", nil, true, false},
		{"key policy without encryption context", "kms:Encrypt", key, grant("kms:Encrypt", "*", ""), keyPolicy(""), encCtx, true, true},
		{"key policy scoped by encryption context", "kms:Encrypt", key, grant("kms:Encrypt", "*", ""),
			keyPolicy(`,"Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::dst-*"}}`), encCtx, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &Facts{answers: map[string]Answer{}, sims: map[simKey][]*snapshot.Simulation{},
				accounts: map[string]*AccountFacts{account: {ID: account, SCPs: LevelsFact{State: snapshot.Absent}, RCPs: LevelsFact{State: snapshot.Absent}}}}
			role := &RoleFacts{Role: &snapshot.Role{ARN: "arn:aws:iam::111122223333:role/r"}, Account: account,
				Identity: []PolicyFact{{State: snapshot.Known, Doc: doc(t, tc.identity), Name: "inline policy \"r\""}},
				Boundary: PolicyFact{State: snapshot.Absent}}
			q := Question{Role: role, Action: tc.action, Resource: tc.resource, ResourceAccount: snapshot.KnownFact(account), Context: tc.context}
			if tc.resourcePolicy != "" {
				q.ResourcePolicy = &PolicyFact{State: snapshot.Known, Doc: doc(t, tc.resourcePolicy), Name: "key policy of k"}
			}
			a := f.Can(q)
			if a.Decided != tc.decided || a.Decided && a.Allowed != tc.allowed {
				t.Fatalf("decided %v allowed %v, want %v %v (%s)", a.Decided, a.Allowed, tc.decided, tc.allowed, joinMissing(a.Missing))
			}
			if !a.Decided && !strings.Contains(joinMissing(a.Missing), name) {
				t.Errorf("missing %q does not name %s", joinMissing(a.Missing), name)
			}
			if !a.Decided && !strings.Contains(joinMissing(a.Missing), ", on which inline policy \"r\" depends") &&
				!strings.Contains(joinMissing(a.Missing), ", on which key policy of k depends") {
				t.Errorf("missing %q does not name the policy that depends on %s", joinMissing(a.Missing), name)
			}
		})
	}
}
