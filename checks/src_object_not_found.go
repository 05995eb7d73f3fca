package checks

// SrcObjectNotFound predicts replication of source objects of which no
// version is left.
var SrcObjectNotFound = &Check{
	Reason: "SrcObjectNotFound",
	Scope:  ScopeObject,
	Title:  "a source object to replicate no longer exists",
	Why: "S3 reports this reason when the source object does not exist. AWS does not say how it differs from " +
		"SrcKeyNotFound and SrcVersionNotFound; replcheck uses it for a version whose whole object is gone: no " +
		"version of the key remains in the source bucket except, at most, delete markers. Such entries come from " +
		"stale Batch Replication manifests, or from objects deleted by version ID before replication completed.",
	Predicts: "among the sampled versions under the rule's prefix, reports those whose s3:HeadObject with the " +
		"version ID answered 404 when no other sampled version of the key, other than delete markers, exists. An " +
		"unread existence (of the version or of the key's other versions) is unknown.",
	Fix:    "build the Batch Replication manifest from the bucket's current versions (an S3-generated manifest) instead of a stale list",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	Run:    func(t *Target) Outcome { return t.sourceGoneOutcome(goneObject) },
}
