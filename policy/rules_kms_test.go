package policy_test

import (
	"testing"

	"github.com/replcheck/replcheck/policy"
)

func TestRulesKMS(t *testing.T) {
	// key-policy-default.html: the "Enable IAM policies" statement delegates to the account
	enableIAM := func(acct string) string {
		return stmt("EnableIAM", "Allow", pAWS("arn:aws:iam::"+acct+":root"), "kms:*", "*", "")
	}
	keyDelegates := doc(enableIAM(acctA))
	keyNamesRole := doc(stmt("UseKey", "Allow", pAWS(roleA), "kms:Decrypt|kms:Encrypt|kms:GenerateDataKey", "*", ""))
	idDecrypt := allow("IdDecrypt", "kms:Decrypt", keyA)
	idDecryptB := allow("IdDecrypt", "kms:Decrypt", keyB)
	dec := rq(roleA, "kms:Decrypt", keyA)
	decB := rq(roleA, "kms:Decrypt", keyB)
	const ecArn = "kms:EncryptionContext:aws:s3:arn"
	runEvalCases(t, []evalCase{
		// key-policies.html: "Without permission from the key policy, IAM policies that allow permissions have no effect" (no key policy)
		{name: "no-key-policy-identity-allow", identity: []string{idDecrypt}, req: dec, want: policy.ImplicitDeny},
		// key-policy-default.html: delegation to the account + identity allow -> allowed
		{name: "delegation-with-identity", identity: []string{idDecrypt}, resource: keyDelegates, req: dec, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "IdDecrypt", A)}},
		// key-policy-default.html: the root statement "doesn't give any IAM users or roles permission" by itself
		{name: "delegation-no-identity", resource: keyDelegates, req: dec, want: policy.ImplicitDeny},
		// key-policies.html: a key-policy statement naming the role grants directly (same account)
		{name: "key-policy-names-role", resource: keyNamesRole, req: dec, want: policy.Allowed,
			matched: []policy.MatchedStatement{mRes(0, "UseKey", A)}},
		// key-policies.html: key policy names another role only -> IAM allow has no effect
		{name: "key-policy-other-role-identity-allow", identity: []string{idDecrypt}, resource: doc(stmt("Other", "Allow", pAWS(role2A), "kms:*", "*", "")), req: dec, want: policy.ImplicitDeny},
		// key-policies.html: "You can use an IAM policy to deny a permission to a KMS key without permission from a key policy"
		{name: "identity-deny-without-delegation", identity: []string{deny("IdDeny", "kms:Decrypt", "*")}, resource: keyNamesRole, req: dec, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mID(0, 0, "IdDeny", D)}},
		// same: identity deny with no key policy at all is still an explicit deny
		{name: "identity-deny-no-key-policy", identity: []string{deny("IdDeny", "kms:*", "*")}, req: dec, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mID(0, 0, "IdDeny", D)}},
		// delegation + identity allow + identity deny -> explicit deny
		{name: "delegation-identity-deny", identity: []string{idDecrypt, deny("IdDeny", "kms:Decrypt", keyA)}, resource: keyDelegates, req: dec, want: policy.ExplicitDeny},
		// reference_policies_elements_principal.html: bare account id is the account principal (delegation)
		{name: "delegation-bare-account-id", identity: []string{idDecrypt}, resource: doc(stmt("Acct", "Allow", pAWS(acctA), "kms:*", "*", "")), req: dec, want: policy.Allowed},
		// key policy explicit deny for the role
		{name: "key-policy-deny", identity: []string{idDecrypt}, resource: doc(enableIAM(acctA), stmt("NoDecrypt", "Deny", pAWS(roleA), "kms:Decrypt", "*", "")), req: dec, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mRes(1, "NoDecrypt", D)}},
		// key-policies.html: in a key policy "Resource": "*" means this key; statement for another action does not grant
		{name: "key-policy-other-action", resource: doc(stmt("Describe", "Allow", pAWS(roleA), "kms:DescribeKey", "*", "")), req: dec, want: policy.ImplicitDeny},
		// policy-eval: role named in key policy, permissions boundary silent -> capped (resource grant to role ARN)
		{name: "key-policy-role-capped-by-boundary", resource: keyNamesRole, boundary: bndGetOnly, req: dec, want: policy.ImplicitDeny},
		// SCPs apply to KMS access too
		{name: "scp-caps-kms", identity: []string{idDecrypt}, resource: keyDelegates, scps: [][]string{{allow("S3Only", "s3:*", "*")}}, req: dec, want: policy.ImplicitDeny},
		// resource-control-policies.html (KMS): RCP deny applies to keys
		{name: "rcp-deny-kms", identity: []string{idDecrypt}, resource: keyDelegates,
			rcps: [][]string{{doc(stmt("RA", "Allow", `"*"`, "*", "*", ""), stmt("RD", "Deny", `"*"`, "kms:Decrypt", "*", ""))}}, req: dec, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mRCP(0, 0, 1, "RD", D)}},
		// key-policy-modifying-external-accounts.html: "Neither the key policy nor the IAM policy alone is sufficient" — key policy names external role
		{name: "cross-account-key-policy-only", resource: keyNamesRole, req: decB, want: policy.ImplicitDeny},
		// same page: IAM policy alone (key policy delegates only to its own account)
		{name: "cross-account-identity-only", identity: []string{idDecryptB}, resource: doc(enableIAM(acctB)), req: decB, want: policy.ImplicitDeny},
		// same page: key policy names the external role + external IAM allow -> allowed
		{name: "cross-account-both", identity: []string{idDecryptB}, resource: keyNamesRole, req: decB, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "IdDecrypt", A), mRes(0, "UseKey", A)}},
		// same page: key policy names the external account + external IAM allow -> allowed
		{name: "cross-account-account-principal", identity: []string{idDecryptB}, resource: doc(enableIAM(acctB), enableIAM(acctA)), req: decB, want: policy.Allowed},
		// key-policy-modifying-external-accounts.html: a "*" key-policy grant still needs the external account's IAM allow
		{name: "cross-account-star-no-identity", resource: doc(stmt("Star", "Allow", `"*"`, "kms:Decrypt", "*", "")), req: decB, want: policy.ImplicitDeny},
		// cmks-in-iam-policies.html: IAM policies must name keys by key ARN — an alias ARN does not identify the key
		{name: "identity-alias-arn-no-match", identity: []string{allow("Alias", "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:alias/repl")}, resource: keyDelegates, req: dec, want: policy.ImplicitDeny},
		// IAM key ARN pattern with wildcards matches
		{name: "identity-key-wildcard", identity: []string{allow("AnyKey", "kms:Decrypt", "arn:aws:kms:*:111122223333:key/*")}, resource: keyDelegates, req: dec, want: policy.Allowed},
		// replication-config-for-kms-objects.html: kms:EncryptionContext:aws:s3:arn is the object ARN
		{name: "encryption-context-object-arn", resource: doc(stmt("EC", "Allow", pAWS(roleA), "kms:Decrypt", "*", `{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::src/*"}}`)),
			req: dec, ctx: map[string][]string{ecArn: {"arn:aws:s3:::src/photos/a.jpg"}}, want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "EC", A)}},
		// replication-config-for-kms-objects.html#bk-replication: with an S3 Bucket Key the context is the bucket ARN -> object pattern fails
		{name: "encryption-context-bucket-key", resource: doc(stmt("EC", "Allow", pAWS(roleA), "kms:Decrypt", "*", `{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::src/*"}}`)),
			req: dec, ctx: map[string][]string{ecArn: {"arn:aws:s3:::src"}}, want: policy.ImplicitDeny},
		// iam-evaluation.md §4.3: encryption-context key matching is case-insensitive
		{name: "encryption-context-key-case", resource: doc(stmt("EC", "Allow", pAWS(roleA), "kms:Decrypt", "*", `{"StringEquals":{"KMS:EncryptionContext:AWS:S3:ARN":"arn:aws:s3:::src"}}`)),
			req: dec, ctx: map[string][]string{"kms:encryptioncontext:aws:s3:arn": {"arn:aws:s3:::src"}}, want: policy.Allowed},
		// policy-conditions.html (KMS): ForAllValues on encryption context "allows requests with no encryption context"
		{name: "forallvalues-no-context-trap", resource: doc(stmt("EC", "Allow", pAWS(roleA), "kms:Decrypt", "*", `{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["aws:s3:arn"]}}`)),
			req: dec, ctx: map[string][]string{}, want: policy.Allowed},
		// key-policy-default.html (AWS managed key): Principal "*" + kms:CallerAccount + kms:ViaService grants all identities of the account via the service
		{name: "star-callerAccount-viaService", resource: doc(stmt("ViaS3", "Allow", pAWS("*"), "kms:Decrypt", "*", `{"StringEquals":{"kms:CallerAccount":"111122223333","kms:ViaService":"s3.us-east-1.amazonaws.com"}}`)),
			req: dec, ctx: map[string][]string{"kms:CallerAccount": {acctA}, "kms:ViaService": {"s3.us-east-1.amazonaws.com"}}, want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "ViaS3", A)}},
		// same statement, request not via S3 -> not allowed
		{name: "star-viaService-mismatch", resource: doc(stmt("ViaS3", "Allow", pAWS("*"), "kms:Decrypt", "*", `{"StringEquals":{"kms:CallerAccount":"111122223333","kms:ViaService":"s3.us-east-1.amazonaws.com"}}`)),
			req: dec, ctx: map[string][]string{"kms:CallerAccount": {acctA}, "kms:ViaService": {"ec2.us-east-1.amazonaws.com"}}, want: policy.ImplicitDeny},
		// key policy names the role but with a session caller: role ARN matches its sessions
		{name: "key-policy-role-session-caller", resource: keyNamesRole, req: rq(sessA, "kms:Decrypt", keyA), want: policy.Allowed},
		// reference_policies_elements_action.html: action names are case-insensitive in key policies too
		{name: "key-policy-action-case-insensitive", resource: doc(stmt("UseKey", "Allow", pAWS(roleA), "KMS:decrypt", "*", "")), req: dec, want: policy.Allowed},
	})
}
