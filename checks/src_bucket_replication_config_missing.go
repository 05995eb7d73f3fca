package checks

import "fmt"

// SrcBucketReplicationConfigMissing predicts failures from a source bucket
// without a replication configuration, or whose rules are all disabled.
var SrcBucketReplicationConfigMissing = &Check{
	Reason: "SrcBucketReplicationConfigMissing",
	Scope:  ScopeLive,
	Title:  "the source bucket has no replication configuration",
	Why: "S3 (and Batch Replication in particular) reads the source bucket's replication configuration; " +
		"when it is missing, deleted, or not yet propagated after PutBucketReplication, replication fails with this reason. " +
		"S3 retrieves it as the replication role: AWS's access policy grants the role s3:GetReplicationConfiguration on the " +
		"source bucket, which \"allow[s] Amazon S3 to retrieve the replication configuration\" (" + permRoleDoc + "), and its " +
		"troubleshooting page says replication fails when a source bucket policy denies it to the role (" + troubleshootDoc + "). " +
		"AWS does not document which failure reason a denial gives, so replcheck warns here.",
	Predicts: "reads s3:GetBucketReplication on the source bucket (or takes the proposed --config): " +
		"ReplicationConfigurationNotFoundError fails, and so does a configuration whose rules are all Disabled. " +
		"Otherwise it asks the policy engine (or a recorded simulator decision for the identity side) whether the " +
		"replication role may call s3:GetReplicationConfiguration on the source bucket: a denial warns.",
	Fix:           "aws s3api put-bucket-replication --bucket SRC --replication-configuration file://replication.json; allow the replication role s3:GetReplicationConfiguration on arn:aws:s3:::SRC",
	DocURL:        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	WithoutConfig: true,
	Requires: []Requirement{
		{Action: "s3:GetReplicationConfiguration", On: "the source bucket (arn:aws:s3:::SRC), for the replication role: its policies, boundary and SCPs, RCPs and the source bucket policy",
			Source: permRoleDoc + ` (the access policy grants it so that Amazon S3 can "retrieve the replication configuration") and ` + troubleshootDoc +
				` ("Replication fails if the bucket policy denies access to the replication role" for it); which failure reason a denial gives is not documented, so a denial warns`,
			Denied: StatusWarn},
	},
	Run: func(t *Target) Outcome {
		repl := t.Facts.Snap.Replication
		src := t.Source().Name
		fix := "aws s3api put-bucket-replication --bucket " + src + " --replication-configuration file://replication.json"
		switch {
		case repl.IsUnknown():
			return unknown("could not read the replication configuration of "+src+": "+repl.Why(), "s3:GetBucketReplication "+src+" -> "+repl.Why())
		case repl.IsAbsent():
			return fail("source bucket "+src+" has no replication configuration", fix, "s3:GetBucketReplication "+src+" -> ReplicationConfigurationNotFoundError")
		}
		for _, r := range t.Config().Rules {
			if r.Status == "Enabled" {
				return t.roleReadsConfiguration(pass("source bucket "+src+" has a replication configuration with an enabled rule",
					"s3:GetBucketReplication "+src+" -> rule "+t.RuleName+" Status="+t.Rule.Status))
			}
		}
		return fail("every replication rule of "+src+" is Disabled", "enable a rule: set \"Status\": \"Enabled\" and put the configuration again", "s3:GetBucketReplication "+src+" -> all rules Disabled")
	},
}

// roleReadsConfiguration decides, once the source bucket has a
// configuration with an enabled rule (found), whether the replication role
// may retrieve it: a denial warns, an undecided answer is unknown. A role
// that does not exist is AssumeRoleNotPermitted's finding.
func (t *Target) roleReadsConfiguration(found Outcome) Outcome {
	if t.Role != nil && t.Role.Exists.IsKnown() && !t.Role.Exists.Value {
		return found
	}
	if o := t.needRole(); o != nil {
		o.Evidence = append(found.Evidence, o.Evidence...)
		return *o
	}
	q, a := t.askSource("s3:GetReplicationConfiguration", true, nil)
	src := t.Source().Name
	o := t.permissionOutcome("retrieve the replication configuration of "+src, asked{q, a})
	o.Evidence = append(found.Evidence, o.Evidence...)
	switch o.Status {
	case StatusPass:
		o.Message = found.Message + ", and " + o.Message
	case StatusFail:
		o.Status = StatusWarn
		o.Message += fmt.Sprintf(". AWS's access policy grants it so that S3 can retrieve the replication configuration (%s), and its troubleshooting "+
			"page says replication fails when a bucket policy denies it to the role (%s); which failure reason S3 then reports is not documented", permRoleDoc, troubleshootDoc)
	}
	return o
}
