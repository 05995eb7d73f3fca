package checks

// DstMultipartPartUploadNotPermitted predicts that S3 cannot upload the
// parts of large replicas to the destination bucket.
var DstMultipartPartUploadNotPermitted = &Check{
	Reason:  "DstMultipartPartUploadNotPermitted",
	Aliases: []string{"DstMultipartUploadNotPermitted"},
	Scope:   ScopeLive,
	Title:   "the replication role cannot upload the parts of replicas",
	Why: "S3 uploads each part of a large replica as the replication role, authorized as s3:ReplicateObject. " +
		"A missing grant fails the UploadPart with this reason (AWS now names it DstMultipartUploadNotPermitted). " +
		"For SSE-KMS replicas S3 must decrypt the upload's data key, so the replica key must let the role call " +
		"kms:Decrypt through S3. Part requests carry no server-side-encryption header, so a destination Deny that " +
		"demands one may refuse them.",
	Predicts: "asks whether the role may call s3:ReplicateObject on an object under the rule's prefix in the " +
		"destination (SSE-S3 and, for KMS rules, aws:kms with the replica key), and kms:Decrypt on the replica key " +
		"through S3; then warns when a Deny refuses s3:ReplicateObject without the encryption header, since AWS " +
		"does not document whether S3 evaluates each part request.",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* (role policy and, across accounts, destination bucket policy) and kms:Decrypt on the replica key (key policy and role policy)`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
	Run: func(t *Target) Outcome {
		return t.multipartPartOutcome("upload the parts of replicas to "+t.DestARN, "kms:Decrypt")
	},
}
