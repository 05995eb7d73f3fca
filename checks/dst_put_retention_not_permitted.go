package checks

// DstPutRetentionNotPermitted predicts that S3 cannot replicate Object Lock
// retention settings to the destination bucket.
var DstPutRetentionNotPermitted = &Check{
	Reason: "DstPutRetentionNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot set retention on replicas",
	Why: "when the source bucket has Object Lock enabled, S3 replicates each object's retention mode and date " +
		"to the replica as the replication role; AWS's failure table says s3:PutObjectRetention might be missing " +
		"for the destination bucket. Whether s3:ReplicateObject alone suffices is not documented; replcheck " +
		"requires s3:PutObjectRetention.",
	Predicts: "when the source bucket has Object Lock enabled, asks the policy engine (or a recorded simulator " +
		"decision for the identity side) whether the role may call s3:PutObjectRetention on an object under the " +
		"rule's prefix in the destination (role policies, boundary, SCPs, RCPs and, across accounts, the " +
		"destination bucket policy); other sources skip.",
	Fix:    `allow s3:PutObjectRetention on arn:aws:s3:::DST/* in the role's policy and, across accounts, in the destination bucket policy for the role`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html",
	Run: func(t *Target) Outcome {
		return t.objectLockOutcome("s3:PutObjectRetention", "retention settings")
	},
}
