package checks

// DstPutLegalHoldNotPermitted predicts that S3 cannot replicate Object Lock
// legal holds to the destination bucket.
var DstPutLegalHoldNotPermitted = &Check{
	Reason: "DstPutLegalHoldNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot set legal holds on replicas",
	Why: "when the source bucket has Object Lock enabled, S3 replicates each object's legal hold to the replica " +
		"as the replication role; AWS's failure table says \"The s3:PutObjectLegalHold permission might be missing for the " +
		"destination bucket\" (" + failureTable + "). AWS's permission pages neither list it nor say s3:ReplicateObject " +
		"covers it, and the Object Lock page asks only two source-side permissions for replication (" + objectLockDoc + "), so a " +
		"denial warns, naming both.",
	Predicts: "when the source bucket has Object Lock enabled, asks the policy engine (or a recorded simulator " +
		"decision for the identity side) whether the role may call s3:PutObjectLegalHold on an object under the " +
		"rule's prefix in the destination (role policies, boundary, SCPs, RCPs and, across accounts, the " +
		"destination bucket policy); other sources skip.",
	Fix:    `allow s3:PutObjectLegalHold on arn:aws:s3:::DST/* in the role's policy and, across accounts, in the destination bucket policy for the role`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html",
	Requires: []Requirement{
		{Action: "s3:PutObjectLegalHold", On: destinationWide + ", when the source bucket has Object Lock enabled",
			Source: failureTable + ` (DstPutLegalHoldNotPermitted: "The s3:PutObjectLegalHold permission might be missing for the destination bucket") against ` + objectLockDoc +
				` (replication needs "two additional permissions on the source S3 bucket", s3:GetObjectRetention and s3:GetObjectLegalHold; retention limits on replicas need s3:ReplicateObject in the destination bucket policy): the pages disagree, so a denial warns`, Denied: StatusWarn},
	},
	Run: func(t *Target) Outcome {
		return t.objectLockOutcome("s3:PutObjectLegalHold", "legal holds")
	},
}
