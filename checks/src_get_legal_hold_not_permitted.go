package checks

// SrcGetLegalHoldNotPermitted predicts that S3 cannot read the legal hold of
// source object versions in an Object Lock bucket.
var SrcGetLegalHoldNotPermitted = &Check{
	Reason: "SrcGetLegalHoldNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot read source object legal holds",
	Why: "When the source bucket has Object Lock enabled, S3 reads each version's legal hold as the replication " +
		"role with s3:GetObjectLegalHold, to carry it to the replica; AWS requires it of the role (" + objectLockDoc + "). " +
		"When the role's policies, its permissions " +
		"boundary, SCPs, the source bucket policy or RCPs do not allow it, replication fails with this reason.",
	Predicts: "reads s3:GetObjectLockConfiguration on the source bucket; when Object Lock is enabled, asks the " +
		"policy engine (or a recorded SimulatePrincipalPolicy decision) whether the role may call " +
		"s3:GetObjectLegalHold on an object under the rule's prefix, with the context S3 sends.",
	Fix:    "allow s3:GetObjectLegalHold on arn:aws:s3:::SRC/* in the role's policy (s3:Get* also covers it)",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html",
	Requires: []Requirement{
		{Action: "s3:GetObjectLegalHold", On: sourceWide + ", when the source bucket has Object Lock enabled",
			Source: objectLockDoc + ` ("You must grant two new permissions on the source S3 bucket ... s3:GetObjectRetention and s3:GetObjectLegalHold"; s3:Get* satisfies it)`, Denied: StatusFail},
	},
	Run: func(t *Target) Outcome {
		return t.objectLockRead(actGetLegalHold, "read source object legal holds")
	},
}
