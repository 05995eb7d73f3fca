package tfplan

import (
	"strings"
	"testing"
)

// TestDecodeChecksAttributeTypes: a planned, prior or before value of an
// attribute replcheck reads must have the attribute's type; the error
// names its JSON path.
func TestDecodeChecksAttributeTypes(t *testing.T) {
	change := func(typ, field, value string) string {
		return `{"format_version": "1.2", "resource_changes": [{"address": "` + typ + `.r", "mode": "managed", "type": "` + typ +
			`", "name": "r", "change": {"actions": ["update"], "before": {}, "` + field + `": ` + value + `}}]}`
	}
	const repl = "aws_s3_bucket_replication_configuration"
	for _, tc := range []struct{ in, want string }{
		{change(repl, "after", `{"rule": [{"priority": "high"}]}`), `resource_changes[0].change.after.rule[0].priority: got the string "high", want a whole number`},
		{change(repl, "after", `{"rule": [{"priority": 1.5}]}`), `resource_changes[0].change.after.rule[0].priority: got the number 1.5, want a whole number`},
		{change(repl, "after", `{"role": 12}`), `resource_changes[0].change.after.role: got the number 12, want a string`},
		{change(repl, "after", `{"rule": "oops"}`), `resource_changes[0].change.after.rule: got the string "oops", want an array of objects (nested blocks)`},
		{change(repl, "after", `{"rule": ["oops"]}`), `resource_changes[0].change.after.rule: got an array, want an array of objects`},
		{change(repl, "after", `{"rule": [{"destination": [{"encryption_configuration": [{"replica_kms_key_id": true}]}]}]}`),
			`resource_changes[0].change.after.rule[0].destination[0].encryption_configuration[0].replica_kms_key_id: got the boolean true, want a string`},
		{change(repl, "after", `{"rule": [{"filter": [{"and": [{"tags": {"k": 1}}]}]}]}`), `resource_changes[0].change.after.rule[0].filter[0].and[0].tags: got an object, want an object of strings`},
		{change(repl, "after", `"x"`), `resource_changes[0].change.after: got the string "x", want an object of attribute values`},
		{change("aws_s3_bucket_versioning", "before", `{"versioning_configuration": [{"status": false}]}`),
			`resource_changes[0].change.before.versioning_configuration[0].status: got the boolean false, want a string`},
		{change("aws_s3_bucket", "after", `{"versioning": [{"enabled": "true"}]}`), `resource_changes[0].change.after.versioning[0].enabled: got the string "true", want a boolean`},
		{change("aws_iam_role", "after", `{"managed_policy_arns": "arn:aws:iam::aws:policy/x"}`), `resource_changes[0].change.after.managed_policy_arns: got the string "arn:aws:iam::aws:policy/x", want an array of strings`},
		{change("aws_kms_key", "after", `{"is_enabled": "no"}`), `resource_changes[0].change.after.is_enabled: got the string "no", want a boolean`},
		{`{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"resources": [{"address": "module.m.aws_s3_bucket_policy.p", "mode": "managed",
			"type": "aws_s3_bucket_policy", "name": "p", "values": {"policy": {"Version": "2012-10-17"}}}]}]}}}`,
			`planned_values.root_module.child_modules[0].resources[0].values.policy: got an object, want a string`},
		{`{"format_version": "1.2", "planned_values": {}, "prior_state": {"values": {"root_module": {"resources": [{"address": "data.aws_caller_identity.c", "mode": "data",
			"type": "aws_caller_identity", "name": "c", "values": {"account_id": 111111111111}}]}}}}`,
			`prior_state.values.root_module.resources[0].values.account_id: got the number 111111111111, want a string`},
	} {
		_, err := Decode([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Decode(%s)\n = %v\nwant an error containing %q", tc.in, err, tc.want)
		}
	}
	// Nulls (unset, or known only after apply) and attributes replcheck
	// does not read are not checked.
	for _, in := range []string{
		change(repl, "after", `{"role": null, "rule": [{"priority": null, "destination": null}], "token": 7}`),
		change("aws_s3_bucket", "after", `{"tags": {"a": "b"}, "grant": "anything", "versioning": null}`),
		change("aws_whatever", "after", `{"rule": "oops"}`),
	} {
		if _, err := Decode([]byte(in)); err != nil {
			t.Errorf("Decode(%s) = %v", in, err)
		}
	}
}

// TestDecodeSyntaxErrorsHaveAPosition: a file that is not JSON says
// where the parser stopped.
func TestDecodeSyntaxErrorsHaveAPosition(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{\"format_version\": \"1.2\",\n \"planned_values\": {", "not JSON: the input ends early, at line 2, column 21 (byte 46)"},
		{"", "not JSON: the input ends early, at line 1, column 1 (byte 0)"},
		{"{\n  \"a\": 1,\n  ]", "not JSON: invalid character ']' looking for beginning of object key string at line 3, column 3 (byte 14)"},
		{"{\"a\": tru}", "not JSON: invalid character '}' in literal true (expecting 'e') at line 1, column 10 (byte 9)"},
		{"{\"format_version\": \"1.2\"}\n\n  {}", "not JSON: more than one value, the second at line 3, column 3"},
	} {
		_, err := Decode([]byte(tc.in))
		if err == nil || err.Error() != tc.want && !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Decode(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

// TestFollowedValuesAreConverted: a value reached through the
// configuration (a constant, a variable) is converted to the attribute's
// type as Terraform converts it, or left pending when Terraform would
// not convert it.
func TestFollowedValuesAreConverted(t *testing.T) {
	plan := func(priority, role string) *Plan {
		t.Helper()
		p, err := Decode([]byte(`{"format_version": "1.2",
 "variables": {"role": {"value": ` + role + `}},
 "configuration": {"root_module": {"resources": [{"address": "aws_s3_bucket_replication_configuration.r", "mode": "managed",
   "type": "aws_s3_bucket_replication_configuration", "name": "r",
   "expressions": {"role": {"references": ["var.role"]}, "rule": [{"priority": {"constant_value": ` + priority + `}}]}}]}},
 "resource_changes": [{"address": "aws_s3_bucket_replication_configuration.r", "mode": "managed", "type": "aws_s3_bucket_replication_configuration",
   "name": "r", "change": {"actions": ["create"], "after": {"rule": [{}]}, "after_unknown": {"role": true, "rule": [{"priority": true}]}}}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := plan(`"2"`, `"arn:aws:iam::111111111111:role/r"`)
	r := p.Resource("aws_s3_bucket_replication_configuration.r")
	if n, ok := Number(p.Get(r, "rule", 0, "priority").V); !ok || n != 2 {
		t.Errorf(`priority = "2": got %+v, want 2`, p.Get(r, "rule", 0, "priority"))
	}
	if s, ok := p.Get(r, "role").Str(); !ok || s != "arn:aws:iam::111111111111:role/r" {
		t.Errorf("role = %q %v", s, ok)
	}
	p = plan(`"high"`, `{"arn": "x"}`)
	r = p.Resource("aws_s3_bucket_replication_configuration.r")
	for _, path := range [][]any{{"rule", 0, "priority"}, {"role"}} {
		if v := p.Get(r, path...); v.Known || v.Pending != r.Address+pathString(path) {
			t.Errorf("%s = %+v, want pending", pathString(path), v)
		}
	}
}
