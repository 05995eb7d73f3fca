package checks

// SrcVersionNotFound predicts replication of source versions that were
// deleted while their key lives on.
var SrcVersionNotFound = &Check{
	Reason: "SrcVersionNotFound",
	Scope:  ScopeObject,
	Title:  "a source version to replicate was deleted",
	Why: "S3 reports this reason when it cannot find the source object version to replicate: the version was " +
		"deleted by version ID before replication completed (a source lifecycle rule waits for COMPLETED or " +
		"FAILED, a user's DeleteObject with a version ID does not), or a Batch Replication manifest lists a stale " +
		"version.",
	Predicts: "among the sampled versions under the rule's prefix, reports those whose s3:HeadObject with the " +
		"version ID answered 404 while another sampled version of the same key (not a delete marker) still exists. " +
		"When no version of the key is left, the version is SrcObjectNotFound's. An unread existence is unknown.",
	Fix:    "build the Batch Replication manifest from the bucket's current versions (an S3-generated manifest), and do not delete versions by ID while they are PENDING",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	Run:    func(t *Target) Outcome { return t.sourceGoneOutcome(goneVersion) },
}
