package checks

// DstMultipartCompleteNotPermitted predicts that S3 cannot complete
// multipart uploads of large replicas in the destination bucket.
var DstMultipartCompleteNotPermitted = &Check{
	Reason: "DstMultipartCompleteNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot complete multipart uploads of replicas",
	Why: "S3 completes each large replica's multipart upload as the replication role, authorized as " +
		"s3:ReplicateObject. A missing grant fails the CompleteMultipartUpload with this reason. For SSE-KMS " +
		"replicas \"Amazon S3 must decrypt and read data from the encrypted file parts before it completes the " +
		"multipart upload\", so the replica key must let the role call kms:Decrypt through S3.",
	Predicts: "asks whether the role may call s3:ReplicateObject on an object under the rule's prefix in the " +
		"destination (SSE-S3 and, for KMS rules, aws:kms with the replica key), and kms:Decrypt on the replica key " +
		"through S3; then warns when a Deny refuses s3:ReplicateObject without the encryption header, which the " +
		"completion request does not carry.",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* (role policy and, across accounts, destination bucket policy) and kms:Decrypt on the replica key (key policy and role policy)`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
	Run: func(t *Target) Outcome {
		return t.multipartPartOutcome("complete multipart uploads of replicas in "+t.DestARN, "kms:Decrypt")
	},
}
