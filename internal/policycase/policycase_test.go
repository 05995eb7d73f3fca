package policycase

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/policy"
)

const (
	allowPut  = `{"Version":"2012-10-17","Statement":[{"Sid":"Put","Effect":"Allow","Action":"s3:ReplicateObject","Resource":"arn:aws:s3:::dst/*"}]}`
	denyPut   = `{"Version":"2012-10-17","Statement":[{"Sid":"NoPut","Effect":"Deny","Action":"s3:ReplicateObject","Resource":"*"}]}`
	allowAll  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	bucketPol = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"s3:*","Resource":"*"}]}`
	request   = `{"principal":"arn:aws:iam::111122223333:role/r","action":"s3:ReplicateObject","resource":"arn:aws:s3:::dst/a.jpg"}`
)

// withRequest builds a case from its members other than request.
func withRequest(members string) string {
	if members == "" {
		return `{"request":` + request + `}`
	}
	return `{"request":` + request + `,` + members + `}`
}

func TestParseInputErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"empty", "", "input is empty; want a case object or an array of cases"},
		{"blank", " \n\t", "input is empty; want a case object or an array of cases"},
		{"not json", "id: x", "invalid JSON at line 1, column 1: invalid character 'i' looking for beginning of value"},
		{"second line", "[\n  {} x", "invalid JSON at line 2, column 6: invalid character 'x' after array element"},
		{"truncated", `{"id": "a"`, "invalid JSON at line 1, column 10: unexpected end of JSON input"},
		{"two values", "{} {}", "invalid JSON at line 1, column 4: invalid character '{' after top-level value"},
		{"number", "42", "top level is a JSON number; want a case object or an array of cases"},
		{"string", `"x"`, "top level is a JSON string; want a case object or an array of cases"},
		{"null", "null", "top level is a JSON null; want a case object or an array of cases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cases, err := Parse([]byte(tt.input))
			if err == nil {
				t.Fatalf("Parse(%q) = %d cases, want error %q", tt.input, len(cases), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse(%q) error:\n got %q\nwant %q", tt.input, err, tt.want)
			}
		})
	}
}

func TestParseCaseErrors(t *testing.T) {
	tests := []struct {
		name, input string
		want        string // the whole error, or its start when prefix is set
		prefix      bool
	}{
		{"not an object", `[1]`, "case[0]: want a JSON object, got number", false},
		{"id not a string", `{"id": 7}`, "id: want a string, got number", false},
		// A misspelt key must not silently drop a policy.
		{"misspelt field", withRequest(`"identityPolicy": []`), `identityPolicy: unknown field; did you mean "identityPolicies"?`, false},
		{"wrong case field", withRequest(`"SCPs": []`), `SCPs: unknown field; did you mean "scps"?`, false},
		{"odd misspelt field name", withRequest(`"scps ": []`), `["scps "]: unknown field; did you mean "scps"?`, false},
		{"request odd field name", `{"request": {"principal": "p", "action": "a", "resource": "*", "Resource ": "1"}}`, `request["Resource "]: unknown field; did you mean "resource"?`, false},
		{"no request", `{"id": "x"}`, "request: required field is missing", false},
		{"request null", `{"request": null}`, "request: required field is missing", false},
		{"request array", `{"request": []}`, "request: want a JSON object, got array", false},
		{"request misspelt field", `{"request": {"Action": "s3:GetObject"}}`, `request.Action: unknown field; did you mean "action"?`, false},
		{"no principal", `{"request": {"action": "s3:GetObject", "resource": "*"}}`, "request.principal: required field is missing", false},
		{"no action", `{"request": {"principal": "p", "resource": "*"}}`, "request.action: required field is missing", false},
		{"no resource", `{"request": {"principal": "p", "action": "s3:GetObject"}}`, "request.resource: required field is missing", false},
		{"empty action", `{"request": {"principal": "p", "action": "", "resource": "*"}}`, "request.action: required field is empty", false},
		{"account not a string", `{"request": {"principal": "p", "action": "a", "resource": "*", "resourceAccount": 444455556666}}`, "request.resourceAccount: want a string, got number", false},
		{"context not an object", `{"request": {"principal": "p", "action": "a", "resource": "*", "context": ["x"]}}`, "request.context: want a JSON object, got array", false},
		{"context value object", `{"request": {"principal": "p", "action": "a", "resource": "*", "context": {"aws:SourceIp": {}}}}`, `request.context["aws:SourceIp"]: want a string, boolean, number or a list of them, got object`, false},
		{"context value null", `{"request": {"principal": "p", "action": "a", "resource": "*", "context": {"aws:SourceIp": null}}}`, `request.context["aws:SourceIp"]: want a string, boolean, number or a list of them, got null`, false},
		{"context nested list", `{"request": {"principal": "p", "action": "a", "resource": "*", "context": {"k": ["a", ["b"]]}}}`, `request.context.k[1]: want a string, boolean or number, got array`, false},
		{"identity not an array", withRequest(`"identityPolicies": ` + allowPut), "identityPolicies: want an array of policies, got object", false},
		{"identity null element", withRequest(`"identityPolicies": [` + allowPut + `, null]`), "identityPolicies[1]: want a policy document (a JSON object, or a string holding one), got null", false},
		{"identity with principal", withRequest(`"identityPolicies": [` + bucketPol + `]`), "identityPolicies[0].Statement[0]: Principal and NotPrincipal are allowed only in a resource policy or an RCP", false},
		{"boundary with principal", withRequest(`"permissionsBoundary": ` + bucketPol), "permissionsBoundary.Statement[0]: Principal and NotPrincipal are allowed only in a resource policy or an RCP", false},
		{"session with principal", withRequest(`"sessionPolicy": ` + bucketPol), "sessionPolicy.Statement[0]: Principal and NotPrincipal are allowed only in a resource policy or an RCP", false},
		{"scp with principal", withRequest(`"scps": [[` + allowAll + `, ` + bucketPol + `]]`), "scps[0][1].Statement[0]: Principal and NotPrincipal are allowed only in a resource policy or an RCP", false},
		{"resource policy number", withRequest(`"resourcePolicy": 3`), "resourcePolicy: want a policy document (a JSON object, or a string holding one), got number", false},
		{"scps not an array", withRequest(`"scps": {}`), "scps: want an array of organization levels, got object", false},
		{"scp empty level", withRequest(`"scps": [` + allowAll + `, []]`), "scps[1]: an organization level needs at least one policy; remove the empty level", false},
		{"rcp bad member", withRequest(`"rcps": [[` + allowAll + `, true]]`), "rcps[0][1]: want a policy document (a JSON object, or a string holding one), got boolean", false},
		{"bad effect", withRequest(`"identityPolicies": [` + allowPut + `, {"Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}]`), "identityPolicies[1].Statement[0].Effect", true},
		{"bad operator", withRequest(`"resourcePolicy": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqualz": {"aws:SourceVpce": "v"}}}]}`), "resourcePolicy.Statement[0].Condition", true},
		{"policy string not json", withRequest(`"sessionPolicy": "not a policy"`), "sessionPolicy", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cases, err := Parse([]byte(tt.input))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(cases) != 1 {
				t.Fatalf("Parse gave %d cases, want 1", len(cases))
			}
			got := cases[0].Err
			if got == nil {
				t.Fatalf("case error = nil, want %q", tt.want)
			}
			if tt.prefix && !strings.HasPrefix(got.Error(), tt.want+" ") && !strings.HasPrefix(got.Error(), tt.want+".") && !strings.HasPrefix(got.Error(), tt.want+":") {
				t.Errorf("case error:\n got %q\nwant it to start with %q", got, tt.want)
			}
			if !tt.prefix && got.Error() != tt.want {
				t.Errorf("case error:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseKeepsIDOfMalformedCase(t *testing.T) {
	cases, err := Parse([]byte(`{"id": "named", "request": 1}`))
	if err != nil {
		t.Fatal(err)
	}
	if cases[0].ID != "named" || cases[0].Err == nil {
		t.Errorf("got ID %q, Err %v; want ID \"named\" and an error", cases[0].ID, cases[0].Err)
	}
}

func TestParseArrayIsolatesMalformedCases(t *testing.T) {
	input := `[` + strings.Join([]string{
		`{"id": "first", "request": ` + request + `}`,
		`{"id": "broken", "request": {"principal": "p"}}`,
		`"not a case"`,
		`{"id": "last", "request": ` + request + `, "identityPolicies": [` + allowPut + `]}`,
	}, ",") + `]`
	cases, err := Parse([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cases {
		got = append(got, fmt.Sprintf("%s/%v", c.ID, c.Err))
	}
	want := []string{
		"first/<nil>",
		"broken/request.action: required field is missing",
		"/case[2]: want a JSON object, got string",
		"last/<nil>",
	}
	if !slices.Equal(got, want) {
		t.Errorf("cases:\n got %q\nwant %q", got, want)
	}
	if n := len(cases[3].Input.Identity); n != 1 {
		t.Errorf("last case has %d identity policies, want 1", n)
	}
}

func TestParseRequest(t *testing.T) {
	input := `{"request": {
		"principal": "arn:aws:iam::111122223333:role/r", "principalAccount": "111122223333",
		"action": "s3:ReplicateObject", "resource": "arn:aws:s3:::dst/a", "resourceAccount": "444455556666",
		"context": {"aws:SecureTransport": true, "s3:max-keys": 42, "s3:x": 1.5e3, "aws:SourceVpce": "vpce-1",
			"aws:TagKeys": ["a", false, 7], "aws:Empty": []}}}`
	cases, err := Parse([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	c := cases[0]
	if c.Err != nil {
		t.Fatal(c.Err)
	}
	want := policy.Request{
		Principal: "arn:aws:iam::111122223333:role/r", PrincipalAccount: "111122223333",
		Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::dst/a", ResourceAccount: "444455556666",
	}
	got := c.Request
	got.Context = policy.Context{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("request = %+v, want %+v", got, want)
	}
	values := map[string][]string{
		"aws:SecureTransport": {"true"},
		"s3:max-keys":         {"42"},
		"s3:x":                {"1.5e3"},
		"aws:SourceVpce":      {"vpce-1"},
		"aws:TagKeys":         {"a", "false", "7"},
		"aws:Empty":           nil,
	}
	for key, want := range values {
		got, ok := c.Request.Context.Get(key)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("context %s = %q (present %v), want %q", key, got, ok, want)
		}
	}
	if n := len(c.Request.Context.Keys()); n != len(values) {
		t.Errorf("context has %d keys, want %d", n, len(values))
	}
}

func TestParsePolicyForms(t *testing.T) {
	quoted, _ := json.Marshal(allowPut)
	encoded, _ := json.Marshal(url.QueryEscape(allowPut))
	input := withRequest(`"identityPolicies": [` + allowPut + `, ` + string(quoted) + `, ` + string(encoded) + `],
		"resourcePolicy": ` + bucketPol + `, "permissionsBoundary": ` + allowAll + `, "sessionPolicy": null,
		"scps": [` + allowAll + `, [` + allowAll + `, ` + denyPut + `]], "rcps": [[` + allowAll + `]]`)
	cases, err := Parse([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	c := cases[0]
	if c.Err != nil {
		t.Fatal(c.Err)
	}
	in := c.Input
	if len(in.Identity) != 3 || in.Resource == nil || in.Boundary == nil || in.Session != nil {
		t.Fatalf("input = %+v; want 3 identity policies, a resource policy, a boundary and no session policy", in)
	}
	for i, doc := range in.Identity {
		if len(doc.Statements) != 1 || doc.Statements[0].Sid != "Put" {
			t.Errorf("identity policy %d = %+v, want the one statement Sid Put", i, doc)
		}
	}
	if len(in.SCPs) != 2 || len(in.SCPs[0]) != 1 || len(in.SCPs[1]) != 2 {
		t.Errorf("SCP levels have %v policies, want [1 2]", levelSizes(in.SCPs))
	}
	if len(in.RCPs) != 1 || len(in.RCPs[0]) != 1 {
		t.Errorf("RCP levels have %v policies, want [1]", levelSizes(in.RCPs))
	}
}

func levelSizes(levels [][]*policy.Document) []int {
	var sizes []int
	for _, l := range levels {
		sizes = append(sizes, len(l))
	}
	return sizes
}

func TestEvaluateOutput(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"allowed", withRequest(`"id": "a", "identityPolicies": [` + allowPut + `]`),
			`{"id":"a","decision":"allowed","matched":[{"policy":"identity","policyIndex":0,"statement":0,"sid":"Put","effect":"Allow"}],"reason":`},
		{"implicit deny", withRequest(`"id": "b"`),
			`{"id":"b","decision":"implicitDeny","matched":[],"reason":`},
		{"explicit deny", withRequest(`"identityPolicies": [` + allowPut + `, ` + denyPut + `]`),
			`{"id":"","decision":"explicitDeny","matched":[{"policy":"identity","policyIndex":1,"statement":0,"sid":"NoPut","effect":"Deny"}],"reason":`},
		{"malformed", `{"id": "c&d", "request": {}}`,
			`{"id":"c&d","error":"request.principal: required field is missing"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cases, err := Parse([]byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			out, err := marshal(cases[0].Evaluate())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(out), tt.want) {
				t.Errorf("output:\n got %s\nwant it to start with %s", out, tt.want)
			}
		})
	}
}

// Test vectors annotate cases with keys of their own; those are ignored.
func TestParseIgnoresAnnotations(t *testing.T) {
	input := `{"id": "annotated", "description": "role may put", "expected": {"decision": "allowed"},
		"request": ` + request + `, "identityPolicies": [` + allowPut + `]}`
	cases, err := Parse([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	if cases[0].Err != nil {
		t.Fatalf("annotated case: %v", cases[0].Err)
	}
	if got := cases[0].Evaluate().Result.Decision; got != policy.Allowed {
		t.Errorf("decision = %v, want allowed", got)
	}
}
