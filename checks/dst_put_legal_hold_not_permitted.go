package checks

// DstPutLegalHoldNotPermitted predicts that S3 cannot replicate Object Lock
// legal holds to the destination bucket.
var DstPutLegalHoldNotPermitted = &Check{
	Reason: "DstPutLegalHoldNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot set legal holds on replicas",
	Why: "when the source bucket has Object Lock enabled, S3 replicates each object's legal hold to the replica " +
		"as the replication role; AWS's failure table says s3:PutObjectLegalHold might be missing for the " +
		"destination bucket. AWS's example policies list only the Replicate* actions, so whether " +
		"s3:ReplicateObject alone suffices is not documented; replcheck requires s3:PutObjectLegalHold.",
	Predicts: "when the source bucket has Object Lock enabled, asks the policy engine (or a recorded simulator " +
		"decision for the identity side) whether the role may call s3:PutObjectLegalHold on an object under the " +
		"rule's prefix in the destination (role policies, boundary, SCPs, RCPs and, across accounts, the " +
		"destination bucket policy); other sources skip.",
	Fix:    `allow s3:PutObjectLegalHold on arn:aws:s3:::DST/* in the role's policy and, across accounts, in the destination bucket policy for the role`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html",
	Run: func(t *Target) Outcome {
		return t.objectLockOutcome("s3:PutObjectLegalHold", "legal holds")
	},
}
