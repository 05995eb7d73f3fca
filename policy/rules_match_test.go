package policy_test

import (
	"testing"

	"github.com/replcheck/replcheck/policy"
)

// matchCase: one identity Allow statement (Sid "M") with the given Action
// and Resource patterns, same-account role caller. want Allowed means the
// statement matched.
type matchCase struct {
	name     string
	action   string // policy Action (jlist syntax)
	resource string // policy Resource (jlist syntax)
	reqAct   string
	reqRes   string
	match    bool
}

func runMatchCases(t *testing.T, cases []matchCase) {
	t.Helper()
	ev := make([]evalCase, 0, len(cases))
	for _, c := range cases {
		e := evalCase{name: c.name, identity: []string{doc(stmt("M", "Allow", "", c.action, c.resource, ""))},
			req: rq(roleA, c.reqAct, c.reqRes), want: policy.ImplicitDeny}
		if c.match {
			e.want = policy.Allowed
			e.matched = []policy.MatchedStatement{mID(0, 0, "M", A)}
		}
		ev = append(ev, e)
	}
	runEvalCases(t, ev)
}

func TestRulesMatchAction(t *testing.T) {
	runMatchCases(t, []matchCase{
		// reference_policies_elements_action.html: "Action ... values are case-insensitive" — request in odd case
		{name: "request-case-folded", action: "s3:ReplicateObject", resource: "*", reqAct: "S3:replicateOBJECT", reqRes: objDst, match: true},
		// same: policy in upper case
		{name: "policy-upper-case", action: "S3:REPLICATEOBJECT", resource: "*", reqAct: "s3:ReplicateObject", reqRes: objDst, match: true},
		// reference_policies_elements_action.html: service prefix is case-insensitive too
		{name: "service-prefix-case", action: "IAM:listaccesskeys", resource: "*", reqAct: "iam:ListAccessKeys", reqRes: "arn:aws:iam::111122223333:user/alice", match: true},
		// reference_policies_elements_action.html: trailing wildcard "s3:Replicate*"
		{name: "prefix-wildcard", action: "s3:Replicate*", resource: "*", reqAct: "s3:ReplicateDelete", reqRes: objDst, match: true},
		// prefix wildcard does not match a different action
		{name: "prefix-wildcard-miss", action: "s3:Replicate*", resource: "*", reqAct: "s3:GetObject", reqRes: objDst, match: false},
		// reference_policies_elements_action.html: wildcard anywhere ("iam:*AccessKey*")
		{name: "infix-wildcards", action: "s3:*Object*Replication", resource: "*", reqAct: "s3:GetObjectVersionForReplication", reqRes: objDst, match: true},
		// wildcard combined with case-insensitivity
		{name: "wildcard-case-insensitive", action: "S3:get*", resource: "*", reqAct: "s3:GetObjectVersionForReplication", reqRes: objDst, match: true},
		// reference_policies_elements_action.html: "s3:*" covers only the s3 service
		{name: "service-wildcard-other-service", action: "s3:*", resource: "*", reqAct: "kms:Decrypt", reqRes: "arn:aws:sqs:us-east-1:111122223333:q", match: false},
		// reference_policies_elements_action.html: "*" alone = all actions
		{name: "star-all-actions", action: "*", resource: "*", reqAct: "sqs:SendMessage", reqRes: "arn:aws:sqs:us-east-1:111122223333:q", match: true},
		// "*" matches the empty string too
		{name: "trailing-star-matches-empty", action: "s3:GetObject*", resource: "*", reqAct: "s3:GetObject", reqRes: objDst, match: true},
		// no implicit prefix match without a wildcard
		{name: "no-implicit-prefix", action: "s3:Replicate", resource: "*", reqAct: "s3:ReplicateObject", reqRes: objDst, match: false},
		// the exact name must match fully (no suffix match)
		{name: "no-implicit-suffix", action: "s3:Object", resource: "*", reqAct: "s3:GetObject", reqRes: objDst, match: false},
		// "?" matches exactly one character in action names (issue requirement; IAM supports ? wildcard in Action)
		{name: "question-mark-one-char", action: "s3:GetObjectVersio?ForReplication", resource: "*", reqAct: "s3:GetObjectVersionForReplication", reqRes: objDst, match: true},
		// "?" does not match zero characters
		{name: "question-mark-not-zero", action: "s3:GetObject?", resource: "*", reqAct: "s3:GetObject", reqRes: objDst, match: false},
		// reference_policies_grammar.html: Action list — any element may match
		{name: "action-list-second", action: "s3:GetObject|s3:ReplicateObject", resource: "*", reqAct: "s3:ReplicateObject", reqRes: objDst, match: true},
		// the service prefix is not wildcarded by a name wildcard
		{name: "name-wildcard-wrong-service", action: "s3:*", resource: "*", reqAct: "s3-object-lambda:GetObject", reqRes: objDst, match: false},
	})
}

func TestRulesMatchResource(t *testing.T) {
	g := "s3:GetObject"
	runMatchCases(t, []matchCase{
		// reference_policies_elements_resource.html: ARN matching is case-sensitive (bucket name case)
		{name: "bucket-case-sensitive", action: g, resource: "arn:aws:s3:::dst/*", reqAct: g, reqRes: "arn:aws:s3:::DST/a", match: false},
		// S3 object keys are case-sensitive
		{name: "key-case-sensitive", action: g, resource: "arn:aws:s3:::dst/Photos/*", reqAct: g, reqRes: "arn:aws:s3:::dst/photos/a.jpg", match: false},
		// same key, same case
		{name: "key-same-case", action: g, resource: "arn:aws:s3:::dst/photos/*", reqAct: g, reqRes: objDst, match: true},
		// reference_policies_elements_resource.html: "In the Resource element, the IAM user name is case sensitive"
		{name: "iam-user-name-case", action: "iam:GetUser", resource: "arn:aws:iam::111122223333:user/Alice", reqAct: "iam:GetUser", reqRes: userA, match: false},
		// bucket ARN never matches an object ARN
		{name: "bucket-arn-vs-object", action: g, resource: bktDst, reqAct: g, reqRes: objDst, match: false},
		// object pattern never matches the bucket ARN
		{name: "object-pattern-vs-bucket", action: "s3:ListBucket", resource: "arn:aws:s3:::dst/*", reqAct: "s3:ListBucket", reqRes: bktDst, match: false},
		// iam-evaluation.md §2.3: "dst-bucket*" also matches "dst-bucket-archive/..."
		{name: "bucket-prefix-wildcard-other-bucket", action: g, resource: "arn:aws:s3:::dst*", reqAct: g, reqRes: "arn:aws:s3:::dst-archive/x", match: true},
		// reference_policies_elements_resource.html example: bucket/*/test/* matches bucket/1/2/test/3/object.jpg
		{name: "star-spans-slashes", action: g, resource: "arn:aws:s3:::bucket/*/test/*", reqAct: g, reqRes: "arn:aws:s3:::bucket/1/2/test/3/object.jpg", match: true},
		// same example: ... and bucket//test/object.jpg (star matches empty)
		{name: "star-matches-empty", action: g, resource: "arn:aws:s3:::bucket/*/test/*", reqAct: g, reqRes: "arn:aws:s3:::bucket//test/object.jpg", match: true},
		// same example: ... but not bucket/test/object.jpg
		{name: "star-needs-separators", action: g, resource: "arn:aws:s3:::bucket/*/test/*", reqAct: g, reqRes: "arn:aws:s3:::bucket/test/object.jpg", match: false},
		// reference_policies_elements_resource.html: "?" matches exactly one character
		{name: "question-one-char", action: g, resource: "arn:aws:s3:::dst/file?.txt", reqAct: g, reqRes: "arn:aws:s3:::dst/file1.txt", match: true},
		// "?" does not match two characters
		{name: "question-not-two", action: g, resource: "arn:aws:s3:::dst/file?.txt", reqAct: g, reqRes: "arn:aws:s3:::dst/file12.txt", match: false},
		// "?" does not match zero characters
		{name: "question-not-zero", action: g, resource: "arn:aws:s3:::dst/file?.txt", reqAct: g, reqRes: "arn:aws:s3:::dst/file.txt", match: false},
		// "?" crosses "/"
		{name: "question-crosses-slash", action: g, resource: "arn:aws:s3:::dst/a?b", reqAct: g, reqRes: "arn:aws:s3:::dst/a/b", match: true},
		// "?" crosses ":"
		{name: "question-crosses-colon", action: g, resource: "arn:aws:s3:::dst/a?b", reqAct: g, reqRes: "arn:aws:s3:::dst/a:b", match: true},
		// reference_policies_elements_resource.html: trailing "*" in a segment expands beyond ':' (keys containing ':')
		{name: "star-crosses-colon-in-key", action: g, resource: "arn:aws:s3:::dst/*", reqAct: g, reqRes: "arn:aws:s3:::dst/a:b:c", match: true},
		// same rule: "arn:aws:s3:*" covers S3 objects
		{name: "service-level-star", action: g, resource: "arn:aws:s3:*", reqAct: g, reqRes: objDst, match: true},
		// "*" alone matches any resource
		{name: "star-any-resource", action: g, resource: "*", reqAct: g, reqRes: objDst, match: true},
		// Resource list: second element matches
		{name: "resource-list-second", action: g, resource: "arn:aws:s3:::src/*|arn:aws:s3:::dst/*", reqAct: g, reqRes: objDst, match: true},
		// region wildcard in an SQS ARN
		{name: "region-wildcard", action: "sqs:SendMessage", resource: "arn:aws:sqs:*:111122223333:queue1", reqAct: "sqs:SendMessage", reqRes: "arn:aws:sqs:us-west-2:111122223333:queue1", match: true},
		// region mismatch
		{name: "region-mismatch", action: "sqs:SendMessage", resource: "arn:aws:sqs:us-east-1:111122223333:queue1", reqAct: "sqs:SendMessage", reqRes: "arn:aws:sqs:us-west-2:111122223333:queue1", match: false},
		// resource name case-sensitive for SQS
		{name: "sqs-name-case", action: "sqs:SendMessage", resource: "arn:aws:sqs:us-east-1:111122223333:Queue1", reqAct: "sqs:SendMessage", reqRes: "arn:aws:sqs:us-east-1:111122223333:queue1", match: false},
		// reference_policies_elements_resource.html: "If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond colon boundaries"
		{name: "trailing-star-region-segment-crosses-colons", action: "sqs:SendMessage", resource: "arn:aws:sqs:us-east-1:*", reqAct: "sqs:SendMessage", reqRes: "arn:aws:sqs:us-east-1:111122223333:queue1", match: true},
		// the service segment is never wildcard-free-matched: a different service never matches
		{name: "service-segment-literal", action: "*", resource: "arn:aws:sqs:*", reqAct: "sns:Publish", reqRes: "arn:aws:sns:us-east-1:111122223333:topic", match: false},
		// a pattern without wildcard is an exact match (no prefix match)
		{name: "no-prefix-match", action: g, resource: "arn:aws:s3:::dst/photos", reqAct: g, reqRes: objDst, match: false},
		// regex metacharacters are literal ('.' is not "any char")
		{name: "dot-is-literal", action: g, resource: "arn:aws:s3:::dst/a.jpg", reqAct: g, reqRes: "arn:aws:s3:::dst/aXjpg", match: false},
	})
}

func TestRulesMatchNotActionNotResource(t *testing.T) {
	gA := "s3:GetObject"
	runEvalCases(t, []evalCase{
		// reference_policies_elements_notaction.html: Allow+NotAction matches every action not listed
		{name: "allow-notaction-other-service", identity: []string{doc(`{"Sid":"NA","Effect":"Allow","NotAction":"iam:*","Resource":"*"}`)}, req: reqRepl, want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "NA", A)}},
		// same: listed action is not allowed
		{name: "allow-notaction-listed", identity: []string{doc(`{"Sid":"NA","Effect":"Allow","NotAction":"iam:*","Resource":"*"}`)}, req: rq(roleA, "iam:CreateUser", "arn:aws:iam::111122223333:user/x"), want: policy.ImplicitDeny},
		// reference_policies_elements_notaction.html: Deny+NotAction denies everything not listed
		{name: "deny-notaction-unlisted-denied", identity: []string{allowAll, doc(`{"Sid":"DNA","Effect":"Deny","NotAction":["s3:GetObject"],"Resource":"*"}`)}, req: rq(roleA, "s3:PutObject", objDst), want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mID(1, 0, "DNA", D)}},
		// same: listed action escapes the deny
		{name: "deny-notaction-listed-allowed", identity: []string{allowAll, doc(`{"Sid":"DNA","Effect":"Deny","NotAction":["s3:GetObject"],"Resource":"*"}`)}, req: rq(roleA, gA, objDst), want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "All", A)}},
		// NotAction matching is case-insensitive too
		{name: "deny-notaction-case-insensitive", identity: []string{allowAll, doc(`{"Sid":"DNA","Effect":"Deny","NotAction":"S3:GETOBJECT","Resource":"*"}`)}, req: rq(roleA, gA, objDst), want: policy.Allowed},
		// NotAction with a wildcard
		{name: "deny-notaction-wildcard", identity: []string{allowAll, doc(`{"Sid":"DNA","Effect":"Deny","NotAction":"s3:Get*","Resource":"*"}`)}, req: rq(roleA, "s3:ReplicateObject", objDst), want: policy.ExplicitDeny},
		// NotAction+Allow still limited by Resource
		{name: "allow-notaction-resource-scoped", identity: []string{doc(`{"Sid":"NA","Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::src/*"}`)}, req: reqRepl, want: policy.ImplicitDeny},
		// reference_policies_elements_notresource.html: Allow+NotResource matches every resource not listed
		{name: "allow-notresource-other", identity: []string{doc(`{"Sid":"NR","Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}`)}, req: rq(roleA, gA, objDst), want: policy.Allowed,
			matched: []policy.MatchedStatement{mID(0, 0, "NR", A)}},
		// same: listed resource excluded
		{name: "allow-notresource-listed", identity: []string{doc(`{"Sid":"NR","Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}`)}, req: rq(roleA, gA, "arn:aws:s3:::secret/x"), want: policy.ImplicitDeny},
		// reference_policies_elements_notresource.html: Deny+NotResource denies all except those listed
		{name: "deny-notresource-unlisted-denied", identity: []string{allowAll, doc(`{"Sid":"DNR","Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::dst","arn:aws:s3:::dst/*"]}`)}, req: rq(roleA, gA, "arn:aws:s3:::other/x"), want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mID(1, 0, "DNR", D)}},
		// same: listed resource escapes the deny
		{name: "deny-notresource-listed-allowed", identity: []string{allowAll, doc(`{"Sid":"DNR","Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::dst","arn:aws:s3:::dst/*"]}`)}, req: rq(roleA, gA, objDst), want: policy.Allowed},
		// NotResource naming the bucket does not exclude its objects (bucket ARN != object ARN)
		{name: "notresource-bucket-not-objects", identity: []string{doc(`{"Sid":"NR","Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret"}`)}, req: rq(roleA, gA, "arn:aws:s3:::secret/x"), want: policy.Allowed},
		// NotResource is case-sensitive: a different-case ARN is "not listed"
		{name: "notresource-case-sensitive", identity: []string{doc(`{"Sid":"NR","Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}`)}, req: rq(roleA, gA, "arn:aws:s3:::SECRET/x"), want: policy.Allowed},
	})
}

func TestRulesMatchPrincipal(t *testing.T) {
	allThree := `{"AWS":["arn:aws:iam::111122223333:root","` + roleA + `","` + sessA + `"]}`
	np := func(notPrincipal string) string {
		return doc(stmt("BP", "Allow", `"*"`, "s3:*", "arn:aws:s3:::dst/*", ""),
			`{"Sid":"NP","Effect":"Deny","NotPrincipal":`+notPrincipal+`,"Action":"s3:*","Resource":"arn:aws:s3:::dst/*"}`)
	}
	sessReq := rq(sessA, "s3:ReplicateObject", objDst)
	runEvalCases(t, []evalCase{
		// reference_policies_elements_notprincipal.html: exemption needs the account, role and assumed-role session ARNs — all listed
		{name: "notprincipal-all-three-listed", identity: []string{idRepl}, resource: np(allThree), req: sessReq, want: policy.Allowed},
		// same page: "AWS might validate the account first, then the role, and then the assumed-role user" — session ARN missing
		{name: "notprincipal-session-missing", identity: []string{idRepl}, resource: np(`{"AWS":["arn:aws:iam::111122223333:root","` + roleA + `"]}`), req: sessReq, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mRes(1, "NP", D)}},
		// same: only the role listed
		{name: "notprincipal-role-only", identity: []string{idRepl}, resource: np(pAWS(roleA)), req: sessReq, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mRes(1, "NP", D)}},
		// same: account ARN missing
		{name: "notprincipal-account-missing", identity: []string{idRepl}, resource: np(`{"AWS":["` + roleA + `","` + sessA + `"]}`), req: sessReq, want: policy.ExplicitDeny},
		// brief/engine convention: a role-ARN caller has an unknown session name, so a session-scoped exemption cannot apply
		{name: "notprincipal-role-caller-session-unknown", identity: []string{idRepl}, resource: np(allThree), req: reqRepl, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mRes(1, "NP", D)}},
		// access_policies_boundaries.html: "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a permissions boundary policy attached"
		{name: "notprincipal-boundary-always-denies", identity: []string{idRepl}, boundary: allowAll, resource: np(allThree), req: sessReq, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mRes(1, "NP", D)}},
		// same rule for an IAM user with a boundary, listed with its account
		{name: "notprincipal-user-boundary-denies", identity: []string{idRepl}, boundary: allowAll, resource: np(`{"AWS":["arn:aws:iam::111122223333:root","` + userA + `"]}`),
			req: rq(userA, "s3:ReplicateObject", objDst), want: policy.ExplicitDeny},
		// reference_policies_elements_notprincipal.html: user listed with its account is exempt (no boundary)
		{name: "notprincipal-user-listed", identity: []string{idRepl}, resource: np(`{"AWS":["arn:aws:iam::111122223333:root","` + userA + `"]}`),
			req: rq(userA, "s3:ReplicateObject", objDst), want: policy.Allowed},
		// reference_policies_elements_principal.html: bare account id == account root ARN, also inside NotPrincipal
		{name: "notprincipal-bare-account-id", identity: []string{idRepl}, resource: np(`{"AWS":["111122223333","` + roleA + `","` + sessA + `"]}`), req: sessReq, want: policy.Allowed},
		// iam-evaluation.md §1.4: a role under a path is named with its path; the matching ARN grants
		{name: "principal-role-with-path", resource: bp(pAWS("arn:aws:iam::111122223333:role/service-role/repl")), req: rq("arn:aws:iam::111122223333:role/service-role/repl", "s3:ReplicateObject", objDst), want: policy.Allowed},
		// a principal not listed is denied
		{name: "notprincipal-unlisted-principal", identity: []string{idRepl}, resource: np(allThree), req: rq(role2A, "s3:ReplicateObject", objDst), want: policy.ExplicitDeny},
		// NotPrincipal+Deny: the service principal is not in the AWS list -> denied
		{name: "notprincipal-service-not-listed", resource: doc(stmt("Svc", "Allow", `{"Service":"s3.amazonaws.com"}`, "s3:*", "arn:aws:s3:::dst/*", ""),
			`{"Sid":"NP","Effect":"Deny","NotPrincipal":`+allThree+`,"Action":"s3:*","Resource":"arn:aws:s3:::dst/*"}`),
			req: rq(svcS3, "s3:GetObject", objDst), want: policy.ExplicitDeny, matched: []policy.MatchedStatement{mRes(1, "NP", D)}},
		// NotPrincipal+Deny only for actions it lists
		{name: "notprincipal-other-action", identity: []string{allowAll}, resource: doc(`{"Sid":"NP","Effect":"Deny","NotPrincipal":{"AWS":"` + role2A + `"},"Action":"s3:DeleteObject","Resource":"*"}`),
			req: reqRepl, want: policy.Allowed},
		// reference_policies_elements_principal.html: AWS list, one element matching grants to the role (same account)
		{name: "principal-list-match", resource: bp(`{"AWS":["` + role2A + `","` + roleA + `"]}`), req: reqRepl, want: policy.Allowed, matched: []policy.MatchedStatement{mRes(0, "BP", A)}},
		// a Service principal in a bucket policy does not name an IAM role
		{name: "service-principal-not-role", resource: bp(`{"Service":"s3.amazonaws.com"}`), req: reqRepl, want: policy.ImplicitDeny},
		// Service principal matches the service caller
		{name: "service-principal-matches-service", resource: bp(`{"Service":["s3.amazonaws.com"]}`), req: rq(svcS3, "s3:ReplicateObject", objDst), want: policy.Allowed},
		// a Deny naming the role ARN applies to its sessions
		{name: "deny-role-arn-applies-to-session", identity: []string{idRepl}, resource: doc(stmt("D", "Deny", pAWS(roleA), "s3:*", "*", "")), req: sessReq, want: policy.ExplicitDeny,
			matched: []policy.MatchedStatement{mRes(0, "D", D)}},
		// a Deny naming the account applies to every principal of the account
		{name: "deny-account-applies", identity: []string{idRepl}, resource: doc(stmt("D", "Deny", pAWS(acctA), "s3:*", "*", "")), req: reqRepl, want: policy.ExplicitDeny},
	})
}
