package checks

// DstMultipartCompleteNotPermitted predicts that S3 cannot complete
// multipart uploads of large replicas in the destination bucket.
var DstMultipartCompleteNotPermitted = &Check{
	Reason: "DstMultipartCompleteNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot complete multipart uploads of replicas",
	Why: "S3 completes each large replica's multipart upload as the replication role, authorized as " +
		"s3:ReplicateObject (AWS's failure table: \"The s3:ReplicateObject permission might be missing\"). A missing " +
		"grant fails the CompleteMultipartUpload with this reason. For SSE-KMS multipart uploads by other callers " +
		"\"Amazon S3 must decrypt and read data from the encrypted file parts before it completes the multipart " +
		"upload\" (CreateMultipartUpload), which needs kms:Decrypt; AWS's replication pages do not say whether the " +
		"replication role needs it, and ask only kms:Encrypt on the replica key.",
	Predicts: "asks whether the role may call s3:ReplicateObject on an object under the rule's prefix in the " +
		"destination (SSE-S3 and, for KMS rules, aws:kms with the replica key): a denial fails. It asks kms:Decrypt " +
		"on the replica key through S3 (and on the destination's default SSE-KMS key when unencrypted objects are " +
		"replicated) and warns on a denial; it also warns when a Deny refuses s3:ReplicateObject without the " +
		"encryption header, which the completion request does not carry.",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* (role policy and, across accounts, destination bucket policy); to be safe for large SSE-KMS replicas, also kms:Decrypt on the replica key (key policy and role policy)`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
	Requires: []Requirement{
		s3WriteRequirement,
		{Action: "kms:Decrypt", On: "the replica KMS key, and the destination's default SSE-KMS key for unencrypted objects, through S3", Source: multipartKMSSource, Denied: StatusWarn},
	},
	Run: func(t *Target) Outcome {
		return t.multipartPartOutcome("complete multipart uploads of replicas in " + t.DestARN)
	},
}
