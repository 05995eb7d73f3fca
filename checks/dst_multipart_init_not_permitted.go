package checks

// DstMultipartInitNotPermitted predicts that S3 cannot start multipart
// uploads of large replicas in the destination bucket.
var DstMultipartInitNotPermitted = &Check{
	Reason: "DstMultipartInitNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot start multipart uploads of replicas",
	Why: "S3 replicates large objects with a multipart upload to the destination, authorized as " +
		"s3:ReplicateObject for the replication role. A missing grant in the role's policies, its boundary, " +
		"SCPs, RCPs or (across accounts) the destination bucket policy fails the CreateMultipartUpload with this " +
		"reason; for SSE-KMS replicas the replica key must also let the role call kms:GenerateDataKey through S3. " +
		"The object size at which replication switches to multipart is not documented.",
	Predicts: "asks the policy engine (or a recorded simulator decision for the identity side) whether the role " +
		"may call s3:ReplicateObject on an object under the rule's prefix in the destination with the context S3 " +
		"sends (SSE-S3 and, for KMS rules, aws:kms with the replica key), and, for KMS rules, kms:GenerateDataKey " +
		"on the replica key through S3 in the destination Region.",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* (role policy and, across accounts, destination bucket policy) and kms:GenerateDataKey on the replica key (key policy and role policy)`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
	Run: func(t *Target) Outcome {
		return t.replicaWriteOutcome("start multipart uploads of replicas in "+t.DestARN, nil, "kms:GenerateDataKey")
	},
}
