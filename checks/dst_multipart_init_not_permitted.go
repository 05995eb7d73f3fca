package checks

// DstMultipartInitNotPermitted predicts that S3 cannot start multipart
// uploads of large replicas in the destination bucket.
var DstMultipartInitNotPermitted = &Check{
	Reason: "DstMultipartInitNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot start multipart uploads of replicas",
	Why: "S3 replicates large objects with a multipart upload to the destination, authorized as " +
		"s3:ReplicateObject for the replication role (AWS's failure table: \"The s3:ReplicateObject permission " +
		"might be missing\"). A missing grant in the role's policies, its boundary, SCPs, RCPs or (across accounts) " +
		"the destination bucket policy fails the CreateMultipartUpload with this reason. AWS does not document " +
		"which KMS permissions the multipart upload of an SSE-KMS replica needs: its replication pages ask only " +
		"kms:Encrypt on the replica key, while S3 needs kms:GenerateDataKey to start an SSE-KMS multipart upload " +
		"for other callers. The object size at which replication switches to multipart is not documented either.",
	Predicts: "asks the policy engine (or a recorded simulator decision for the identity side) whether the role " +
		"may call s3:ReplicateObject on an object under the rule's prefix in the destination with the context S3 " +
		"sends (SSE-S3 and, for KMS rules, aws:kms with the replica key): a denial fails. For KMS rules it also asks " +
		"kms:GenerateDataKey on the replica key through S3 in the destination Region (and on the destination's " +
		"default SSE-KMS key when unencrypted objects are replicated): a denial only warns.",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* (role policy and, across accounts, destination bucket policy); to be safe for large SSE-KMS replicas, also kms:GenerateDataKey on the replica key (key policy and role policy)`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	Requires: []Requirement{
		s3WriteRequirement,
		{Action: "kms:GenerateDataKey", On: "the replica KMS key, and the destination's default SSE-KMS key for unencrypted objects, through S3", Source: multipartKMSSource, Denied: StatusWarn},
	},
	Run: func(t *Target) Outcome {
		return t.replicaWriteOutcome("start multipart uploads of replicas in "+t.DestARN, nil, stepMultipartInit)
	},
}
