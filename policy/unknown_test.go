package policy_test

import (
	"testing"

	"github.com/replcheck/replcheck/policy"
)

// TestDependsOn: a decision is independent of a name not known yet only
// when every statement for the action matches any name in its place, and
// no condition reads a value that holds it.
func TestDependsOn(t *testing.T) {
	const unknown = "(aws_s3_bucket.dst.bucket, known after apply)"
	object := "arn:aws:s3:::" + unknown + "/k"
	stmt := func(action, resource, cond string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"` + resource + `"` + cond + `}]}`
	}
	ctx := policy.NewContext(map[string][]string{"kms:EncryptionContext:aws:s3:arn": {"arn:aws:s3:::" + unknown}})
	cases := []struct {
		name, doc, resource string
		ctx                 policy.Context
		want                bool
	}{
		{"any resource", stmt("s3:ReplicateObject", "*", ""), object, policy.Context{}, false},
		{"any bucket's objects", stmt("s3:ReplicateObject", "arn:aws:s3:::*/*", ""), object, policy.Context{}, false},
		{"any partition and bucket", stmt("s3:Replicate*", "arn:*:s3:::*", ""), object, policy.Context{}, false},
		{"a prefix of names", stmt("s3:ReplicateObject", "arn:aws:s3:::dst-*/*", ""), object, policy.Context{}, true},
		{"a named bucket", stmt("s3:ReplicateObject", "arn:aws:s3:::dst/*", ""), object, policy.Context{}, true},
		{"a suffix of names", stmt("s3:ReplicateObject", "arn:aws:s3:::*-dst/*", ""), object, policy.Context{}, true},
		{"escaped star", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ReplicateObject","Resource":"arn:aws:s3:::${*}/*"}]}`, object, policy.Context{}, true},
		{"a policy variable", stmt("s3:ReplicateObject", "arn:aws:s3:::${aws:username}/*", ""), object, policy.Context{}, true},
		{"another action", stmt("s3:GetObjectVersionForReplication", "arn:aws:s3:::src/*", ""), object, policy.Context{}, false},
		{"a key policy, no condition", stmt("kms:Encrypt", "*", ""), "arn:aws:kms:us-east-1:111122223333:key/k", ctx, false},
		{"encryption context", stmt("kms:Encrypt", "*", `,"Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::dst/*"}}`), "arn:aws:kms:us-east-1:111122223333:key/k", ctx, true},
		{"a condition on another key", stmt("kms:Encrypt", "*", `,"Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}`), "arn:aws:kms:us-east-1:111122223333:key/k", ctx, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := rulesMustParse(t, c.doc)
			action := "s3:ReplicateObject"
			if len(c.ctx.Keys()) > 0 {
				action = "kms:Encrypt"
			}
			req := &policy.Request{Principal: roleA, Action: action, Resource: c.resource, Context: c.ctx}
			if got := d.DependsOn(req, unknown); got != c.want {
				t.Errorf("DependsOn = %v, want %v", got, c.want)
			}
		})
	}
}
