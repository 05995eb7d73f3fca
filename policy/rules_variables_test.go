package policy_test

import (
	"testing"

	"github.com/replcheck/replcheck/policy"
)

// vdoc renders a one-statement identity policy {Sid "V", Allow s3:GetObject}
// with the given Version header ("" = absent), Resource and Condition.
func vdoc(version, resource, cond string) string {
	h := ""
	if version != "" {
		h = `"Version":"` + version + `",`
	}
	return `{` + h + `"Statement":[` + stmt("V", "Allow", "", "s3:GetObject", resource, cond) + `]}`
}

func vcase(name, version, resource, cond, principal, reqRes string, ctx map[string][]string, allowed bool) evalCase {
	c := evalCase{name: name, identity: []string{vdoc(version, resource, cond)}, req: rq(principal, "s3:GetObject", reqRes), ctx: ctx, want: policy.ImplicitDeny}
	if allowed {
		c.want = policy.Allowed
		c.matched = []policy.MatchedStatement{mID(0, 0, "V", A)}
	}
	return c
}

func TestRulesVariables(t *testing.T) {
	const v12, v08 = "2012-10-17", "2008-10-17"
	home := "arn:aws:s3:::home/${aws:username}/*"
	team := map[string][]string{"aws:PrincipalTag/team": {"eng"}}
	runEvalCases(t, []evalCase{
		// reference_policies_variables.html: ${aws:username} replaced by the user's name (derived from the user principal)
		vcase("username-resource-match", v12, home, "", userA, "arn:aws:s3:::home/alice/a.txt", nil, true),
		// same: another user's folder does not match
		vcase("username-resource-other-user", v12, home, "", userA, "arn:aws:s3:::home/bob/a.txt", nil, false),
		// reference_policies_variables.html: "you must ... set the Version element to 2012-10-17"; under 2008-10-17 "${aws:username}" is literal text
		vcase("v2008-literal-no-substitution", v08, home, "", userA, "arn:aws:s3:::home/alice/a.txt", nil, false),
		// same: the literal text itself matches under 2008-10-17
		vcase("v2008-literal-matches-literal", v08, home, "", userA, "arn:aws:s3:::home/${aws:username}/a.txt", nil, true),
		// reference_policies_elements_version.html: no Version = 2008-10-17 behaviour -> literal
		vcase("no-version-literal", "", home, "", userA, "arn:aws:s3:::home/alice/a.txt", nil, false),
		// same: literal matches literally with no Version
		vcase("no-version-literal-matches-literal", "", home, "", userA, "arn:aws:s3:::home/${aws:username}/a.txt", nil, true),
		// reference_policies_variables.html: aws:username is not present for role sessions -> Resource with it matches nothing
		vcase("username-missing-for-role", v12, home, "", roleA, "arn:aws:s3:::home/repl/a.txt", nil, false),
		// same: the unresolved variable does not fall back to literal matching
		vcase("missing-variable-not-literal", v12, home, "", roleA, "arn:aws:s3:::home/${aws:username}/a.txt", nil, false),
		// aws:username of a user with a path is the last component (arn:aws:iam::A:user/division/alice -> alice)
		vcase("username-user-with-path", v12, home, "", "arn:aws:iam::111122223333:user/division/alice", "arn:aws:s3:::home/alice/a.txt", nil, true),
		// reference_policies_elements_condition.html: key names are case-insensitive — also when looked up for a variable
		vcase("variable-key-case-insensitive", v12, "arn:aws:s3:::dept/${aws:PrincipalTag/team}/*", "", roleA, "arn:aws:s3:::dept/eng/x", map[string][]string{"AWS:PRINCIPALTAG/TEAM": {"eng"}}, true),
		// two variables in one Resource
		vcase("two-variables", v12, "arn:aws:s3:::${aws:PrincipalAccount}-data/${aws:PrincipalTag/team}/*", "", roleA, "arn:aws:s3:::111122223333-data/eng/x", team, true),
		// reference_policies_variables.html: ${aws:PrincipalTag/team} from the request context
		vcase("principal-tag-resource", v12, "arn:aws:s3:::dept/${aws:PrincipalTag/team}/*", "", roleA, "arn:aws:s3:::dept/eng/x", team, true),
		// tag value differs from the folder
		vcase("principal-tag-resource-other", v12, "arn:aws:s3:::dept/${aws:PrincipalTag/team}/*", "", roleA, "arn:aws:s3:::dept/ops/x", team, false),
		// reference_policies_variables.html#policy-vars-default-values: default used when the key is missing
		vcase("default-used-when-missing", v12, "arn:aws:s3:::dept/${aws:PrincipalTag/team, 'company-wide'}/*", "", roleA, "arn:aws:s3:::dept/company-wide/x", nil, true),
		// default not used when the key is present
		vcase("default-ignored-when-present", v12, "arn:aws:s3:::dept/${aws:PrincipalTag/team, 'company-wide'}/*", "", roleA, "arn:aws:s3:::dept/company-wide/x", team, false),
		// value used when present
		vcase("default-present-value", v12, "arn:aws:s3:::dept/${aws:PrincipalTag/team, 'company-wide'}/*", "", roleA, "arn:aws:s3:::dept/eng/x", team, true),
		// reference_policies_variables.html#policy-vars-specialchars: ${*} is a literal '*'
		vcase("escape-star-literal", v12, "arn:aws:s3:::dst/${*}file", "", roleA, "arn:aws:s3:::dst/*file", nil, true),
		// ${*} is not a wildcard
		vcase("escape-star-not-wildcard", v12, "arn:aws:s3:::dst/${*}file", "", roleA, "arn:aws:s3:::dst/afile", nil, false),
		// ${?} is a literal '?'
		vcase("escape-question-literal", v12, "arn:aws:s3:::dst/a${?}", "", roleA, "arn:aws:s3:::dst/a?", nil, true),
		// ${?} is not a single-char wildcard
		vcase("escape-question-not-wildcard", v12, "arn:aws:s3:::dst/a${?}", "", roleA, "arn:aws:s3:::dst/ab", nil, false),
		// ${$} is a literal '$'
		vcase("escape-dollar-literal", v12, "arn:aws:s3:::dst/${$}x", "", roleA, "arn:aws:s3:::dst/$x", nil, true),
		// Request docs: aws:PrincipalAccount is derived from the principal
		vcase("principal-account-derived", v12, "arn:aws:s3:::bucket-${aws:PrincipalAccount}/*", "", roleA, "arn:aws:s3:::bucket-111122223333/x", nil, true),
		// reference_policies_variables.html: variables in string condition values
		vcase("condition-StringEquals-username", v12, "*", `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, userA, "arn:aws:s3:::home", map[string][]string{"s3:prefix": {"home/alice"}}, true),
		// StringLike with variable + wildcard
		vcase("condition-StringLike-username", v12, "*", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, userA, "arn:aws:s3:::home", map[string][]string{"s3:prefix": {"home/alice/docs"}}, true),
		// under 2008-10-17 the condition value is literal
		vcase("condition-v2008-literal", v08, "*", `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, userA, "arn:aws:s3:::home", map[string][]string{"s3:prefix": {"home/alice"}}, false),
		// under 2008-10-17 the literal compares equal to the literal text
		vcase("condition-v2008-literal-equal", v08, "*", `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, userA, "arn:aws:s3:::home", map[string][]string{"s3:prefix": {"home/${aws:username}"}}, true),
		// reference_policies_variables.html: missing value — "StringEquals ... doesn't match"
		vcase("missing-StringEquals-no-match", v12, "*", `{"StringEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}`, roleA, "arn:aws:s3:::b/k", map[string][]string{"s3:ExistingObjectTag/Team": {"eng"}}, false),
		// reference_policies_variables.html: inverted operators match — "the value ... is not equal to or like the effectively null value"
		vcase("missing-StringNotEquals-matches", v12, "*", `{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}`, roleA, "arn:aws:s3:::b/k", map[string][]string{"s3:ExistingObjectTag/Team": {"eng"}}, true),
		// same for StringNotLike
		vcase("missing-StringNotLike-matches", v12, "*", `{"StringNotLike":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}*"}}`, roleA, "arn:aws:s3:::b/k", map[string][]string{"s3:ExistingObjectTag/Team": {"eng"}}, true),
		// same rule for the ARN inverted operator: ArnNotEquals with an unresolved variable matches
		vcase("missing-ArnNotEquals-matches", v12, "*", `{"ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::${aws:PrincipalTag/bucket}"}}`, roleA, "arn:aws:s3:::b/k", map[string][]string{"aws:SourceArn": {"arn:aws:s3:::src"}}, true),
		// missing value + StringLike doesn't match
		vcase("missing-StringLike-no-match", v12, "*", `{"StringLike":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}*"}}`, roleA, "arn:aws:s3:::b/k", map[string][]string{"s3:ExistingObjectTag/Team": {"eng"}}, false),
		// variable present and equal in StringEquals
		vcase("tag-StringEquals-match", v12, "*", `{"StringEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}`, roleA, "arn:aws:s3:::b/k", map[string][]string{"s3:ExistingObjectTag/Team": {"eng"}, "aws:PrincipalTag/Team": {"eng"}}, true),
		// variable in an ARN operator value
		vcase("arn-operator-variable", v12, "*", `{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::${aws:PrincipalTag/bucket}"}}`, roleA, "arn:aws:s3:::b/k", map[string][]string{"aws:SourceArn": {"arn:aws:s3:::src"}, "aws:PrincipalTag/bucket": {"src"}}, true),
		// condition_operators.html: StringEquals has no wildcards even after substitution
		vcase("substituted-value-is-literal", v12, "*", `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/p}"}}`, roleA, "arn:aws:s3:::b", map[string][]string{"s3:prefix": {"abc"}, "aws:PrincipalTag/p": {"a*"}}, false),
		// aws:PrincipalArn of a session is the role ARN (reference_policies_condition-keys.html#condition-keys-principalarn)
		vcase("principal-arn-of-session-is-role", v12, "*", `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/repl"}}`, sessA, "arn:aws:s3:::b/k", nil, true),
		// default value in a condition
		vcase("default-in-condition", v12, "*", `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'shared'}/"}}`, roleA, "arn:aws:s3:::b", map[string][]string{"s3:prefix": {"shared/"}}, true),
		// deny form of the doc example: Deny StringNotEquals ExistingObjectTag/Team ${aws:PrincipalTag/Team} denies callers without the tag
		{name: "doc-example-deny-untagged-caller",
			identity: []string{doc(stmt("All", "Allow", "", "*", "*", ""), stmt("TeamOnly", "Deny", "", "s3:GetObject", "*", `{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}`))},
			req:      rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), ctx: map[string][]string{"s3:ExistingObjectTag/Team": {"eng"}},
			want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mID(0, 1, "TeamOnly", D)}},
		// same, tagged caller with the same team is not denied
		{name: "doc-example-tagged-caller-allowed",
			identity: []string{doc(stmt("All", "Allow", "", "*", "*", ""), stmt("TeamOnly", "Deny", "", "s3:GetObject", "*", `{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}`))},
			req:      rq(roleA, "s3:GetObject", "arn:aws:s3:::b/k"), ctx: map[string][]string{"s3:ExistingObjectTag/Team": {"eng"}, "aws:PrincipalTag/Team": {"eng"}},
			want: policy.Allowed, matched: []policy.MatchedStatement{mID(0, 0, "All", A)}},
		// reference_policies_variables.html: a Resource with a variable whose value is missing matches nothing — so a Deny on it does not fire
		{name: "deny-resource-missing-variable-matches-nothing",
			identity: []string{doc(stmt("All", "Allow", "", "*", "*", ""), stmt("DenyHome", "Deny", "", "s3:GetObject", "arn:aws:s3:::home/${aws:username}/*", ""))},
			req:      rq(roleA, "s3:GetObject", "arn:aws:s3:::home/repl/x"), want: policy.Allowed},
	})
}
