package checks

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/policy"
)

// s3ServicePrincipal is the principal S3 assumes the replication role as.
const s3ServicePrincipal = "s3.amazonaws.com"

// AssumeRoleNotPermitted predicts that S3 cannot assume the replication
// role.
var AssumeRoleNotPermitted = &Check{
	Reason: "AssumeRoleNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot be assumed by S3",
	Why: "S3 assumes the role named in the replication configuration as the service principal s3.amazonaws.com, " +
		"and S3 Batch Operations assumes a Batch Replication job's role as batchoperations.s3.amazonaws.com; AWS's " +
		"failure table reports this reason when S3 \"can't assume the ... IAM role that's specified in the replication " +
		"configuration or in the Batch Operations job\" (" + failureTable + "). A deleted or renamed role, an ARN with " +
		"the wrong path, or a trust policy that does not allow the service principal sts:AssumeRole (or denies it) " +
		"fails every replication with this reason. PutBucketReplication does not check the role.",
	Predicts: "reads iam:GetRole: the role must exist under the configured ARN (path included), and its trust " +
		"policy, evaluated by replcheck's policy engine, must allow s3.amazonaws.com to call sts:AssumeRole. With " +
		"--batch and a job role (--batch-role), the job role is judged the same way for " +
		"batchoperations.s3.amazonaws.com. A trust policy that allows the principal only under aws:SourceAccount or " +
		"aws:SourceArn conditions warns: AWS does not document that S3 sends them.",
	Fix:    `aws iam update-assume-role-policy --role-name ROLE --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
	Requires: []Requirement{
		{Action: "sts:AssumeRole", On: "the replication role's trust policy, for the service principal s3.amazonaws.com",
			Source: permRoleDoc + " (the trust policy that identifies Amazon S3 as the service principal) and " + failureTable, Denied: StatusFail},
		{Action: "sts:AssumeRole", On: "the Batch Operations job role's trust policy, for batchoperations.s3.amazonaws.com (with --batch)",
			Source: batchPolicyDoc + ` ("Verify trust policy"), ` + permRoleDoc + ` (the trust policy for S3 and S3 Batch Operations) and ` + failureTable +
				` ("the IAM role that's specified in the replication configuration or in the Batch Operations job")`, Denied: StatusFail},
	},
	Run: func(t *Target) Outcome {
		live := assumeRoleOutcome(t, t.Config().Role, s3ServicePrincipal)
		job := t.Facts.Snap.Batch
		if !t.Options.Batch || job == nil {
			return live
		}
		batch := assumeRoleOutcome(t, job.RoleARN, batchServicePrincipal)
		batch.Message = "Batch Operations job role: " + batch.Message
		out := combine(live, batch)
		if live.Status == batch.Status {
			out.Message = live.Message + "; " + batch.Message
			out.Remediation = strings.Trim(live.Remediation+"; "+batch.Remediation, "; ")
		}
		return out
	},
}

// assumeRoleOutcome decides whether service may assume roleARN.
func assumeRoleOutcome(t *Target, roleARN, service string) Outcome {
	role := t.Facts.Role(roleARN)
	name := roleName(roleARN)
	trustFix := fmt.Sprintf(`aws iam update-assume-role-policy --role-name %s --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"%s"},"Action":"sts:AssumeRole"}]}'`, name, service)
	switch {
	case role == nil:
		return unknown("the snapshot has no facts for the role " + roleARN)
	case role.Exists.IsUnknown():
		return unknown("could not read the role "+roleARN+": "+role.Exists.Why(), "iam:GetRole "+name+" -> "+role.Exists.Why())
	case !role.Exists.Value:
		return fail("the role "+roleARN+" does not exist",
			fmt.Sprintf("create the role with a trust policy for %s (aws iam create-role --role-name %s ...), or name an existing role in the configuration", service, name),
			"iam:GetRole "+name+" -> NoSuchEntity")
	case role.ActualARN != "" && role.ActualARN != roleARN:
		return fail(fmt.Sprintf("the configuration names %s, but the role is %s (the path differs)", roleARN, role.ActualARN),
			fmt.Sprintf("name the role as %s in the configuration", role.ActualARN),
			"iam:GetRole "+name+" -> Arn="+role.ActualARN)
	case role.Trust.Unknown():
		return unknown("could not read the trust policy of "+roleARN+": "+role.Trust.Why, "iam:GetRole "+name+" -> "+role.Trust.Why)
	case role.Trust.Doc == nil:
		return fail("the role "+roleARN+" has no trust policy", trustFix)
	}
	in := &policy.Input{Resource: role.Trust.Doc}
	req := &policy.Request{Principal: service, Action: "sts:AssumeRole", Resource: roleARN}
	evidence := func(r policy.Result) []string {
		ev := []string{fmt.Sprintf("sts:AssumeRole by %s on %s under its trust policy: %s (local evaluator)", service, roleARN, r.Decision)}
		for _, m := range r.Matched {
			ev = append(ev, "  trust policy "+m.String())
		}
		return ev
	}
	r := policy.Evaluate(in, req)
	if r.Decision == policy.Allowed {
		return pass(service+" may assume "+roleARN, evidence(r)...)
	}
	if r.Decision == policy.ImplicitDeny {
		// AWS does not document whether S3 replication sends
		// aws:SourceAccount and aws:SourceArn when it assumes the role.
		withSource := *req
		withSource.Context = policy.NewContext(map[string][]string{
			"aws:SourceAccount": {t.Source().Account.Value},
			"aws:SourceArn":     {t.Source().ARN},
		})
		if r2 := policy.Evaluate(in, &withSource); r2.Decision == policy.Allowed && t.Source().Account.IsKnown() {
			return warn("the trust policy of "+roleARN+" allows "+service+" only with aws:SourceAccount or aws:SourceArn conditions, which AWS does not document S3 replication to send",
				trustFix, evidence(r2)...)
		}
	}
	return fail("the trust policy of "+roleARN+" does not let "+service+" assume it ("+r.Reason+")", trustFix, evidence(r)...)
}
