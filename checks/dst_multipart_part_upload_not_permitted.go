package checks

// DstMultipartPartUploadNotPermitted predicts that S3 cannot upload the
// parts of large replicas to the destination bucket.
var DstMultipartPartUploadNotPermitted = &Check{
	Reason:  "DstMultipartPartUploadNotPermitted",
	Aliases: []string{"DstMultipartUploadNotPermitted"},
	Scope:   ScopeLive,
	Title:   "the replication role cannot upload the parts of replicas",
	Why: "S3 uploads each part of a large replica as the replication role, authorized as s3:ReplicateObject " +
		"(AWS's failure table, which now names this reason DstMultipartUploadNotPermitted: \"The s3:ReplicateObject " +
		"permission might be missing\"). A missing grant fails the UploadPart with this reason. AWS does not document " +
		"a KMS permission for the parts of an SSE-KMS replica: its replication pages ask only kms:Encrypt on the " +
		"replica key, while S3 needs kms:Decrypt for the parts of an SSE-KMS multipart upload by other callers. " +
		"Part requests carry no server-side-encryption header, so a destination Deny that demands one may refuse them.",
	Predicts: "asks whether the role may call s3:ReplicateObject on an object under the rule's prefix in the " +
		"destination (SSE-S3 and, for KMS rules, aws:kms with the replica key): a denial fails. It asks kms:Decrypt " +
		"on the replica key through S3 (and on the destination's default SSE-KMS key when unencrypted objects are " +
		"replicated), and warns on a denial; it also warns when a Deny refuses s3:ReplicateObject without the " +
		"encryption header, since AWS does not document whether S3 evaluates each part request.",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* (role policy and, across accounts, destination bucket policy); to be safe for large SSE-KMS replicas, also kms:Decrypt on the replica key (key policy and role policy)`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	Requires: []Requirement{
		s3WriteRequirement,
		{Action: "kms:Decrypt", On: "the replica KMS key, and the destination's default SSE-KMS key for unencrypted objects, through S3", Source: multipartKMSSource, Denied: StatusWarn},
	},
	Run: func(t *Target) Outcome {
		return t.multipartPartOutcome("upload the parts of replicas to " + t.DestARN)
	},
}
