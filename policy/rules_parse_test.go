package policy_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/policy"
)

// parseOK: a legal document form. After parsing, the statement count,
// Version and Sids are checked, and (when eval is set) the document is
// evaluated as the given kind to show the form was understood, not just
// accepted.
type parseOK struct {
	name    string
	doc     string
	version string
	sids    []string // one per statement
	// optional evaluation: kind "identity" or "resource"
	kind string
	req  policy.Request
	ctx  map[string][]string
	want policy.Decision
}

func TestRulesParseValidForms(t *testing.T) {
	base := `{"Version":"2012-10-17","Statement":[{"Sid":"S0","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	cases := []parseOK{
		// reference_policies_grammar.html: version_block = "Version" : ("2008-10-17" | "2012-10-17")
		{name: "version-2012", doc: base, version: "2012-10-17", sids: []string{"S0"},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_elements_version.html: 2008-10-17 is the earlier, still accepted version
		{name: "version-2008", doc: `{"Version":"2008-10-17","Statement":[{"Sid":"S0","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`,
			version: "2008-10-17", sids: []string{"S0"},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_grammar.html: the version block is optional (<version_block?>)
		{name: "version-absent", doc: `{"Statement":[{"Sid":"S0","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`,
			version: "", sids: []string{"S0"},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_grammar.html: "if an element takes an array but only one value is included, the brackets are optional" (Statement as object)
		{name: "statement-single-object", doc: `{"Version":"2012-10-17","Statement":{"Sid":"Only","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
			version: "2012-10-17", sids: []string{"Only"},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_grammar.html: Sid and Id are optional; statements keep document order
		{name: "id-and-two-statements-no-sid", doc: `{"Version":"2012-10-17","Id":"doc1","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Sid":"Second","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret"}]}`,
			version: "2012-10-17", sids: []string{"", "Second"},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/secret"), want: policy.ExplicitDeny},
		// reference_policies_grammar.html: Action as an array of strings
		{name: "action-list", doc: `{"Version":"2012-10-17","Statement":[{"Sid":"L","Effect":"Allow","Action":["s3:GetObject","s3:ReplicateObject"],"Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]}]}`,
			version: "2012-10-17", sids: []string{"L"},
			kind: "identity", req: rq(roleA, "s3:ReplicateObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_elements_notaction.html: NotAction as string
		{name: "notaction-string", doc: `{"Version":"2012-10-17","Statement":[{"Sid":"NA","Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`,
			version: "2012-10-17", sids: []string{"NA"},
			kind: "identity", req: rq(roleA, "iam:CreateUser", "*"), want: policy.ImplicitDeny},
		// reference_policies_elements_notresource.html: NotResource as list
		{name: "notresource-list", doc: `{"Version":"2012-10-17","Statement":[{"Sid":"NR","Effect":"Allow","Action":"s3:GetObject","NotResource":["arn:aws:s3:::secret/*","arn:aws:s3:::hr/*"]}]}`,
			version: "2012-10-17", sids: []string{"NR"},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::hr/x"), want: policy.ImplicitDeny},
		// reference_policies_elements_principal.html: "Principal": "*" (everyone)
		{name: "principal-star", doc: rAllow("P", `"*"`, "s3:GetObject", "arn:aws:s3:::b/*"),
			version: "2012-10-17", sids: []string{"P"},
			kind: "resource", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_elements_principal.html: {"AWS":"*"} is equivalent to "*"
		{name: "principal-aws-star", doc: rAllow("P", `{"AWS":"*"}`, "s3:GetObject", "arn:aws:s3:::b/*"),
			version: "2012-10-17", sids: []string{"P"},
			kind: "resource", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_elements_principal.html: AWS principal as a single ARN string
		{name: "principal-aws-string", doc: rAllow("P", `{"AWS":"arn:aws:iam::111122223333:role/repl"}`, "s3:GetObject", "arn:aws:s3:::b/*"),
			version: "2012-10-17", sids: []string{"P"},
			kind: "resource", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_elements_principal.html: AWS principal as a list
		{name: "principal-aws-list", doc: rAllow("P", `{"AWS":["arn:aws:iam::111122223333:role/other","arn:aws:iam::111122223333:role/repl"]}`, "s3:GetObject", "arn:aws:s3:::b/*"),
			version: "2012-10-17", sids: []string{"P"},
			kind: "resource", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_elements_principal.html: Service principal as string
		{name: "principal-service-string", doc: rAllow("T", `{"Service":"s3.amazonaws.com"}`, "sts:AssumeRole", ""),
			version: "2012-10-17", sids: []string{"T"},
			kind: "resource", req: rq(svcS3, "sts:AssumeRole", roleA), want: policy.Allowed},
		// reference_policies_elements_principal.html: Service principal as list
		{name: "principal-service-list", doc: rAllow("T", `{"Service":["batchoperations.s3.amazonaws.com","s3.amazonaws.com"]}`, "sts:AssumeRole", ""),
			version: "2012-10-17", sids: []string{"T"},
			kind: "resource", req: rq(svcS3, "sts:AssumeRole", roleA), want: policy.Allowed},
		// reference_policies_elements_principal.html: Federated principal (string); it does not name the s3 service
		{name: "principal-federated-string", doc: rAllow("F", `{"Federated":"cognito-identity.amazonaws.com"}`, "sts:AssumeRoleWithWebIdentity", ""),
			version: "2012-10-17", sids: []string{"F"},
			kind: "resource", req: rq(svcS3, "sts:AssumeRole", roleA), want: policy.ImplicitDeny},
		// reference_policies_elements_principal.html: Federated principal (list of SAML provider ARNs)
		{name: "principal-federated-list", doc: rAllow("F", `{"Federated":["arn:aws:iam::111122223333:saml-provider/a","arn:aws:iam::111122223333:saml-provider/b"]}`, "sts:AssumeRoleWithSAML", ""),
			version: "2012-10-17", sids: []string{"F"}},
		// reference_policies_elements_principal.html: CanonicalUser principal (string)
		{name: "principal-canonicaluser-string", doc: rAllow("C", `{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`, "s3:GetObject", "arn:aws:s3:::b/*"),
			version: "2012-10-17", sids: []string{"C"},
			kind: "resource", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.ImplicitDeny},
		// reference_policies_elements_principal.html: CanonicalUser principal (list) mixed with AWS
		{name: "principal-canonicaluser-list-and-aws", doc: rAllow("C", `{"CanonicalUser":["79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"],"AWS":"arn:aws:iam::111122223333:role/repl"}`, "s3:GetObject", "arn:aws:s3:::b/*"),
			version: "2012-10-17", sids: []string{"C"},
			kind: "resource", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.Allowed},
		// reference_policies_elements_notprincipal.html: NotPrincipal with AWS list
		{name: "notprincipal-aws-list", doc: doc(`{"Sid":"NP","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:role/other"]},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
			version: "2012-10-17", sids: []string{"NP"}},
		// reference_policies_grammar.html: statement list may be empty ("Statement": [] as in CLI.md's example)
		{name: "statement-empty-list", doc: `{"Version":"2012-10-17","Statement":[]}`, version: "2012-10-17", sids: []string{},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.ImplicitDeny},
		// reference_policies_elements_principal.html: AWS principal list of bare account ids (delegation: identity still needed)
		{name: "principal-aws-account-ids", doc: rAllow("Acct", `{"AWS":["444455556666","111122223333"]}`, "s3:GetObject", "arn:aws:s3:::b/*"),
			version: "2012-10-17", sids: []string{"Acct"},
			kind: "resource", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), want: policy.ImplicitDeny},
		// reference_policies_grammar.html: "Quotation marks are optional for numeric and Boolean values" (JSON boolean)
		{name: "condition-json-boolean", doc: doc(stmt("B", "Allow", "", "s3:GetObject", "*", `{"Bool":{"aws:SecureTransport":true}}`)),
			version: "2012-10-17", sids: []string{"B"},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), ctx: map[string][]string{"aws:SecureTransport": {"true"}}, want: policy.Allowed},
		// reference_policies_grammar.html: condition values may be JSON numbers
		{name: "condition-json-number", doc: doc(stmt("N", "Allow", "", "s3:ListBucket", "*", `{"NumericLessThanEquals":{"s3:max-keys":10}}`)),
			version: "2012-10-17", sids: []string{"N"},
			kind: "identity", req: rq(roleA, "s3:ListBucket", "arn:aws:s3:::b"), ctx: map[string][]string{"s3:max-keys": {"11"}}, want: policy.ImplicitDeny},
		// reference_policies_grammar.html: condition value list mixing a number and a string
		{name: "condition-list-mixed", doc: doc(stmt("N", "Allow", "", "s3:ListBucket", "*", `{"NumericEquals":{"s3:max-keys":[5,"10"]}}`)),
			version: "2012-10-17", sids: []string{"N"},
			kind: "identity", req: rq(roleA, "s3:ListBucket", "arn:aws:s3:::b"), ctx: map[string][]string{"s3:max-keys": {"10"}}, want: policy.Allowed},
		// reference_policies_grammar.html: condition value as a plain string
		{name: "condition-string", doc: doc(stmt("S", "Allow", "", "s3:GetObject", "*", `{"StringEquals":{"aws:PrincipalTag/team":"eng"}}`)),
			version: "2012-10-17", sids: []string{"S"},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), ctx: map[string][]string{"aws:PrincipalTag/team": {"ops"}}, want: policy.ImplicitDeny},
		// reference_policies_grammar.html: blocks may appear in any order (Resource before Effect, Condition first)
		{name: "element-order-free", doc: `{"Statement":[{"Condition":{"Bool":{"aws:SecureTransport":"true"}},"Resource":"*","Action":"s3:GetObject","Effect":"Deny","Sid":"X"}],"Version":"2012-10-17"}`,
			version: "2012-10-17", sids: []string{"X"},
			kind: "identity", req: rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), ctx: map[string][]string{"aws:SecureTransport": {"true"}}, want: policy.ExplicitDeny},
		// reference_policies_elements_condition.html: IfExists and ForAllValues/ForAnyValue prefixes are legal operator forms
		{name: "condition-prefixed-operators", doc: doc(stmt("Q", "Allow", "", "s3:GetObject", "*", `{"ForAllValues:StringLike":{"aws:TagKeys":["a*"]},"ForAnyValue:StringEquals":{"aws:CalledVia":"x"},"StringEqualsIfExists":{"aws:PrincipalTag/t":"v"}}`)),
			version: "2012-10-17", sids: []string{"Q"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := rulesMustParse(t, c.doc)
			checkParsedDoc(t, d, c)
			// CLI.md: policies may be "strings holding JSON, URL-encoded or not, as IAM's APIs return them"
			t.Run("json-string", func(t *testing.T) {
				b, _ := json.Marshal(c.doc)
				checkParsedDoc(t, rulesMustParse(t, string(b)), c)
			})
			// API_GetRolePolicy.html: "The returned policy is URL-encoded compliant with RFC 3986"
			t.Run("url-encoded", func(t *testing.T) {
				checkParsedDoc(t, rulesMustParse(t, url.PathEscape(c.doc)), c)
			})
		})
	}
}

func checkParsedDoc(t *testing.T, d *policy.Document, c parseOK) {
	t.Helper()
	if d.Version != c.version {
		t.Errorf("Version = %q, want %q", d.Version, c.version)
	}
	if len(d.Statements) != len(c.sids) {
		t.Fatalf("len(Statements) = %d, want %d", len(d.Statements), len(c.sids))
	}
	for i, s := range c.sids {
		if d.Statements[i].Sid != s {
			t.Errorf("Statements[%d].Sid = %q, want %q", i, d.Statements[i].Sid, s)
		}
		if d.Statements[i].Effect != policy.Allow && d.Statements[i].Effect != policy.Deny {
			t.Errorf("Statements[%d].Effect = %v", i, d.Statements[i].Effect)
		}
	}
	if c.kind == "" {
		return
	}
	in := &policy.Input{}
	switch c.kind {
	case "identity":
		in.Identity = []*policy.Document{d}
	case "resource":
		in.Resource = d
	}
	req := c.req
	if c.ctx != nil {
		req.Context = policy.NewContext(c.ctx)
	}
	got := policy.Evaluate(in, &req)
	if got.Decision != c.want {
		t.Errorf("decision = %v, want %v (reason %q)", got.Decision, c.want, got.Reason)
	}
}

// TestRulesParseURLEncodedDetails pins the encoding details of documents as
// IAM returns them: %-escapes including spaces and newlines.
func TestRulesParseURLEncodedDetails(t *testing.T) {
	// API_GetRolePolicy.html / API_GetAccountAuthorizationDetails: policy documents are URL-encoded (RFC 3986),
	// here with %20 for spaces and %0A for newlines as the AWS CLI shows them before decoding.
	pretty := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"Pretty One\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}\n  ]\n}"
	enc := url.PathEscape(pretty)
	if !strings.Contains(enc, "%20") || !strings.Contains(enc, "%0A") {
		t.Fatalf("test setup: %q", enc)
	}
	d := rulesMustParse(t, enc)
	if len(d.Statements) != 1 || d.Statements[0].Sid != "Pretty One" || d.Version != "2012-10-17" {
		t.Errorf("decoded = %+v", d)
	}
	// CLI.md: "strings holding JSON, URL-encoded or not" — a JSON string whose content is URL-encoded JSON
	d3 := rulesMustParse(t, jstr(enc))
	if len(d3.Statements) != 1 || d3.Statements[0].Sid != "Pretty One" {
		t.Errorf("decoded = %+v", d3)
	}
	// RFC 8259: insignificant whitespace around the document
	d4 := rulesMustParse(t, "\n\t "+pretty+"\n")
	if len(d4.Statements) != 1 {
		t.Errorf("decoded = %+v", d4)
	}
	// url.QueryEscape-style fully escaped form (every reserved character escaped) also decodes.
	d2 := rulesMustParse(t, strings.ReplaceAll(url.QueryEscape(pretty), "+", "%20"))
	if len(d2.Statements) != 1 || d2.Statements[0].Sid != "Pretty One" {
		t.Errorf("decoded = %+v", d2)
	}
}

type parseErr struct {
	name   string
	doc    string
	path   string // expected ParseError.Path
	prefix bool   // path only has to start with this value
	any    bool   // path not asserted (malformed JSON)
}

func TestRulesParseErrors(t *testing.T) {
	good := `{"Sid":"G","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`
	cases := []parseErr{
		// RFC 8259 / reference_policies_grammar.html: a policy must be valid JSON
		{name: "malformed-json-truncated", doc: `{"Version":"2012-10-17","Statement":[`, any: true},
		// RFC 8259: trailing garbage after the document
		{name: "malformed-json-trailing", doc: `{"Version":"2012-10-17","Statement":[]} x`, any: true},
		// reference_policies_grammar.html: policy must be a JSON object
		{name: "top-level-array", doc: `[{"Version":"2012-10-17"}]`, path: "", prefix: true},
		// reference_policies_elements_condition_operators.html: only the documented operators exist
		{name: "unknown-operator", doc: doc(good, good, stmt("Bad", "Allow", "", "s3:GetObject", "*", `{"StringEqualz":{"aws:username":"a"}}`)), path: "Statement[2].Condition.StringEqualz"},
		// reference_policies_elements_condition_operators.html: "You can add IfExists to the end of any condition operator name except the Null condition"
		{name: "null-ifexists-invalid", doc: doc(stmt("Bad", "Allow", "", "s3:GetObject", "*", `{"NullIfExists":{"aws:username":"true"}}`)), path: "Statement[0].Condition.NullIfExists"},
		// reference_policies_multi-value-conditions.html: only ForAllValues: and ForAnyValue: are set qualifiers
		{name: "unknown-set-qualifier", doc: doc(stmt("Bad", "Allow", "", "s3:GetObject", "*", `{"ForSomeValues:StringEquals":{"aws:TagKeys":"a"}}`)), path: "Statement[0].Condition.ForSomeValues:StringEquals"},
		// reference_policies_grammar.html: condition block maps operator -> {key: value(s)}; a string is the wrong type
		{name: "condition-operator-block-not-object", doc: doc(good, good, stmt("Bad", "Allow", "", "s3:GetObject", "*", `{"StringEquals":"abc"}`)), path: "Statement[2].Condition.StringEquals"},
		// reference_policies_grammar.html: condition values are strings, numbers, booleans or lists of them (an object is invalid)
		{name: "condition-value-object", doc: doc(stmt("Bad", "Allow", "", "s3:GetObject", "*", `{"StringEquals":{"aws:username":{"a":"b"}}}`)), path: "Statement[0].Condition.StringEquals", prefix: true},
		// reference_policies_grammar.html: Condition is an object
		{name: "condition-not-object", doc: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":["x"]}`), path: "Statement[0].Condition"},
		// reference_policies_elements_effect.html: Effect is a string "Allow" or "Deny" (number invalid)
		{name: "effect-number", doc: doc(`{"Effect":1,"Action":"s3:GetObject","Resource":"*"}`), path: "Statement[0].Effect"},
		// reference_policies_elements_effect.html: "Valid values for Effect are Allow and Deny. The Effect value is case sensitive."
		{name: "effect-lowercase-allow", doc: doc(good, `{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}`), path: "Statement[1].Effect"},
		// reference_policies_elements_effect.html: case sensitive (DENY is not Deny)
		{name: "effect-uppercase-deny", doc: doc(`{"Effect":"DENY","Action":"s3:GetObject","Resource":"*"}`), path: "Statement[0].Effect"},
		// reference_policies_grammar.html: effect_block is required
		{name: "effect-missing", doc: doc(`{"Sid":"x","Action":"s3:GetObject","Resource":"*"}`), path: "Statement[0]", prefix: true},
		// reference_policies_grammar.html: action_block value is a string or array of strings (object invalid)
		{name: "action-object", doc: doc(`{"Effect":"Allow","Action":{"s3":"GetObject"},"Resource":"*"}`), path: "Statement[0].Action"},
		// reference_policies_grammar.html: array elements of Action must be strings
		{name: "action-list-number", doc: doc(`{"Effect":"Allow","Action":["s3:GetObject",5],"Resource":"*"}`), path: "Statement[0].Action", prefix: true},
		// reference_policies_elements_principal.html: principal values are strings
		{name: "principal-aws-list-number", doc: doc(`{"Effect":"Allow","Principal":{"AWS":["111122223333",7]},"Action":"s3:GetObject","Resource":"*"}`), path: "Statement[0].Principal", prefix: true},
		// reference_policies_grammar.html: NotAction is a string or list (object invalid)
		{name: "notaction-object", doc: doc(`{"Effect":"Deny","NotAction":{"a":"b"},"Resource":"*"}`), path: "Statement[0].NotAction"},
		// reference_policies_grammar.html: a condition value list holds only strings/numbers/booleans
		{name: "condition-value-list-object", doc: doc(good, stmt("Bad", "Allow", "", "s3:GetObject", "*", `{"StringLike":{"s3:prefix":["a",{"b":1}]}}`)), path: "Statement[1].Condition.StringLike", prefix: true},
		// reference_policies_grammar.html: resource values are strings
		{name: "resource-number", doc: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":42}`), path: "Statement[0].Resource"},
		// reference_policies_grammar.html: action_block = ("Action" | "NotAction") — exactly one
		{name: "action-and-notaction", doc: doc(`{"Effect":"Allow","Action":"s3:GetObject","NotAction":"s3:PutObject","Resource":"*"}`), path: "Statement[0]", prefix: true},
		// reference_policies_grammar.html: the action block is required
		{name: "neither-action-nor-notaction", doc: doc(good, `{"Effect":"Allow","Resource":"*"}`), path: "Statement[1]", prefix: true},
		// reference_policies_grammar.html: resource_block = ("Resource" | "NotResource") — not both
		{name: "resource-and-notresource", doc: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","NotResource":"arn:aws:s3:::b"}`), path: "Statement[0]", prefix: true},
		// reference_policies_grammar.html: principal_block = ("Principal" | "NotPrincipal") — not both
		{name: "principal-and-notprincipal", doc: doc(`{"Effect":"Deny","Principal":"*","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}`), path: "Statement[0]", prefix: true},
		// reference_policies_elements_principal.html: principal map keys are AWS, Service, Federated, CanonicalUser
		{name: "principal-unknown-type", doc: doc(`{"Effect":"Allow","Principal":{"Amazon":"x"},"Action":"s3:GetObject","Resource":"*"}`), path: "Statement[0].Principal", prefix: true},
		// reference_policies_elements_principal.html: the only bare-string principal is "*"
		{name: "principal-bare-arn-string", doc: doc(`{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"s3:GetObject","Resource":"*"}`), path: "Statement[0].Principal", prefix: true},
		// reference_policies_elements_version.html: Version must be 2012-10-17 or 2008-10-17
		{name: "unknown-version", doc: `{"Version":"2020-01-01","Statement":[` + good + `]}`, path: "Version"},
		// reference_policies_elements_version.html: Version is a string (number invalid)
		{name: "version-number", doc: `{"Version":2012,"Statement":[` + good + `]}`, path: "Version"},
		// reference_policies_grammar.html: Statement is an object or array of objects
		{name: "statement-string", doc: `{"Version":"2012-10-17","Statement":"x"}`, path: "Statement", prefix: true},
		// reference_policies_grammar.html: Statement array elements are objects
		{name: "statement-element-number", doc: `{"Version":"2012-10-17","Statement":[` + good + `,7]}`, path: "Statement[1]"},
		// reference_policies_elements_sid.html: Sid is a string
		{name: "sid-number", doc: doc(`{"Sid":5,"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), path: "Statement[0].Sid"},
		// reference_policies_grammar.html (notes): duplicate keys are not allowed in a JSON object (encoding/json would keep the last)
		{name: "duplicate-top-level-key", doc: `{"Version":"2012-10-17","Version":"2008-10-17","Statement":[` + good + `]}`, path: "Version", prefix: true},
		// reference_policies_grammar.html: duplicate Effect in one statement must be rejected, not last-wins
		{name: "duplicate-statement-key", doc: doc(good, `{"Effect":"Deny","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), path: "Statement[1]", prefix: true},
		// reference_policies_grammar.html: duplicate operator keys inside Condition
		{name: "duplicate-condition-operator", doc: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"a:b":"1"},"StringEquals":{"a:b":"2"}}}`), path: "Statement[0].Condition", prefix: true},
		// reference_policies_grammar.html: duplicate context key under one operator
		{name: "duplicate-condition-key", doc: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"a:b":"1","a:b":"2"}}}`), path: "Statement[0].Condition.StringEquals", prefix: true},
		// reference_policies_grammar.html: the statement elements are Sid, Effect, Principal/NotPrincipal, Action/NotAction, Resource/NotResource, Condition
		{name: "unknown-statement-element", doc: doc(good, `{"Effect":"Allow","Actions":"s3:GetObject","Action":"s3:GetObject","Resource":"*"}`), path: "Statement[1].Actions"},
		// reference_policies_grammar.html: top-level elements are Version, Id, Statement
		{name: "unknown-top-level-element", doc: `{"Version":"2012-10-17","Statment":[],"Statement":[` + good + `]}`, path: "Statment"},
		// CLI.md: a JSON string holding an invalid document reports the inner path
		{name: "json-string-wrapping-bad-effect", doc: jstr(doc(`{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}`)), path: "Statement[0].Effect"},
		// CLI.md: URL-encoded invalid document reports the inner path
		{name: "url-encoded-bad-effect", doc: url.PathEscape(doc(good, good, `{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}`)), path: "Statement[2].Effect"},
		// RFC 8259: empty input is not a JSON document
		{name: "empty-input", doc: ``, any: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := policy.Parse([]byte(c.doc))
			if err == nil {
				t.Fatalf("Parse succeeded (%d statements), want *ParseError", len(d.Statements))
			}
			var pe *policy.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not *policy.ParseError", err, err)
			}
			// API: Error() = "Path: Msg"
			if pe.Path != "" && err.Error() != pe.Path+": "+pe.Msg {
				t.Errorf("Error() = %q, want %q", err.Error(), pe.Path+": "+pe.Msg)
			}
			if pe.Msg == "" {
				t.Errorf("ParseError.Msg is empty (Path %q)", pe.Path)
			}
			if c.any {
				return
			}
			if c.prefix {
				if !strings.HasPrefix(pe.Path, c.path) {
					t.Errorf("Path = %q, want prefix %q (msg %q)", pe.Path, c.path, pe.Msg)
				}
				return
			}
			if pe.Path != c.path {
				t.Errorf("Path = %q, want %q (msg %q)", pe.Path, c.path, pe.Msg)
			}
		})
	}
}
