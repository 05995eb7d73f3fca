package policy_test

import (
	"testing"

	"github.com/replcheck/replcheck/policy"
)

// condCase: one identity statement with Condition cond.
// deny=false: the statement is {Sid "C", Allow s3:GetObject on *}; match => Allowed, else ImplicitDeny.
// deny=true: statements [Allow-all "All", Deny "D" with cond]; match => ExplicitDeny, else Allowed.
type condCase struct {
	name    string
	cond    string
	ctx     map[string][]string
	match   bool
	deny    bool
	version string // "" = 2012-10-17; "none" = no Version element; or a version
	princ   string // default roleA
}

func ctx1(k string, v ...string) map[string][]string { return map[string][]string{k: v} }

func runCondCases(t *testing.T, cases []condCase) {
	t.Helper()
	ev := make([]evalCase, 0, len(cases))
	for _, c := range cases {
		var body string
		if c.deny {
			body = stmt("All", "Allow", "", "*", "*", "") + "," + stmt("D", "Deny", "", "s3:GetObject", "*", c.cond)
		} else {
			body = stmt("C", "Allow", "", "s3:GetObject", "*", c.cond)
		}
		var d string
		switch c.version {
		case "":
			d = `{"Version":"2012-10-17","Statement":[` + body + `]}`
		case "none":
			d = `{"Statement":[` + body + `]}`
		default:
			d = `{"Version":"` + c.version + `","Statement":[` + body + `]}`
		}
		p := c.princ
		if p == "" {
			p = roleA
		}
		e := evalCase{name: c.name, identity: []string{d}, req: rq(p, "s3:GetObject", "arn:aws:s3:::b/home/alice/k"), ctx: c.ctx}
		if c.ctx == nil {
			e.ctx = map[string][]string{}
		}
		switch {
		case c.deny && c.match:
			e.want, e.matched = policy.ExplicitDeny, []policy.MatchedStatement{mID(0, 1, "D", D)}
		case c.deny:
			e.want, e.matched = policy.Allowed, []policy.MatchedStatement{mID(0, 0, "All", A)}
		case c.match:
			e.want, e.matched = policy.Allowed, []policy.MatchedStatement{mID(0, 0, "C", A)}
		default:
			e.want = policy.ImplicitDeny
		}
		ev = append(ev, e)
	}
	runEvalCases(t, ev)
}

func TestRulesConditionString(t *testing.T) {
	const tk = "aws:PrincipalTag/team"
	runCondCases(t, []condCase{
		// reference_policies_elements_condition_operators.html: StringEquals exact, case-sensitive
		{name: "StringEquals-match", cond: `{"StringEquals":{"aws:PrincipalTag/team":"eng"}}`, ctx: ctx1(tk, "eng"), match: true},
		// same: case-sensitive
		{name: "StringEquals-case", cond: `{"StringEquals":{"aws:PrincipalTag/team":"eng"}}`, ctx: ctx1(tk, "ENG"), match: false},
		// reference_policies_elements_condition.html: positive operator with missing key -> false
		{name: "StringEquals-missing", cond: `{"StringEquals":{"aws:PrincipalTag/team":"eng"}}`, match: false},
		// StringEquals has no wildcards: "*" is literal
		{name: "StringEquals-star-literal", cond: `{"StringEquals":{"aws:PrincipalTag/team":"e*"}}`, ctx: ctx1(tk, "eng"), match: false},
		// reference_policies_multi-value-conditions.html: several values of one key are ORed
		{name: "StringEquals-values-or", cond: `{"StringEquals":{"aws:PrincipalTag/team":["ops","eng"]}}`, ctx: ctx1(tk, "eng"), match: true},
		// StringNotEquals: different value -> true
		{name: "StringNotEquals-different", cond: `{"StringNotEquals":{"aws:PrincipalTag/team":"eng"}}`, ctx: ctx1(tk, "ops"), match: true},
		// StringNotEquals: same value -> false
		{name: "StringNotEquals-same", cond: `{"StringNotEquals":{"aws:PrincipalTag/team":"eng"}}`, ctx: ctx1(tk, "eng"), match: false},
		// reference_policies_elements_condition.html: negated operator on a missing key -> true
		{name: "StringNotEquals-missing", cond: `{"StringNotEquals":{"aws:PrincipalTag/team":"eng"}}`, match: true},
		// reference_policies_multi-value-conditions.html: negated operator with several values is NOR ("cannot match any")
		{name: "StringNotEquals-nor-hit", cond: `{"StringNotEquals":{"aws:PrincipalTag/team":["ops","eng"]}}`, ctx: ctx1(tk, "eng"), match: false},
		// same: matches none of them -> true
		{name: "StringNotEquals-nor-miss", cond: `{"StringNotEquals":{"aws:PrincipalTag/team":["ops","eng"]}}`, ctx: ctx1(tk, "hr"), match: true},
		// StringEqualsIgnoreCase
		{name: "StringEqualsIgnoreCase", cond: `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"ENG"}}`, ctx: ctx1(tk, "eng"), match: true},
		// StringNotEqualsIgnoreCase: equal ignoring case -> false
		{name: "StringNotEqualsIgnoreCase-same", cond: `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":["Ops","ENG"]}}`, ctx: ctx1(tk, "eng"), match: false},
		// StringNotEqualsIgnoreCase: missing -> true
		{name: "StringNotEqualsIgnoreCase-missing", cond: `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"eng"}}`, match: true},
		// StringLike with * and ?
		{name: "StringLike-wildcards", cond: `{"StringLike":{"s3:prefix":"home/?lice/*"}}`, ctx: ctx1("s3:prefix", "home/alice/docs/x"), match: true},
		// StringLike is case-sensitive
		{name: "StringLike-case", cond: `{"StringLike":{"s3:prefix":"Home/*"}}`, ctx: ctx1("s3:prefix", "home/alice"), match: false},
		// condition_operators: StringLike wildcards match across ':'
		{name: "StringLike-crosses-colon", cond: `{"StringLike":{"aws:SourceArn":"arn:aws:s3:::src*"}}`, ctx: ctx1("aws:SourceArn", "arn:aws:s3:::src-bucket"), match: true},
		// "?" matches exactly one character, never zero
		{name: "StringLike-question-not-empty", cond: `{"StringLike":{"s3:prefix":"a?"}}`, ctx: ctx1("s3:prefix", "a"), match: false},
		// StringLike missing key -> false
		{name: "StringLike-missing", cond: `{"StringLike":{"s3:prefix":"*"}}`, match: false},
		// StringNotLike: not like -> true
		{name: "StringNotLike-other", cond: `{"StringNotLike":{"s3:prefix":"home/*"}}`, ctx: ctx1("s3:prefix", "tmp/x"), match: true},
		// StringNotLike missing -> true
		{name: "StringNotLike-missing", cond: `{"StringNotLike":{"s3:prefix":"home/*"}}`, match: true},
		// StringNotLike NOR
		{name: "StringNotLike-nor", cond: `{"StringNotLike":{"s3:prefix":["a*","b*"]}}`, ctx: ctx1("s3:prefix", "bx"), match: false},
		// reference_policies_multi-value-conditions.html: several keys under one operator are ANDed
		{name: "keys-anded-fail", cond: `{"StringEquals":{"aws:PrincipalTag/team":"eng","aws:PrincipalTag/env":"prod"}}`, ctx: map[string][]string{tk: {"eng"}, "aws:PrincipalTag/env": {"dev"}}, match: false},
		// same: both satisfied
		{name: "keys-anded-pass", cond: `{"StringEquals":{"aws:PrincipalTag/team":"eng","aws:PrincipalTag/env":"prod"}}`, ctx: map[string][]string{tk: {"eng"}, "aws:PrincipalTag/env": {"prod"}}, match: true},
		// reference_policies_multi-value-conditions.html: several operators are ANDed
		{name: "operators-anded-fail", cond: `{"StringEquals":{"aws:PrincipalTag/team":"eng"},"StringLike":{"s3:prefix":"home/*"}}`, ctx: map[string][]string{tk: {"eng"}, "s3:prefix": {"tmp/"}}, match: false},
		// same: both satisfied
		{name: "operators-anded-pass", cond: `{"StringEquals":{"aws:PrincipalTag/team":"eng"},"StringLike":{"s3:prefix":"home/*"}}`, ctx: map[string][]string{tk: {"eng"}, "s3:prefix": {"home/a"}}, match: true},
		// reference_policies_elements_condition.html: "Condition key names are not case-sensitive" — policy side
		{name: "key-case-policy-side", cond: `{"StringEquals":{"AWS:SOURCEACCOUNT":"111122223333"}}`, ctx: ctx1("aws:SourceAccount", acctA), match: true},
		// same — request side
		{name: "key-case-request-side", cond: `{"StringEquals":{"aws:PrincipalTag/team":"eng"}}`, ctx: ctx1("AWS:PRINCIPALTAG/TEAM", "eng"), match: true},
		// reference_policies_grammar.html: a JSON boolean value compared as a string
		{name: "StringEquals-json-bool", cond: `{"StringEquals":{"aws:PrincipalTag/flag":true}}`, ctx: ctx1("aws:PrincipalTag/flag", "true"), match: true},
		// Deny + StringNotEquals with missing key denies
		{name: "deny-StringNotEquals-missing", cond: `{"StringNotEquals":{"aws:PrincipalTag/team":"eng"}}`, deny: true, match: true},
		// Deny + StringEquals missing key does not deny
		{name: "deny-StringEquals-missing", cond: `{"StringEquals":{"aws:PrincipalTag/team":"eng"}}`, deny: true, match: false},
		// reference_policies_grammar.html: a JSON number value in a string operator is compared as its string form
		{name: "StringEquals-number-value", cond: `{"StringEquals":{"s3:max-keys":10}}`, ctx: ctx1("s3:max-keys", "10"), match: true},
	})
}

func TestRulesConditionNumericDateBool(t *testing.T) {
	const n = "s3:max-keys"
	const ct = "aws:CurrentTime"
	runCondCases(t, []condCase{
		// condition_operators.html#Conditions_Numeric: NumericEquals
		{name: "NumericEquals", cond: `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx: ctx1(n, "10"), match: true},
		// NumericEquals compares numbers, not strings
		{name: "NumericEquals-decimal-form", cond: `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx: ctx1(n, "10.0"), match: true},
		// NumericNotEquals
		{name: "NumericNotEquals", cond: `{"NumericNotEquals":{"s3:max-keys":10}}`, ctx: ctx1(n, "11"), match: true},
		// negated on missing key -> true
		{name: "NumericNotEquals-missing", cond: `{"NumericNotEquals":{"s3:max-keys":10}}`, match: true},
		// NumericNotEquals NOR
		{name: "NumericNotEquals-nor", cond: `{"NumericNotEquals":{"s3:max-keys":[1,2]}}`, ctx: ctx1(n, "2"), match: false},
		// NumericLessThan strict
		{name: "NumericLessThan-equal", cond: `{"NumericLessThan":{"s3:max-keys":10}}`, ctx: ctx1(n, "10"), match: false},
		// NumericLessThan below
		{name: "NumericLessThan-below", cond: `{"NumericLessThan":{"s3:max-keys":10}}`, ctx: ctx1(n, "9"), match: true},
		// numeric, not lexical compare ("9" < "10")
		{name: "NumericLessThan-not-lexical", cond: `{"NumericLessThan":{"s3:max-keys":"9"}}`, ctx: ctx1(n, "10"), match: false},
		// NumericLessThanEquals
		{name: "NumericLessThanEquals", cond: `{"NumericLessThanEquals":{"s3:max-keys":10}}`, ctx: ctx1(n, "10"), match: true},
		// NumericGreaterThan with decimals (s3:TlsVersion 1.2)
		{name: "NumericGreaterThan-decimal", cond: `{"NumericGreaterThan":{"s3:TlsVersion":1.2}}`, ctx: ctx1("s3:TlsVersion", "1.3"), match: true},
		// NumericGreaterThanEquals
		{name: "NumericGreaterThanEquals-equal", cond: `{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`, ctx: ctx1("s3:TlsVersion", "1.2"), match: true},
		// NumericGreaterThanEquals below
		{name: "NumericGreaterThanEquals-below", cond: `{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`, ctx: ctx1("s3:TlsVersion", "1.1"), match: false},
		// a non-numeric request value never satisfies a numeric comparison
		{name: "NumericEquals-non-numeric-request", cond: `{"NumericEquals":{"s3:max-keys":10}}`, ctx: ctx1(n, "ten"), match: false},
		// positive numeric on missing key -> false
		{name: "NumericLessThan-missing", cond: `{"NumericLessThan":{"s3:max-keys":10}}`, match: false},
		// several values ORed
		{name: "NumericEquals-or", cond: `{"NumericEquals":{"s3:max-keys":[1,2]}}`, ctx: ctx1(n, "2"), match: true},
		// condition_operators.html#Conditions_Date: DateGreaterThan ISO 8601
		{name: "DateGreaterThan", cond: `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx: ctx1(ct, "2024-05-01T12:00:00Z"), match: true},
		// DateLessThan false for a later time
		{name: "DateLessThan-later", cond: `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx: ctx1(ct, "2024-05-01T12:00:00Z"), match: false},
		// condition_operators.html: dates may be epoch (UNIX) time — same instant
		{name: "DateEquals-epoch-policy", cond: `{"DateEquals":{"aws:CurrentTime":"1577836800"}}`, ctx: ctx1(ct, "2020-01-01T00:00:00Z"), match: true},
		// epoch as a JSON number
		{name: "DateLessThan-epoch-number", cond: `{"DateLessThan":{"aws:EpochTime":1577836800}}`, ctx: ctx1("aws:EpochTime", "1577836799"), match: true},
		// DateGreaterThanEquals equal instant
		{name: "DateGreaterThanEquals-equal", cond: `{"DateGreaterThanEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx: ctx1(ct, "2020-01-01T00:00:00Z"), match: true},
		// DateLessThanEquals
		{name: "DateLessThanEquals-later", cond: `{"DateLessThanEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx: ctx1(ct, "2020-01-01T00:00:01Z"), match: false},
		// ISO 8601 offsets compare by instant (01:00+01:00 == 00:00Z)
		{name: "Date-timezone-offset", cond: `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T01:00:00+01:00"}}`, ctx: ctx1(ct, "2020-01-01T00:30:00Z"), match: true},
		// W3C ISO 8601 date-only form
		{name: "Date-date-only", cond: `{"DateLessThan":{"aws:CurrentTime":"2020-01-01"}}`, ctx: ctx1(ct, "2019-12-31T23:59:59Z"), match: true},
		// an unparseable request date never satisfies a date comparison
		{name: "Date-invalid-request", cond: `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx: ctx1(ct, "yesterday"), match: false},
		// negated on missing -> true
		{name: "DateNotEquals-missing", cond: `{"DateNotEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, match: true},
		// positive date on missing -> false
		{name: "DateGreaterThan-missing", cond: `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, match: false},
		// condition_operators.html#Conditions_Boolean: Bool true
		{name: "Bool-true", cond: `{"Bool":{"aws:SecureTransport":"true"}}`, ctx: ctx1("aws:SecureTransport", "true"), match: true},
		// Bool mismatch
		{name: "Bool-mismatch", cond: `{"Bool":{"aws:SecureTransport":"true"}}`, ctx: ctx1("aws:SecureTransport", "false"), match: false},
		// Bool with JSON boolean policy value
		{name: "Bool-json-false", cond: `{"Bool":{"aws:SecureTransport":false}}`, ctx: ctx1("aws:SecureTransport", "false"), match: true},
		// Bool on a missing key -> false (Deny aws:SecureTransport false does not fire when absent)
		{name: "Bool-deny-missing", cond: `{"Bool":{"aws:SecureTransport":"false"}}`, deny: true, match: false},
		// Bool deny fires when false
		{name: "Bool-deny-false", cond: `{"Bool":{"aws:SecureTransport":"false"}}`, ctx: ctx1("aws:SecureTransport", "false"), deny: true, match: true},
		// condition_operators.html#Conditions_BinaryEquals: policy value is base64; equal bytes match
		{name: "BinaryEquals-match", cond: `{"BinaryEquals":{"aws:PrincipalTag/bin":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, ctx: ctx1("aws:PrincipalTag/bin", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="), match: true},
		// BinaryEquals: different bytes
		{name: "BinaryEquals-mismatch", cond: `{"BinaryEquals":{"aws:PrincipalTag/bin":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, ctx: ctx1("aws:PrincipalTag/bin", "b3RoZXI="), match: false},
		// BinaryEquals missing key -> false
		{name: "BinaryEquals-missing", cond: `{"BinaryEquals":{"aws:PrincipalTag/bin":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, match: false},
	})
}

func TestRulesConditionIPArnNull(t *testing.T) {
	const ip = "aws:SourceIp"
	const pa = "aws:SourceArn"
	runCondCases(t, []condCase{
		// condition_operators.html#Conditions_IPAddress: IPv4 CIDR contains
		{name: "IpAddress-v4-cidr", cond: `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx: ctx1(ip, "203.0.113.5"), match: true},
		// outside CIDR
		{name: "IpAddress-v4-outside", cond: `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx: ctx1(ip, "203.0.114.5"), match: false},
		// bare address = /32
		{name: "IpAddress-bare-equal", cond: `{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}`, ctx: ctx1(ip, "203.0.113.5"), match: true},
		// bare address does not cover a neighbour
		{name: "IpAddress-bare-neighbour", cond: `{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}`, ctx: ctx1(ip, "203.0.113.6"), match: false},
		// IPv6 CIDR (doc example 2001:DB8:1234:5678::/64)
		{name: "IpAddress-v6-cidr", cond: `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, ctx: ctx1(ip, "2001:db8:1234:5678::1"), match: true},
		// IPv6 outside
		{name: "IpAddress-v6-outside", cond: `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, ctx: ctx1(ip, "2001:db8:1234:5679::1"), match: false},
		// IPv4 policy vs IPv6 request
		{name: "IpAddress-family-mismatch", cond: `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx: ctx1(ip, "2001:db8::1"), match: false},
		// positive on missing (aws:SourceIp absent via VPC endpoint) -> false
		{name: "IpAddress-missing", cond: `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, match: false},
		// several values ORed
		{name: "IpAddress-list-or", cond: `{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}`, ctx: ctx1(ip, "203.0.113.9"), match: true},
		// NotIpAddress NOR: in one of the ranges -> false
		{name: "NotIpAddress-nor-hit", cond: `{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}`, ctx: ctx1(ip, "10.1.2.3"), match: false},
		// NotIpAddress outside all -> true
		{name: "NotIpAddress-outside", cond: `{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}`, ctx: ctx1(ip, "8.8.8.8"), match: true},
		// negated on missing -> true (Deny NotIpAddress denies VPC-endpoint traffic without aws:SourceIp)
		{name: "NotIpAddress-deny-missing", cond: `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, deny: true, match: true},
		// condition_operators.html#Conditions_ARN doc example: ArnLike is per component — no match
		{name: "ArnLike-per-component-doc-example", cond: `{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`,
			ctx: ctx1(pa, "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), match: false},
		// same doc example: StringLike crosses ':' — match
		{name: "StringLike-doc-example", cond: `{"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`,
			ctx: ctx1(pa, "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), match: true},
		// ArnEquals exact
		{name: "ArnEquals-exact", cond: `{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::src"}}`, ctx: ctx1(pa, "arn:aws:s3:::src"), match: true},
		// ARN operators are case-sensitive
		{name: "ArnEquals-case", cond: `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Repl"}}`, match: false},
		// condition_operators.html: ArnEquals accepts wildcards like ArnLike
		{name: "ArnEquals-wildcard", cond: `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::*:role/repl"}}`, match: true},
		// ArnLike within the resource component spans '/'
		{name: "ArnLike-slash", cond: `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::src/*"}}`, ctx: ctx1(pa, "arn:aws:s3:::src/a/b/c"), match: true},
		// ArnLike "?" inside one component
		{name: "ArnLike-question", cond: `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::11112222333?:role/repl"}}`, match: true},
		// ArnLike per component: account wildcard cannot absorb the region component
		{name: "ArnLike-wildcard-stays-in-component", cond: `{"ArnLike":{"aws:SourceArn":"arn:aws:sqs:*:q"}}`, ctx: ctx1(pa, "arn:aws:sqs:us-east-1:111122223333:q"), match: false},
		// StringLike with the same pattern crosses ':'
		{name: "StringLike-absorbs-components", cond: `{"StringLike":{"aws:SourceArn":"arn:aws:sqs:*:q"}}`, ctx: ctx1(pa, "arn:aws:sqs:us-east-1:111122223333:q"), match: true},
		// a non-ARN request value never matches ArnLike
		{name: "ArnLike-not-an-arn", cond: `{"ArnLike":{"aws:SourceArn":"arn:*:*:*:*:*"}}`, ctx: ctx1(pa, "not-an-arn"), match: false},
		// ArnNotEquals different -> true
		{name: "ArnNotEquals-different", cond: `{"ArnNotEquals":{"aws:PrincipalArn":"` + role2A + `"}}`, match: true},
		// ArnNotEquals NOR
		{name: "ArnNotEquals-nor", cond: `{"ArnNotEquals":{"aws:PrincipalArn":["` + role2A + `","` + roleA + `"]}}`, match: false},
		// ArnNotLike matching -> false
		{name: "ArnNotLike-match", cond: `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}`, match: false},
		// negated ARN on a missing key -> true
		{name: "ArnNotLike-missing", cond: `{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::src"}}`, match: true},
		// ArnLike on missing -> false
		{name: "ArnLike-missing", cond: `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}`, match: false},
		// condition_operators.html#Conditions_Null: "true" = key absent
		{name: "Null-true-absent", cond: `{"Null":{"aws:PrincipalTag/team":"true"}}`, match: true},
		// Null true with key present -> false
		{name: "Null-true-present", cond: `{"Null":{"aws:PrincipalTag/team":"true"}}`, ctx: ctx1("aws:PrincipalTag/team", "eng"), match: false},
		// Null false with key present -> true
		{name: "Null-false-present", cond: `{"Null":{"aws:PrincipalTag/team":false}}`, ctx: ctx1("aws:PrincipalTag/team", "eng"), match: true},
		// Null false with key absent -> false
		{name: "Null-false-absent", cond: `{"Null":{"aws:PrincipalTag/team":"false"}}`, match: false},
	})
}

func TestRulesConditionIfExists(t *testing.T) {
	const tk = "aws:PrincipalTag/team"
	runCondCases(t, []condCase{
		// condition_operators.html#Conditions_IfExists: "If the key is not present ... the condition evaluates to true"
		{name: "StringEqualsIfExists-missing", cond: `{"StringEqualsIfExists":{"aws:PrincipalTag/team":"eng"}}`, match: true},
		// present and mismatching -> false
		{name: "StringEqualsIfExists-mismatch", cond: `{"StringEqualsIfExists":{"aws:PrincipalTag/team":"eng"}}`, ctx: ctx1(tk, "ops"), match: false},
		// present and matching -> true
		{name: "StringEqualsIfExists-match", cond: `{"StringEqualsIfExists":{"aws:PrincipalTag/team":"eng"}}`, ctx: ctx1(tk, "eng"), match: true},
		// same page: "with a negated condition operator like StringNotEqualsIfExists, the request is still denied even if the tag is missing"
		{name: "deny-StringNotEqualsIfExists-missing", cond: `{"StringNotEqualsIfExists":{"aws:PrincipalTag/team":"eng"}}`, deny: true, match: true},
		// negated IfExists present and equal -> false
		{name: "deny-StringNotEqualsIfExists-equal", cond: `{"StringNotEqualsIfExists":{"aws:PrincipalTag/team":"eng"}}`, ctx: ctx1(tk, "eng"), deny: true, match: false},
		// NumericLessThanIfExists missing
		{name: "NumericLessThanIfExists-missing", cond: `{"NumericLessThanIfExists":{"s3:max-keys":10}}`, match: true},
		// NumericLessThanIfExists present and failing
		{name: "NumericLessThanIfExists-failing", cond: `{"NumericLessThanIfExists":{"s3:max-keys":10}}`, ctx: ctx1("s3:max-keys", "100"), match: false},
		// ArnLikeIfExists missing
		{name: "ArnLikeIfExists-missing", cond: `{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:s3:::src"}}`, match: true},
		// IpAddressIfExists missing
		{name: "IpAddressIfExists-missing", cond: `{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`, match: true},
		// DateGreaterThanIfExists present and failing
		{name: "DateGreaterThanIfExists-failing", cond: `{"DateGreaterThanIfExists":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, ctx: ctx1("aws:CurrentTime", "2024-01-01T00:00:00Z"), match: false},
		// BoolIfExists missing
		{name: "BoolIfExists-missing", cond: `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`, match: true},
		// IfExists suffix with key-name case differences
		{name: "StringLikeIfExists-present-case-key", cond: `{"StringLikeIfExists":{"S3:X-AMZ-SERVER-SIDE-ENCRYPTION":["aws:kms","AES256"]}}`, ctx: ctx1("s3:x-amz-server-side-encryption", "none"), match: false},
	})
}

func TestRulesConditionSetOperators(t *testing.T) {
	const tk = "aws:TagKeys"
	empty := map[string][]string{tk: {}}
	runCondCases(t, []condCase{
		// reference_policies_condition-single-vs-multi-valued-context-keys.html: ForAllValues:StringNotLike doc table — [key1:legal] -> no match
		{name: "ForAllValues-StringNotLike-key1legal", cond: `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, ctx: ctx1(tk, "key1:legal"), match: false},
		// same table: [key1:hr, key1:personnel] -> no match
		{name: "ForAllValues-StringNotLike-two-key1", cond: `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, ctx: ctx1(tk, "key1:hr", "key1:personnel"), match: false},
		// same table: [key2:audit] -> match
		{name: "ForAllValues-StringNotLike-key2", cond: `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, ctx: ctx1(tk, "key2:audit"), match: true},
		// same table: key absent -> match
		{name: "ForAllValues-StringNotLike-absent", cond: `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, match: true},
		// per-element negation: a mixed set fails ForAllValues:StringNotLike
		{name: "ForAllValues-StringNotLike-mixed", cond: `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, ctx: ctx1(tk, "key2:a", "key1:b"), match: false},
		// cloud-copilot operator page table: ForAnyValue:StringNotEquals [Dept,DataClass] -> true
		{name: "ForAnyValue-StringNotEquals-some-unlisted", cond: `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["DataClass","Owner"]}}`, ctx: ctx1(tk, "Dept", "DataClass"), match: true},
		// same: [DataClass,Owner] -> false
		{name: "ForAnyValue-StringNotEquals-all-listed", cond: `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["DataClass","Owner"]}}`, ctx: ctx1(tk, "DataClass", "Owner"), match: false},
		// same: absent -> false
		{name: "ForAnyValue-StringNotEquals-absent", cond: `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["DataClass","Owner"]}}`, match: false},
		// reference_policies_multi-value-conditions.html: ForAllValues — every request value in the policy set
		{name: "ForAllValues-StringEquals-subset", cond: `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx: ctx1(tk, "a"), match: true},
		// one value outside -> false
		{name: "ForAllValues-StringEquals-outside", cond: `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx: ctx1(tk, "a", "c"), match: false},
		// same page: ForAllValues "returns true if there are no context keys in the request"
		{name: "ForAllValues-StringEquals-missing", cond: `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, match: true},
		// ... or the key resolves to an empty data set
		{name: "ForAllValues-StringEquals-empty", cond: `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx: empty, match: true},
		// ForAnyValue — some request value matches
		{name: "ForAnyValue-StringEquals-one", cond: `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx: ctx1(tk, "c", "b"), match: true},
		// none matches
		{name: "ForAnyValue-StringEquals-none", cond: `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx: ctx1(tk, "c"), match: false},
		// ForAnyValue missing -> false
		{name: "ForAnyValue-StringEquals-missing", cond: `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, match: false},
		// ForAnyValue empty -> false
		{name: "ForAnyValue-StringEquals-empty", cond: `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx: empty, match: false},
		// ForAnyValue:StringLike
		{name: "ForAnyValue-StringLike", cond: `{"ForAnyValue:StringLike":{"aws:TagKeys":"key1*"}}`, ctx: ctx1(tk, "x", "key1:a"), match: true},
		// ForAllValues:StringEqualsIgnoreCase
		{name: "ForAllValues-IgnoreCase", cond: `{"ForAllValues:StringEqualsIgnoreCase":{"aws:TagKeys":["Env","Team"]}}`, ctx: ctx1(tk, "env", "TEAM"), match: true},
		// Deny + ForAnyValue on missing key does not deny
		{name: "deny-ForAnyValue-missing", cond: `{"ForAnyValue:StringEquals":{"aws:TagKeys":"secret"}}`, deny: true, match: false},
		// Deny + ForAllValues with Null guard: missing key -> no deny (Null false fails)
		{name: "ForAllValues-null-guard", cond: `{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]},"Null":{"aws:TagKeys":"false"}}`, match: false},
		// per-element negation: ForAllValues:StringNotEquals on an empty set -> true
		{name: "ForAllValues-StringNotEquals-empty", cond: `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a"]}}`, ctx: empty, match: true},
		// ForAnyValue:StringNotLike on a missing key -> false (ForAnyValue is false when missing, even negated)
		{name: "ForAnyValue-StringNotLike-absent", cond: `{"ForAnyValue:StringNotLike":{"aws:TagKeys":"key1*"}}`, match: false},
		// ForAnyValue:StringNotLike with one non-matching element -> true
		{name: "ForAnyValue-StringNotLike-one", cond: `{"ForAnyValue:StringNotLike":{"aws:TagKeys":"key1*"}}`, ctx: ctx1(tk, "key1:a", "key2:b"), match: true},
		// ForAllValues:StringNotEquals NOR per element: each element must differ from every listed value
		{name: "ForAllValues-StringNotEquals-one-listed", cond: `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, ctx: ctx1(tk, "c", "b"), match: false},
		// set operator key name is case-insensitive
		{name: "ForAnyValue-key-case", cond: `{"ForAnyValue:StringEquals":{"AWS:TAGKEYS":"a"}}`, ctx: ctx1(tk, "a"), match: true},
	})
}
