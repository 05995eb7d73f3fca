package checks

// SrcKeyNotFound predicts replication of keys that no longer exist in the
// source bucket.
var SrcKeyNotFound = &Check{
	Reason: "SrcKeyNotFound",
	Scope:  ScopeObject,
	Title:  "a source key to replicate no longer exists",
	Why: "S3 reports this reason when it cannot find the source object key to replicate: the object was deleted " +
		"before replication completed, or a Batch Replication manifest lists a key (without a version ID) that is " +
		"gone. AWS documents it only briefly, as a manifest-staleness code.",
	Predicts: "among the sampled entries under the rule's prefix that name only a key (no version ID), reports those " +
		"whose s3:HeadObject answered 404; an entry whose existence could not be read is unknown. Entries with a " +
		"version ID are SrcVersionNotFound's and SrcObjectNotFound's.",
	Fix:    "build the Batch Replication manifest from the bucket's current versions (an S3-generated manifest) instead of a stale list of keys",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	Run:    func(t *Target) Outcome { return t.sourceGoneOutcome(goneKey) },
}
