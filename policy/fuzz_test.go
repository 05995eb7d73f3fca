package policy_test

import (
	"errors"
	"testing"

	"github.com/replcheck/replcheck/policy"
)

// FuzzParse checks that no input makes the parser panic, that every error
// is a *ParseError with a message, and that a parsed document can be
// evaluated.
func FuzzParse(f *testing.F) {
	for _, doc := range []string{replicationRolePolicy, destinationBucketPolicy, permissionsBoundary} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := policy.Parse(data)
		if err != nil {
			var pe *policy.ParseError
			if !errors.As(err, &pe) || pe.Msg == "" {
				t.Fatalf("Parse error %v (%T) is not a *ParseError with a message", err, err)
			}
			return
		}
		req := &policy.Request{
			Principal: "arn:aws:iam::111111111111:role/r",
			Action:    "s3:ReplicateObject",
			Resource:  "arn:aws:s3:::dst-bucket/k",
		}
		policy.Evaluate(&policy.Input{Identity: []*policy.Document{doc}, Resource: doc, Boundary: doc, SCPs: [][]*policy.Document{{doc}}}, req)
	})
}

// FuzzEvaluate evaluates fuzzed requests against a fuzzed document, as
// identity, resource and key policy, and checks invariants that hold for
// every request: an explicit deny lists the Deny statements that matched,
// an allow lists the Allow statements that decided it, and evaluation is
// deterministic.
func FuzzEvaluate(f *testing.F) {
	f.Add([]byte(destinationBucketPolicy), "arn:aws:iam::111111111111:role/service-role/replication-role", "s3:ReplicateObject", "arn:aws:s3:::dst-bucket/a", "222222222222", "aws:PrincipalAccount", "111111111111")
	f.Add([]byte(replicationRolePolicy), "arn:aws:iam::111111111111:role/r", "kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "", "kms:ViaService", "s3.us-east-1.amazonaws.com")
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}}`), "s3.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::111111111111:role/r", "", "aws:SourceAccount", "111111111111")
	f.Fuzz(func(t *testing.T, data []byte, principal, action, resource, resourceAccount, key, value string) {
		doc, err := policy.Parse(data)
		if err != nil {
			return
		}
		req := &policy.Request{
			Principal:       principal,
			Action:          action,
			Resource:        resource,
			ResourceAccount: resourceAccount,
			Context:         policy.NewContext(map[string][]string{key: {value}}),
		}
		for _, in := range []*policy.Input{
			{Identity: []*policy.Document{doc}},
			{Resource: doc},
			{Identity: []*policy.Document{doc}, Resource: doc, Boundary: doc, Session: doc, SCPs: [][]*policy.Document{{doc}}, RCPs: [][]*policy.Document{{doc}}},
		} {
			got := policy.Evaluate(in, req)
			again := policy.Evaluate(in, req)
			if got.Decision != again.Decision || len(got.Matched) != len(again.Matched) {
				t.Fatalf("Evaluate is not deterministic: %+v then %+v", got, again)
			}
			for _, m := range got.Matched {
				want := policy.Allow
				if got.Decision == policy.ExplicitDeny {
					want = policy.Deny
				}
				if m.Effect != want || doc.Statements[m.Statement].Effect != want {
					t.Fatalf("%v result lists %v", got.Decision, m)
				}
			}
			if got.Decision == policy.ExplicitDeny && len(got.Matched) == 0 {
				t.Fatalf("explicit deny names no statement: %+v", got)
			}
			if got.Reason == "" {
				t.Fatalf("result has no reason: %+v", got)
			}
		}
	})
}
