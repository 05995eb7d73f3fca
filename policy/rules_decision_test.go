package policy_test

import (
	"testing"

	"github.com/replcheck/replcheck/policy"
)

// Shared documents for the decision tables.
var (
	idRepl     = allow("Repl", "s3:ReplicateObject", "arn:aws:s3:::dst/*")
	idDenyRepl = deny("NoRepl", "s3:ReplicateObject", "*")
	bndGetOnly = allow("BGet", "s3:GetObject", "*")
	bndRepl    = allow("BRepl", "s3:Replicate*", "*")
	sesGetOnly = allow("SGet", "s3:GetObject", "*")
	sesRepl    = allow("SRepl", "s3:ReplicateObject", "*")
	scpAll     = allowAll
	scpGetOnly = allow("ScpGet", "s3:Get*", "*")
	reqRepl    = rq(roleA, "s3:ReplicateObject", objDst)
	reqReplX   = rqx(roleA, "s3:ReplicateObject", objDst, acctB)
	// bucket policy granting the replication action to a principal (raw JSON)
	bp = func(principal string) string {
		return rAllow("BP", principal, "s3:ReplicateObject", "arn:aws:s3:::dst/*")
	}
)

func TestRulesDecisionExplicitDeny(t *testing.T) {
	runEvalCases(t, []evalCase{
		// reference_policies_evaluation-logic_policy-eval-denyallow.html: no policy allows -> implicit deny ("by default, all requests are implicitly denied")
		{name: "no-policies-implicit", req: reqRepl, want: policy.ImplicitDeny},
		// reference_policies_evaluation-logic.html: same-account identity Allow with no other policy -> allowed
		{name: "identity-allow-only", identity: []string{idRepl}, req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A)}},
		// policy-eval-denyallow.html: "An explicit deny in any of these policies overrides the allow" (identity, other policy)
		{name: "identity-deny-in-second-policy", identity: []string{idRepl, idDenyRepl}, req: reqRepl, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mID(1, 0, "NoRepl", D)}},
		// policy-eval-denyallow.html: explicit deny in a resource-based policy
		{name: "resource-deny", identity: []string{idRepl}, resource: doc(stmt("BDeny", "Deny", `"*"`, "s3:ReplicateObject", "arn:aws:s3:::dst/*", "")),
			req: reqRepl, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mRes(0, "BDeny", D)}},
		// access_policies_boundaries.html: "An explicit deny in any of these policies overrides the allow" (boundary)
		{name: "boundary-deny", identity: []string{idRepl}, boundary: doc(stmt("BA", "Allow", "", "*", "*", ""), stmt("BD", "Deny", "", "s3:Replicate*", "*", "")),
			req: reqRepl, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mBnd(1, "BD", D)}},
		// orgs_manage_policies_scps.html: an explicit Deny in an SCP denies regardless of identity allows
		{name: "scp-deny", identity: []string{idRepl}, scps: [][]string{{doc(stmt("FA", "Allow", "", "*", "*", ""), stmt("NoRepl", "Deny", "", "s3:ReplicateObject", "*", ""))}},
			req: reqRepl, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mSCP(0, 0, 1, "NoRepl", D)}},
		// orgs_manage_policies_scps.html: a Deny at a lower level (account) denies
		{name: "scp-deny-second-level-second-member", identity: []string{idRepl}, scps: [][]string{{scpAll}, {scpAll, deny("AcctDeny", "s3:*", "*")}},
			req: reqRepl, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mSCP(1, 1, 0, "AcctDeny", D)}},
		// orgs_manage_policies_rcps.html: an explicit Deny in an RCP denies access to the resource
		{name: "rcp-deny", identity: []string{idRepl}, rcps: [][]string{{doc(stmt("RA", "Allow", `"*"`, "*", "*", ""), stmt("RD", "Deny", `"*"`, "s3:ReplicateObject", "*", ""))}},
			req: reqRepl, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mRCP(0, 0, 1, "RD", D)}},
		// access_policies.html#policies_session: explicit deny in a session policy
		{name: "session-deny", identity: []string{idRepl}, session: doc(stmt("SA", "Allow", "", "*", "*", ""), stmt("SD", "Deny", "", "s3:ReplicateObject", "*", "")),
			req: reqRepl, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mSes(1, "SD", D)}},
		// policy-eval-denyallow.html: every matching Deny is reported (identity + resource + SCP)
		{name: "deny-everywhere-all-reported", identity: []string{idRepl, idDenyRepl},
			resource: doc(stmt("BDeny", "Deny", `"*"`, "s3:*", "*", "")),
			scps:     [][]string{{doc(stmt("FA", "Allow", "", "*", "*", ""), stmt("SD", "Deny", "", "s3:Replicate*", "*", ""))}},
			req:      reqRepl, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mID(1, 0, "NoRepl", D), mRes(0, "BDeny", D), mSCP(0, 0, 1, "SD", D)}},
		// policy-eval-denyallow.html: explicit deny beats a same-account resource-policy grant to the role ARN
		{name: "identity-deny-beats-resource-grant", identity: []string{idDenyRepl}, resource: bp(pAWS(roleA)),
			req: reqRepl, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mID(0, 0, "NoRepl", D)}},
		// policy-eval-denyallow.html: a Deny that does not match the action is irrelevant
		{name: "nonmatching-deny-ignored", identity: []string{idRepl, deny("NoDel", "s3:DeleteObject", "*")}, req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A)}},
		// policy-eval-denyallow.html: two matching denies in one policy are both reported
		{name: "two-denies-same-policy", identity: []string{doc(stmt("A1", "Allow", "", "*", "*", ""), stmt("D1", "Deny", "", "s3:*", "*", ""), stmt("D2", "Deny", "", "*", "arn:aws:s3:::dst/*", ""))},
			req: reqRepl, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mID(0, 1, "D1", D), mID(0, 2, "D2", D)}},
	})
}

func TestRulesDecisionOrganizations(t *testing.T) {
	runEvalCases(t, []evalCase{
		// orgs_manage_policies_scps.html: SCPs never grant; identity policy still needed
		{name: "scp-allow-no-identity", scps: [][]string{{scpAll}}, req: reqRepl, want: policy.ImplicitDeny},
		// orgs_manage_policies_scps.html: every level must allow — account level allows only s3:Get*
		{name: "scp-level-without-allow", identity: []string{idRepl}, scps: [][]string{{scpAll}, {scpGetOnly}}, req: reqRepl, want: policy.ImplicitDeny},
		// iam-evaluation.md §1.2: SCP "no Allow" is an implicit deny, even when a level is empty
		{name: "scp-empty-level", identity: []string{idRepl}, scps: [][]string{{scpAll}, {emptyDoc}}, req: reqRepl, want: policy.ImplicitDeny},
		// orgs_manage_policies_scps.html: at a level, ANY attached SCP allowing suffices
		{name: "scp-level-any-member-allows", identity: []string{idRepl}, scps: [][]string{{scpAll}, {scpGetOnly, allow("ScpRepl", "s3:Replicate*", "*")}},
			req: reqRepl, want: policy.Allowed, matched: []policy.MatchedStatement{mID(0, 0, "Repl", A)}},
		// orgs_manage_policies_scps.html: three levels all allowing -> allowed
		{name: "scp-three-levels-allow", identity: []string{idRepl}, scps: [][]string{{scpAll}, {scpAll}, {allow("S3", "s3:*", "*")}},
			req: reqRepl, want: policy.Allowed, matched: []policy.MatchedStatement{mID(0, 0, "Repl", A), mSCP(2, 0, 0, "S3", A)}},
		// orgs_manage_policies_scps.html: root level not allowing denies even if lower levels allow
		{name: "scp-root-level-without-allow", identity: []string{idRepl}, scps: [][]string{{scpGetOnly}, {scpAll}}, req: reqRepl, want: policy.ImplicitDeny},
		// orgs_manage_policies_scps.html: SCP Deny on another action does not matter
		{name: "scp-deny-other-action", identity: []string{idRepl}, scps: [][]string{{doc(stmt("FA", "Allow", "", "*", "*", ""), stmt("NoLeave", "Deny", "", "organizations:LeaveOrganization", "*", ""))}},
			req: reqRepl, want: policy.Allowed},
		// reference_policies_evaluation-logic.html: "If an SCP is present, identity-based and resource-based policies grant permissions ... only if those policies and the SCP allow" (resource grant capped)
		{name: "scp-caps-resource-grant", resource: bp(pAWS(roleA)), scps: [][]string{{scpGetOnly}}, req: reqRepl, want: policy.ImplicitDeny},
		// same rule: resource grant with SCP allowing -> allowed
		{name: "scp-allows-resource-grant", resource: bp(pAWS(roleA)), scps: [][]string{{scpAll}}, req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mRes(0, "BP", A)}},
		// reference_policies_evaluation-logic-cross-account.html: the principal's account SCPs limit it cross-account
		{name: "scp-applies-cross-account", identity: []string{idRepl}, resource: bp(pAWS(roleA)), scps: [][]string{{scpGetOnly}}, req: reqReplX, want: policy.ImplicitDeny},
		// orgs_manage_policies_scps.html: SCPs affect only IAM principals of member accounts, not service principals
		{name: "scp-not-applied-to-service-principal", resource: rAllow("Trust", `{"Service":"s3.amazonaws.com"}`, "sts:AssumeRole", ""),
			scps: [][]string{{emptyDoc}}, req: rq(svcS3, "sts:AssumeRole", roleA), want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "Trust", A)}},
		// orgs_manage_policies_scps.html: SCP conditions are evaluated (aws:RequestedRegion guard)
		{name: "scp-condition-region-deny", identity: []string{idRepl},
			scps: [][]string{{doc(stmt("FA", "Allow", "", "*", "*", ""), stmt("Region", "Deny", "", "*", "*", `{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}`))}},
			req:  reqRepl, ctx: map[string][]string{"aws:RequestedRegion": {"ap-south-1"}}, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mSCP(0, 0, 1, "Region", D)}},
		// orgs_manage_policies_rcps.html: RCPs never grant
		{name: "rcp-allow-no-identity", rcps: [][]string{{rcpAll}}, req: reqRepl, want: policy.ImplicitDeny},
		// orgs_manage_policies_rcps.html: no applicable Allow in an RCP -> deny (implicit)
		{name: "rcp-level-without-allow", identity: []string{idRepl}, rcps: [][]string{{rcpAll}, {doc(stmt("OnlyGet", "Allow", `"*"`, "s3:GetObject", "*", ""))}}, req: reqRepl, want: policy.ImplicitDeny},
		// orgs_manage_policies_rcps.html: RCPFullAWSAccess at every level -> identity decides
		{name: "rcp-full-access", identity: []string{idRepl}, rcps: [][]string{{rcpAll}, {rcpAll}}, req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A)}},
		// orgs_manage_policies_rcps.html: at a level any RCP allowing suffices
		{name: "rcp-level-any-member-allows", identity: []string{idRepl}, rcps: [][]string{{rcpAll}, {emptyDoc, rcpAll}}, req: reqRepl, want: policy.Allowed},
		// orgs_manage_policies_rcps.html: RCPs apply to external principals (resource-side guardrail), data-perimeter deny
		{name: "rcp-deny-external-principal", identity: []string{idRepl}, resource: bp(pAWS(roleA)),
			rcps: [][]string{{doc(stmt("RA", "Allow", `"*"`, "*", "*", ""), stmt("Perimeter", "Deny", `"*"`, "s3:*", "*", `{"StringNotEqualsIfExists":{"aws:PrincipalAccount":"444455556666"}}`))}},
			req:  reqReplX, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mRCP(0, 0, 1, "Perimeter", D)}},
		// orgs_manage_policies_rcps.html: cross-account with both sides allowing but RCP without allow -> deny
		{name: "rcp-no-allow-cross-account", identity: []string{idRepl}, resource: bp(pAWS(roleA)), rcps: [][]string{{emptyDoc}}, req: reqReplX, want: policy.ImplicitDeny},
		// iam-evaluation.md §1.4: SCPs of the resource account do not restrict an external principal; Input.SCPs are the principal's — allowing here
		{name: "rcp-and-scp-allow-cross-account", identity: []string{idRepl}, resource: bp(pAWS(roleA)), scps: [][]string{{scpAll}}, rcps: [][]string{{rcpAll}}, req: reqReplX, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A), mRes(0, "BP", A)}},
	})
}

func TestRulesDecisionSameAccountPrincipalForms(t *testing.T) {
	runEvalCases(t, []evalCase{
		// reference_policies_evaluation-logic.html table: account principal "delegates authority to the account" -> identity policy also needed
		{name: "account-root-arn-no-identity", resource: bp(pAWS(rootA)), req: reqRepl, want: policy.ImplicitDeny},
		// reference_policies_elements_principal.html: bare account id "111122223333" == arn:aws:iam::111122223333:root (delegation only)
		{name: "account-bare-id-no-identity", resource: bp(pAWS(acctA)), req: reqRepl, want: policy.ImplicitDeny},
		// same table: account principal + identity allow -> allowed
		{name: "account-root-arn-with-identity", identity: []string{idRepl}, resource: bp(pAWS(rootA)), req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A)}},
		// same table: role ARN principal grants without an identity policy
		{name: "role-arn-no-identity", resource: bp(pAWS(roleA)), req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mRes(0, "BP", A)}},
		// access_policies_boundaries.html: role-ARN grant "is limited by an implicit deny in a permissions boundary" (benkehoe RA -> Deny)
		{name: "role-arn-capped-by-boundary", resource: bp(pAWS(roleA)), boundary: bndGetOnly, req: reqRepl, want: policy.ImplicitDeny},
		// benkehoe/permissions-boundary-test: BA-RA -> Allow (boundary allows, resource allows, no identity)
		{name: "role-arn-boundary-allows", resource: bp(pAWS(roleA)), boundary: bndRepl, req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mRes(0, "BP", A)}},
		// benkehoe/permissions-boundary-test: PA-RA -> Deny (identity allows, resource allows, boundary silent)
		{name: "role-arn-identity-and-resource-boundary-silent", identity: []string{idRepl}, resource: bp(pAWS(roleA)), boundary: bndGetOnly, req: reqRepl, want: policy.ImplicitDeny},
		// evaluation-logic.html table: role-ARN grant is limited by an implicit deny in a session policy
		{name: "role-arn-capped-by-session", resource: bp(pAWS(roleA)), session: sesGetOnly, req: reqRepl, want: policy.ImplicitDeny},
		// reference_policies_elements_principal.html: a role ARN principal matches every session of the role
		{name: "role-arn-matches-session-caller", resource: bp(pAWS(roleA)), req: rq(sessA, "s3:ReplicateObject", objDst), want: policy.Allowed,
			matched: []policy.MatchedStatement{mRes(0, "BP", A)}},
		// evaluation-logic.html table: role SESSION ARN principal is not limited by the boundary's implicit deny
		{name: "session-arn-not-capped-by-boundary", resource: bp(pAWS(sessA)), boundary: bndGetOnly, req: rq(sessA, "s3:ReplicateObject", objDst), want: policy.Allowed,
			matched: []policy.MatchedStatement{mRes(0, "BP", A)}},
		// evaluation-logic.html table: role session ARN principal is not limited by the session policy's implicit deny
		{name: "session-arn-not-capped-by-session-policy", resource: bp(pAWS(sessA)), session: sesGetOnly, req: rq(sessA, "s3:ReplicateObject", objDst), want: policy.Allowed},
		// reference_policies_elements_principal.html: a session ARN names only that session
		{name: "session-arn-other-session", resource: bp(pAWS("arn:aws:sts::111122223333:assumed-role/repl/other")), req: rq(sessA, "s3:ReplicateObject", objDst), want: policy.ImplicitDeny},
		// evaluation-logic.html: "*"+aws:PrincipalArn grants are not limited by boundaries "unless the identity-based policies contain an explicit deny"
		{name: "star-principalarn-not-capped-by-boundary",
			resource: doc(stmt("Star", "Allow", `"*"`, "s3:ReplicateObject", "arn:aws:s3:::dst/*", `{"ArnEquals":{"aws:PrincipalArn":"`+roleA+`"}}`)),
			boundary: bndGetOnly, req: reqRepl, want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "Star", A)}},
		// same sentence: ... nor by session policies
		{name: "star-principalarn-not-capped-by-session",
			resource: doc(stmt("Star", "Allow", `{"AWS":"*"}`, "s3:ReplicateObject", "arn:aws:s3:::dst/*", `{"StringEquals":{"aws:PrincipalArn":"`+roleA+`"}}`)),
			session:  sesGetOnly, req: reqRepl, want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "Star", A)}},
		// same sentence: "... unless the identity-based policies contain an explicit deny" (boundary deny)
		{name: "star-principalarn-boundary-explicit-deny",
			resource: doc(stmt("Star", "Allow", `"*"`, "s3:ReplicateObject", "arn:aws:s3:::dst/*", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}`)),
			boundary: doc(stmt("BA", "Allow", "", "*", "*", ""), stmt("BD", "Deny", "", "s3:ReplicateObject", "*", "")),
			req:      reqRepl, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mBnd(1, "BD", D)}},
		// aws:PrincipalArn condition not satisfied -> the * grant does not apply
		{name: "star-principalarn-other-role", resource: doc(stmt("Star", "Allow", `"*"`, "s3:ReplicateObject", "arn:aws:s3:::dst/*", `{"ArnEquals":{"aws:PrincipalArn":"`+role2A+`"}}`)),
			req: reqRepl, want: policy.ImplicitDeny},
		// evaluation-logic.html: "*" — "for IAM users and role principals within your account, no other permissions are required"
		{name: "star-no-identity-same-account", resource: bp(`"*"`), req: reqRepl, want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "BP", A)}},
		// evaluation-logic.html table: IAM user ARN grants without identity policy
		{name: "user-arn-no-identity", resource: bp(pAWS(userA)), req: rq(userA, "s3:ReplicateObject", objDst), want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "BP", A)}},
		// evaluation-logic.html table: IAM user ARN grant is not limited by the user's boundary implicit deny
		{name: "user-arn-not-capped-by-boundary", resource: bp(pAWS(userA)), boundary: bndGetOnly, req: rq(userA, "s3:ReplicateObject", objDst), want: policy.Allowed},
		// reference_policies_evaluation-logic.html §1.1: a role session is evaluated with its role's identity policies
		{name: "session-caller-identity-allow", identity: []string{idRepl}, req: rq(sessA, "s3:ReplicateObject", objDst), want: policy.Allowed, matched: []policy.MatchedStatement{mID(0, 0, "Repl", A)}},
		// iam-evaluation.md §1.4: console roles live under role/service-role/; role/<name> names a different principal
		{name: "role-path-mismatch", resource: bp(pAWS("arn:aws:iam::111122223333:role/service-role/repl")), req: reqRepl, want: policy.ImplicitDeny},
		// a grant to a different role does not help
		{name: "other-role-no-identity", resource: bp(pAWS(role2A)), req: reqRepl, want: policy.ImplicitDeny},
		// evaluation-logic.html: resource policy for a different action does not grant; identity allow decides
		{name: "resource-other-action-identity-allows", identity: []string{idRepl}, resource: rAllow("Get", pAWS(roleA), "s3:GetObject", "arn:aws:s3:::dst/*"), req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A)}},
	})
}

func TestRulesDecisionCrossAccount(t *testing.T) {
	runEvalCases(t, []evalCase{
		// reference_policies_evaluation-logic-cross-account.html: identity allow alone is not enough cross-account
		{name: "identity-only", identity: []string{idRepl}, req: reqReplX, want: policy.ImplicitDeny},
		// same page: resource allow alone (naming the role) is not enough
		{name: "resource-role-only", resource: bp(pAWS(roleA)), req: reqReplX, want: policy.ImplicitDeny},
		// same page: both sides allow -> allowed; both deciding statements reported
		{name: "both-sides", identity: []string{idRepl}, resource: bp(pAWS(roleA)), req: reqReplX, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A), mRes(0, "BP", A)}},
		// same page: "For principals in other accounts, they must also have identity-based permissions" — "*" does not remove that
		{name: "star-no-identity", resource: bp(`"*"`), req: reqReplX, want: policy.ImplicitDeny},
		// same page: a "*" + aws:PrincipalArn grant does not remove the identity requirement cross-account
		{name: "star-principalarn-no-identity", resource: doc(stmt("Star", "Allow", `"*"`, "s3:ReplicateObject", "arn:aws:s3:::dst/*", `{"ArnEquals":{"aws:PrincipalArn":"`+roleA+`"}}`)), req: reqReplX, want: policy.ImplicitDeny},
		// "*" plus identity allow -> allowed
		{name: "star-with-identity", identity: []string{idRepl}, resource: bp(`"*"`), req: reqReplX, want: policy.Allowed},
		// bucket policy naming the principal's account (delegation) + identity allow -> allowed
		{name: "account-delegation-with-identity", identity: []string{idRepl}, resource: bp(pAWS(acctA)), req: reqReplX, want: policy.Allowed},
		// bucket policy naming the resource owner's own account does not name the external principal
		{name: "owner-account-only", identity: []string{idRepl}, resource: bp(pAWS(rootB)), req: reqReplX, want: policy.ImplicitDeny},
		// same page: no bucket policy at all -> denied
		{name: "no-resource-policy-but-scps", identity: []string{idRepl}, scps: [][]string{{scpAll}}, req: reqReplX, want: policy.ImplicitDeny},
		// role session ARN in bucket policy still needs identity policy cross-account
		{name: "session-arn-no-identity", resource: bp(pAWS(sessA)), req: rqx(sessA, "s3:ReplicateObject", objDst, acctB), want: policy.ImplicitDeny},
		// same page: the trusted account's boundary limits the principal
		{name: "boundary-silent", identity: []string{idRepl}, resource: bp(pAWS(roleA)), boundary: bndGetOnly, req: reqReplX, want: policy.ImplicitDeny},
		// boundary allowing -> allowed
		{name: "boundary-allows", identity: []string{idRepl}, resource: bp(pAWS(roleA)), boundary: bndRepl, req: reqReplX, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A), mRes(0, "BP", A)}},
		// session policy part of the principal-side evaluation
		{name: "session-policy-silent", identity: []string{idRepl}, resource: bp(pAWS(roleA)), session: sesGetOnly, req: reqReplX, want: policy.ImplicitDeny},
		// setting-repl-config-perm-overview.html: destination owner can explicitly deny (bucket policy deny)
		{name: "destination-denies-replicate-tags", identity: []string{allow("Repl", "s3:Replicate*", "arn:aws:s3:::dst/*")},
			resource: doc(stmt("BP", "Allow", pAWS(roleA), "s3:Replicate*", "arn:aws:s3:::dst/*", ""), stmt("NoTags", "Deny", pAWS(roleA), "s3:ReplicateTags", "arn:aws:s3:::dst/*", "")),
			req:      rqx(roleA, "s3:ReplicateTags", objDst, acctB), want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mRes(1, "NoTags", D)}},
		// ... while ReplicateObject under the same policy is allowed
		{name: "destination-allows-replicate-object", identity: []string{allow("Repl", "s3:Replicate*", "arn:aws:s3:::dst/*")},
			resource: doc(stmt("BP", "Allow", pAWS(roleA), "s3:Replicate*", "arn:aws:s3:::dst/*", ""), stmt("NoTags", "Deny", pAWS(roleA), "s3:ReplicateTags", "arn:aws:s3:::dst/*", "")),
			req:      reqReplX, want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "BP", A)}},
		// explicit PrincipalAccount equal to ResourceAccount makes it same-account (no identity needed for role grant)
		{name: "explicit-accounts-equal", resource: bp(pAWS(roleA)),
			req: policy.Request{Principal: roleA, PrincipalAccount: acctA, Action: "s3:ReplicateObject", Resource: objDst, ResourceAccount: acctA}, want: policy.Allowed},
		// a cross-account grant to the role ARN is not capped by anything principal-side when identity+boundary allow
		{name: "cross-account-sessions-role-arn", identity: []string{idRepl}, resource: bp(pAWS(roleA)), req: rqx(sessA, "s3:ReplicateObject", objDst, acctB), want: policy.Allowed},
	})
}

func TestRulesDecisionBoundaryAndSession(t *testing.T) {
	runEvalCases(t, []evalCase{
		// access_policies_boundaries.html: effective permissions are the intersection of identity policy and boundary
		{name: "boundary-narrower-than-identity", identity: []string{allow("S3", "s3:*", "*")}, boundary: bndGetOnly, req: reqRepl, want: policy.ImplicitDeny},
		// same page: "Permissions boundaries ... do not grant permissions on their own"
		{name: "boundary-never-grants", boundary: bndRepl, req: reqRepl, want: policy.ImplicitDeny},
		// same page: intersection allows
		{name: "boundary-and-identity-allow", identity: []string{idRepl}, boundary: bndRepl, req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A), mBnd(0, "BRepl", A)}},
		// same page: boundary resource scope also intersects
		{name: "boundary-resource-scope", identity: []string{idRepl}, boundary: allow("BR", "s3:*", "arn:aws:s3:::other/*"), req: reqRepl, want: policy.ImplicitDeny},
		// same page: account-principal bucket grant is delegation, boundary still caps
		{name: "boundary-caps-account-delegation", identity: []string{idRepl}, resource: bp(pAWS(rootA)), boundary: bndGetOnly, req: reqRepl, want: policy.ImplicitDeny},
		// access_policies.html#policies_session: session permissions = identity ∩ session policy
		{name: "session-narrower", identity: []string{idRepl}, session: sesGetOnly, req: reqRepl, want: policy.ImplicitDeny},
		// same: session policy allows -> allowed
		{name: "session-allows", identity: []string{idRepl}, session: sesRepl, req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "Repl", A), mSes(0, "SRepl", A)}},
		// same: "Session policies ... cannot be used to grant more permissions than those allowed by the identity-based policy"
		{name: "session-never-grants", session: sesRepl, req: reqRepl, want: policy.ImplicitDeny},
		// identity + boundary + session all allow
		{name: "identity-boundary-session", identity: []string{idRepl}, boundary: bndRepl, session: sesRepl, req: reqRepl, want: policy.Allowed},
		// identity + boundary allow, session silent
		{name: "identity-boundary-session-silent", identity: []string{idRepl}, boundary: bndRepl, session: sesGetOnly, req: reqRepl, want: policy.ImplicitDeny},
		// boundary with NotAction allow (everything but iam) intersects
		{name: "boundary-notaction", identity: []string{idRepl}, boundary: doc(`{"Sid":"NotIam","Effect":"Allow","NotAction":"iam:*","Resource":"*"}`), req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mBnd(0, "NotIam", A)}},
		// boundary allow with unmet condition -> not allowing
		{name: "boundary-condition-unmet", identity: []string{idRepl}, boundary: doc(stmt("BC", "Allow", "", "s3:*", "*", `{"Bool":{"aws:SecureTransport":"true"}}`)),
			req: reqRepl, ctx: map[string][]string{"aws:SecureTransport": {"false"}}, want: policy.ImplicitDeny},
	})
}

func TestRulesDecisionTrustPolicy(t *testing.T) {
	trustS3 := rAllow("TrustS3", `{"Service":"s3.amazonaws.com"}`, "sts:AssumeRole", "")
	assume := rq(svcS3, "sts:AssumeRole", roleA)
	runEvalCases(t, []evalCase{
		// id_roles_create_for-service.html / replication-walkthrough: trust policy naming s3.amazonaws.com lets S3 assume the role
		{name: "s3-service-trusted", resource: trustS3, req: assume, want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "TrustS3", A)}},
		// the trust policy must name this service
		{name: "other-service-only", resource: rAllow("TrustBatch", `{"Service":"batchoperations.s3.amazonaws.com"}`, "sts:AssumeRole", ""), req: assume, want: policy.ImplicitDeny},
		// no trust policy -> nobody may assume
		{name: "no-trust-policy", req: assume, want: policy.ImplicitDeny},
		// trust policy action is sts:AssumeRole; a trust for sts:TagSession only does not allow AssumeRole
		{name: "wrong-action", resource: rAllow("Tag", `{"Service":"s3.amazonaws.com"}`, "sts:TagSession", ""), req: assume, want: policy.ImplicitDeny},
		// confused-deputy condition satisfied
		{name: "source-account-condition-met", resource: doc(stmt("T", "Allow", `{"Service":"s3.amazonaws.com"}`, "sts:AssumeRole", "", `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`)),
			req: assume, ctx: map[string][]string{"aws:SourceAccount": {acctA}}, want: policy.Allowed},
		// confused-deputy condition not satisfied
		{name: "source-account-condition-unmet", resource: doc(stmt("T", "Allow", `{"Service":"s3.amazonaws.com"}`, "sts:AssumeRole", "", `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`)),
			req: assume, ctx: map[string][]string{"aws:SourceAccount": {acctB}}, want: policy.ImplicitDeny},
		// explicit deny in trust policy
		{name: "trust-deny", resource: doc(stmt("TA", "Allow", `{"Service":"s3.amazonaws.com"}`, "sts:AssumeRole", "", ""), stmt("TD", "Deny", `"*"`, "sts:AssumeRole", "", "")),
			req: assume, want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mRes(1, "TD", D)}},
		// policy-eval-denyallow.html: role trust policies are an exception — the trust policy must allow; identity allow alone is not enough
		{name: "user-identity-only", identity: []string{allow("Assume", "sts:AssumeRole", roleA)}, resource: trustS3, req: rq(userA, "sts:AssumeRole", roleA), want: policy.ImplicitDeny},
		// trust policy delegating to the account + user identity allow -> allowed
		{name: "account-delegation-with-identity", identity: []string{allow("Assume", "sts:AssumeRole", roleA)}, resource: rAllow("Acct", pAWS(rootA), "sts:AssumeRole", ""),
			req: rq(userA, "sts:AssumeRole", roleA), want: policy.Allowed, matched: []policy.MatchedStatement{mID(0, 0, "Assume", A)}},
		// trust policy delegating to the account, no identity allow -> denied
		{name: "account-delegation-no-identity", resource: rAllow("Acct", pAWS(rootA), "sts:AssumeRole", ""), req: rq(userA, "sts:AssumeRole", roleA), want: policy.ImplicitDeny},
		// cross-account trust naming the external role: needs the external identity allow as well
		{name: "cross-account-trust-no-identity", resource: rAllow("X", pAWS(roleB), "sts:AssumeRole", ""), req: rq(roleB, "sts:AssumeRole", roleA), want: policy.ImplicitDeny},
		// cross-account trust + identity allow -> allowed
		{name: "cross-account-trust-with-identity", identity: []string{allow("Assume", "sts:AssumeRole", roleA)}, resource: rAllow("X", pAWS(roleB), "sts:AssumeRole", ""),
			req: rq(roleB, "sts:AssumeRole", roleA), want: policy.Allowed},
	})
}
