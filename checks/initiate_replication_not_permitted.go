package checks

import "strings"

// InitiateReplicationNotPermitted predicts that the Batch Operations job
// role cannot start Batch Replication.
var InitiateReplicationNotPermitted = &Check{
	Reason: "InitiateReplicationNotPermitted",
	Scope:  ScopeBatch,
	Title:  "the Batch Operations job role cannot initiate replication",
	Why: "A Batch Replication job runs as its job role. AWS's failure table: \"The s3:InitiateReplication permission " +
		"might be missing for the Batch Operations job\" (" + failureTable + "); AWS's job role policies grant it on the " +
		"source objects (" + batchPolicyDoc + "). With an S3-generated manifest they also grant " +
		"s3:GetReplicationConfiguration and s3:PutInventoryConfiguration on the source bucket, which the policy for a " +
		"user-supplied manifest leaves out; what fails without them is not documented. Whether S3 Batch Operations may " +
		"assume the job role at all is AssumeRoleNotPermitted's. The copy itself is made by the replication role, " +
		"which the other checks judge.",
	Predicts: "asks the policy engine (identity policies, boundary, SCPs, the source bucket policy, RCPs) whether the " +
		"job role may call s3:InitiateReplication on an object under the rule's prefix (a denial fails), and " +
		"s3:GetReplicationConfiguration and s3:PutInventoryConfiguration on the source bucket (a denial warns, as " +
		"AWS asks them only for an S3-generated manifest).",
	Fix:    `allow s3:InitiateReplication on arn:aws:s3:::SRC/* in the job role's policy (and, for an S3-generated manifest, s3:GetReplicationConfiguration and s3:PutInventoryConfiguration on arn:aws:s3:::SRC)`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-policies.html",
	Requires: []Requirement{
		{Action: "s3:InitiateReplication", On: "the source bucket's objects, for the Batch Operations job role",
			Source: batchPolicyDoc + " (both job role policies grant it) and " + failureTable + ` ("The s3:InitiateReplication permission might be missing")`, Denied: StatusFail},
		{Action: "s3:GetReplicationConfiguration", On: "the source bucket, for the job role, with an S3-generated manifest",
			Source: batchPolicyDoc + ` ("Policy if using and storing a S3 generated manifest"; the user-supplied manifest policy leaves it out); what a denial fails is not documented`, Denied: StatusWarn},
		{Action: "s3:PutInventoryConfiguration", On: "the source bucket, for the job role, with an S3-generated manifest",
			Source: batchPolicyDoc + ` ("Policy if using and storing a S3 generated manifest"); what a denial fails is not documented`, Denied: StatusWarn},
	},
	Run: func(t *Target) Outcome {
		job, o := t.plannedBatchJob()
		if o != nil {
			return *o
		}
		role := t.Facts.Role(job.RoleARN)
		switch {
		case role == nil:
			return unknown("the snapshot has no facts for the Batch Operations job role " + job.RoleARN)
		case role.Exists.IsUnknown():
			return unknown("could not read the Batch Operations job role "+job.RoleARN+": "+role.Exists.Why(), "iam:GetRole "+roleName(job.RoleARN)+" -> "+role.Exists.Why())
		case !role.Exists.Value:
			return skip("the Batch Operations job role " + job.RoleARN + " does not exist (see AssumeRoleNotPermitted)")
		}
		src := t.Source()
		ask := func(action, resource string) asked {
			q := Question{Role: role, Action: action, Resource: resource, ResourceAccount: src.Account, ResourcePolicy: &src.Policy, Context: s3Context(src.Account), KeyPrefix: t.Rule.FilterPrefix()}
			return asked{q, t.Facts.Can(q)}
		}
		who := "the Batch Operations job role " + job.RoleARN
		jobRole := func(o Outcome) Outcome {
			o.Message = strings.Replace(o.Message, "the replication role", who, 1)
			o.Remediation = strings.Replace(o.Remediation, "the replication role", "the job role", 1)
			return o
		}
		initiate := jobRole(t.permissionOutcome("initiate Batch Replication on "+src.Name, ask("s3:InitiateReplication", t.SourceObjectARN())))
		manifest := jobRole(t.permissionOutcome("generate a manifest of "+src.Name,
			ask("s3:GetReplicationConfiguration", src.ARN), ask("s3:PutInventoryConfiguration", src.ARN)))
		if manifest.Status == StatusFail {
			manifest.Status = StatusWarn
			manifest.Message += " (AWS's job role policy grants these for an S3-generated manifest, not for a user-supplied one, and does not document what fails without them: " + batchPolicyDoc + ")"
		}
		out := combine(initiate, manifest)
		if out.Status == StatusPass {
			out.Message = who + " may initiate Batch Replication on " + src.Name + " and generate its manifest (AssumeRoleNotPermitted judges its trust policy)"
		}
		return out
	},
}
