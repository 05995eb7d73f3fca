package checks

import "strings"

// InitiateReplicationNotPermitted predicts that the Batch Operations job
// role cannot start Batch Replication.
var InitiateReplicationNotPermitted = &Check{
	Reason: "InitiateReplicationNotPermitted",
	Scope:  ScopeBatch,
	Title:  "the Batch Operations job role cannot initiate replication",
	Why: "A Batch Replication job runs as its job role, which S3 Batch Operations assumes as " +
		"batchoperations.s3.amazonaws.com. The role needs s3:InitiateReplication on the source objects, and " +
		"s3:GetReplicationConfiguration and s3:PutInventoryConfiguration on the source bucket to generate the " +
		"manifest. Without them the job's objects fail with this reason. The copy itself is still made by the " +
		"replication role, which the other checks judge.",
	Predicts: "evaluates the job role's trust policy for batchoperations.s3.amazonaws.com sts:AssumeRole, then asks " +
		"the policy engine (identity policies, boundary, SCPs, the source bucket policy, RCPs) whether the job " +
		"role may call s3:InitiateReplication on an object under the rule's prefix and " +
		"s3:GetReplicationConfiguration and s3:PutInventoryConfiguration on the source bucket.",
	Fix: `allow s3:InitiateReplication on arn:aws:s3:::SRC/* and s3:GetReplicationConfiguration, s3:PutInventoryConfiguration ` +
		`on arn:aws:s3:::SRC in the job role's policy, and trust batchoperations.s3.amazonaws.com`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-policies.html",
	Run: func(t *Target) Outcome {
		job, o := t.plannedBatchJob()
		if o != nil {
			return *o
		}
		trust := assumeRoleOutcome(t, job.RoleARN, batchServicePrincipal)
		role := t.Facts.Role(job.RoleARN)
		if role == nil || !role.Exists.IsKnown() || !role.Exists.Value {
			return trust
		}
		src := t.Source()
		var asks []asked
		for _, a := range []struct {
			action   string
			resource string
		}{
			{"s3:InitiateReplication", t.SourceObjectARN()},
			{"s3:GetReplicationConfiguration", src.ARN},
			{"s3:PutInventoryConfiguration", src.ARN},
		} {
			q := Question{
				Role:            role,
				Action:          a.action,
				Resource:        a.resource,
				ResourceAccount: src.Account,
				ResourcePolicy:  &src.Policy,
				Context:         s3Context(src.Account),
			}
			asks = append(asks, asked{q, t.Facts.Can(q)})
		}
		perm := t.permissionOutcome("initiate Batch Replication on "+src.Name, asks...)
		who := "the Batch Operations job role " + job.RoleARN
		perm.Message = strings.Replace(perm.Message, "the replication role", who, 1)
		perm.Remediation = strings.Replace(perm.Remediation, "the replication role", "the job role", 1)
		switch {
		case trust.Status != StatusPass && trust.Status.Rank() <= perm.Status.Rank():
			if perm.Status != StatusPass {
				trust.Message += "; also, " + perm.Message
				trust.Remediation += "; " + perm.Remediation
			}
			trust.Evidence = append(trust.Evidence, perm.Evidence...)
			return trust
		case perm.Status != StatusPass:
			perm.Evidence = append(trust.Evidence, perm.Evidence...)
			return perm
		}
		return pass(batchServicePrincipal+" may assume "+job.RoleARN+", and the role can initiate Batch Replication on "+src.Name,
			append(trust.Evidence, perm.Evidence...)...)
	},
}
