package checks

// SrcBucketReplicationConfigMissing predicts failures from a source bucket
// without a replication configuration, or whose rules are all disabled.
var SrcBucketReplicationConfigMissing = &Check{
	Reason: "SrcBucketReplicationConfigMissing",
	Scope:  ScopeLive,
	Title:  "the source bucket has no replication configuration",
	Why: "S3 (and Batch Replication in particular) reads the source bucket's replication configuration; " +
		"when it is missing, deleted, or not yet propagated after PutBucketReplication, replication fails with this reason.",
	Predicts: "reads s3:GetBucketReplication on the source bucket (or takes the proposed --config): " +
		"ReplicationConfigurationNotFoundError fails, and so does a configuration whose rules are all Disabled.",
	Fix:           "aws s3api put-bucket-replication --bucket SRC --replication-configuration file://replication.json",
	DocURL:        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	WithoutConfig: true,
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
				return pass("source bucket "+src+" has a replication configuration with an enabled rule", "s3:GetBucketReplication "+src+" -> rule "+t.RuleName+" Status="+t.Rule.Status)
			}
		}
		return fail("every replication rule of "+src+" is Disabled", "enable a rule: set \"Status\": \"Enabled\" and put the configuration again", "s3:GetBucketReplication "+src+" -> all rules Disabled")
	},
}
