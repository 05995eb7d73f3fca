package checks

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

// question builds a question by role for the grant tests.
func question(t *testing.T, action, resource, resourceAccount string, resourcePolicy string, ctx map[string][]string, prefix string) Question {
	t.Helper()
	role := &RoleFacts{Role: &snapshot.Role{ARN: "arn:aws:iam::111111111111:role/r"}, Account: "111111111111"}
	pol := PolicyFact{State: snapshot.Absent, Name: "policy"}
	if resourcePolicy != "" {
		doc, err := policy.Parse([]byte(resourcePolicy))
		if err != nil {
			t.Fatal(err)
		}
		pol = PolicyFact{State: snapshot.Known, Doc: doc, Name: "policy"}
	}
	return Question{Role: role, Action: action, Resource: resource, ResourceAccount: snapshot.KnownFact(resourceAccount),
		ResourcePolicy: &pol, Context: ctx, KeyPrefix: prefix}
}

func TestIdentityStatementScopesObjectsToThePrefix(t *testing.T) {
	q := question(t, "s3:ReplicateObject", "arn:aws:s3:::dst/Tax"+exampleObject, "222222222222", "", nil, "Tax")
	got := q.IdentityStatement()
	want := Statement{Effect: "Allow", Action: []string{"s3:ReplicateObject"}, Resource: []string{"arn:aws:s3:::dst/Tax*"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("IdentityStatement = %+v, want %+v", got, want)
	}
	res := q.ResourceStatement()
	if !reflect.DeepEqual(res.Principal, map[string][]string{"AWS": {"arn:aws:iam::111111111111:role/r"}}) || res.Resource[0] != "arn:aws:s3:::dst/Tax*" {
		t.Errorf("ResourceStatement names %v on %v, want the role's ARN on the prefix", res.Principal, res.Resource)
	}
	if b := q.IdentityStatement(); len(b.Condition) != 0 {
		t.Errorf("an S3 grant has conditions: %v", b.Condition)
	}
	bucket := question(t, "s3:ListBucket", "arn:aws:s3:::src", "111111111111", "", nil, "Tax")
	if r := bucket.IdentityStatement().Resource; r[0] != "arn:aws:s3:::src" {
		t.Errorf("a bucket-level grant names %v, want the bucket", r)
	}
}

func TestKMSStatementsCarryS3sContext(t *testing.T) {
	const key = "arn:aws:kms:us-west-2:222222222222:key/k"
	objectCtx := kmsContext("us-west-2", "111111111111", "arn:aws:s3:::dst/logs/"+exampleObject)
	q := question(t, "kms:Encrypt", key, "222222222222", "", objectCtx, "logs/")
	st := q.IdentityStatement()
	want := map[string]map[string][]string{"StringLike": {
		"kms:ViaService":                   {"s3.us-west-2.amazonaws.com"},
		"kms:EncryptionContext:aws:s3:arn": {"arn:aws:s3:::dst/logs/*"},
	}}
	if !reflect.DeepEqual(st.Condition, want) || st.Resource[0] != key {
		t.Errorf("identity statement = %+v, want the key with %v", st, want)
	}
	if r := q.ResourceStatement().Resource; !reflect.DeepEqual(r, []string{"*"}) {
		t.Errorf("a key policy statement names %v, want *", r)
	}
	// With S3 Bucket Keys the context is the bucket ARN, which stays.
	bk := question(t, "kms:Decrypt", key, "222222222222", "", kmsContext("us-west-2", "111111111111", "arn:aws:s3:::dst"), "logs/")
	if got := bk.IdentityStatement().Condition["StringLike"]["kms:EncryptionContext:aws:s3:arn"]; !reflect.DeepEqual(got, []string{"arn:aws:s3:::dst"}) {
		t.Errorf("Bucket Key context = %v, want the bucket ARN", got)
	}
	// A sampled object's own ARN widens to the rule's prefix.
	sampled := question(t, "kms:Decrypt", key, "222222222222", "", kmsContext("us-east-1", "111111111111", "arn:aws:s3:::src/logs/2024/a.gz"), "logs/")
	if got := sampled.IdentityStatement().Condition["StringLike"]["kms:EncryptionContext:aws:s3:arn"]; !reflect.DeepEqual(got, []string{"arn:aws:s3:::src/logs/*"}) {
		t.Errorf("sampled object context = %v, want the prefix pattern", got)
	}
}

// Each statement allows the very request it was made for, and the grant
// is needed on the side that lacks it.
func TestStatementsAllowTheirQuestion(t *testing.T) {
	const key = "arn:aws:kms:us-west-2:222222222222:key/k"
	rootOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}`
	for _, c := range []struct {
		q   Question
		raw string // the resource policy of today
	}{
		{question(t, "s3:ReplicateObject", "arn:aws:s3:::dst/a/"+exampleObject, "222222222222", "", map[string][]string{"s3:x-amz-server-side-encryption": {"aws:kms"}}, "a/"), ""},
		{question(t, "kms:Encrypt", key, "222222222222", rootOnly, kmsContext("us-west-2", "111111111111", "arn:aws:s3:::dst/a/"+exampleObject), "a/"), rootOnly},
	} {
		q := c.q
		if q.ResourceSide() != SideLacks {
			t.Errorf("%s across accounts: ResourceSide = %v, want SideLacks", q.Action, q.ResourceSide())
		}
		stmts := []any{q.ResourceStatement()}
		if c.raw != "" {
			var doc struct{ Statement []any }
			if err := json.Unmarshal([]byte(c.raw), &doc); err != nil {
				t.Fatal(err)
			}
			stmts = append(doc.Statement, stmts...)
		}
		in := &policy.Input{Identity: []*policy.Document{parsed(t, NewIAMPolicy(q.IdentityStatement()))},
			Resource: parsed(t, map[string]any{"Version": "2012-10-17", "Statement": stmts})}
		req := &policy.Request{Principal: q.Role.ARN, Action: q.Action, Resource: q.Resource, ResourceAccount: q.ResourceAccount.Value, Context: policy.NewContext(q.Context)}
		if r := policy.Evaluate(in, req); r.Decision != policy.Allowed {
			t.Errorf("%s with its statements: %s (%s)", q.Action, r.Decision, r.Reason)
		}
		in.Identity = nil
		if r := policy.Evaluate(in, req); r.Decision == policy.Allowed {
			t.Errorf("%s across accounts is allowed without the identity statement", q.Action)
		}
	}
}

func TestSides(t *testing.T) {
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`
	namesRole := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/r"},"Action":"kms:Encrypt","Resource":"*"}]}`
	same := question(t, "s3:ReplicateObject", "arn:aws:s3:::dst/"+exampleObject, "111111111111", "", nil, "")
	if same.ResourceSide() != SideAllows || same.ResourceAlone() {
		t.Errorf("same account, no bucket policy: ResourceSide %v, ResourceAlone %v; want the identity side to decide", same.ResourceSide(), same.ResourceAlone())
	}
	if s := same.IdentitySide(); s != SideAllows && s != SideLacks {
		t.Errorf("IdentitySide = %v", s)
	}
	if q := question(t, "s3:ReplicateObject", "arn:aws:s3:::dst/"+exampleObject, "111111111111", deny, nil, ""); q.ResourceSide() != SideDenies {
		t.Errorf("a Deny in the bucket policy: ResourceSide = %v, want SideDenies", q.ResourceSide())
	}
	key := question(t, "kms:Encrypt", "arn:aws:kms:us-east-1:111111111111:key/k", "111111111111", namesRole, kmsContext("us-east-1", "111111111111", "arn:aws:s3:::dst"), "")
	if !key.ResourceAlone() {
		t.Error("a same-account key policy that names the role must allow it alone")
	}
	unread := question(t, "s3:ReplicateObject", "arn:aws:s3:::dst/"+exampleObject, "222222222222", "", nil, "")
	unread.ResourcePolicy = &PolicyFact{State: snapshot.Unknown, Name: "p", Why: "AccessDenied"}
	if unread.ResourceSide() != SideUnknown {
		t.Errorf("an unread bucket policy: ResourceSide = %v, want SideUnknown", unread.ResourceSide())
	}
	owner := question(t, "s3:ReplicateObject", "arn:aws:s3:::dst/"+exampleObject, "", "", nil, "")
	owner.ResourceAccount = snapshot.UnknownFact[string](&snapshot.FactError{Operation: "s3:GetBucketAcl", Code: "AccessDenied"})
	if owner.ResourceSide() != SideUnknown {
		t.Errorf("an unknown owner without a bucket policy: ResourceSide = %v, want SideUnknown", owner.ResourceSide())
	}
}

func TestGrantFixNamesEveryPolicyToChange(t *testing.T) {
	q := question(t, "s3:ReplicateObject", "arn:aws:s3:::dst/a/"+exampleObject, "222222222222", "", nil, "a/")
	q.Role.Identity = nil
	fix := q.grantFix()
	for _, want := range []string{
		"aws iam put-role-policy --role-name r --policy-name replcheck-s3-ReplicateObject --policy-document '",
		`"Resource":["arn:aws:s3:::dst/a/*"]`,
		`add this statement to the bucket policy of dst: {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/r"]}`,
	} {
		if !strings.Contains(fix, want) {
			t.Errorf("grantFix = %s\nwant it to contain %s", fix, want)
		}
	}
}

func TestNoGrant(t *testing.T) {
	for action, want := range map[string]bool{"s3:ReplicateTags": true, "s3:GetObjectVersion": true, "s3:ReplicateObject": false, "kms:Encrypt": false} {
		if got := NoGrant(action) != ""; got != want {
			t.Errorf("NoGrant(%s) set = %v, want %v", action, got, want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	if got := ShellQuote(`{"a":"it's"}`); got != `'{"a":"it'\''s"}'` {
		t.Errorf("ShellQuote = %s", got)
	}
}

func parsed(t *testing.T, v any) *policy.Document {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := policy.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return doc
}
