package checks

// DstPutAclNotPermitted predicts that S3 cannot replicate object ACLs to
// the destination bucket.
var DstPutAclNotPermitted = &Check{
	Reason: "DstPutAclNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot replicate object ACLs to the destination",
	Why: "without an owner override S3 replicates each object's ACL, and later ACL changes, to the replica as " +
		"the replication role, authorized as s3:ReplicateObject (AWS's failure table, " + failureTable + "; the permission page: " +
		"s3:ReplicateObject \"also allow[s] replication of metadata such as object tags and ACLs\", " + permRoleDoc + "); a " +
		"missing grant fails with this reason. With an " +
		"owner override (AccessControlTranslation) S3 replicates no ACL: the destination owner gets full control. " +
		"A destination with ACLs disabled (Object Ownership BucketOwnerEnforced) behaves like an owner override " +
		"without needing s3:ObjectOwnerOverrideToBucketOwner.",
	Predicts: "skips rules with an owner override; otherwise asks the policy engine (or a recorded simulator " +
		"decision for the identity side) whether the role may call s3:ReplicateObject on an object under the " +
		"rule's prefix in the destination with the context S3 sends, and reports the destination's Object " +
		"Ownership setting as evidence.",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* in the role's policy and, across accounts, in the destination bucket policy for the role`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html",
	Requires: []Requirement{
		{Action: "s3:ReplicateObject", On: destinationWide + "; it also covers ACLs, without an owner override",
			Source: failureTable + ` (DstPutAclNotPermitted: "The s3:ReplicateObject permission might be missing") and ` + permRoleDoc +
				` (s3:ReplicateObject "also allow[s] replication of metadata such as object tags and ACLs")`, Denied: StatusFail},
	},
	Run: func(t *Target) Outcome {
		if t.ownerOverride() {
			return skip("the rule's owner override (AccessControlTranslation Owner=Destination) makes S3 replicate no object ACLs")
		}
		if o := t.needRole(); o != nil {
			return *o
		}
		res := t.permissionOutcome("replicate object ACLs to "+t.DestARN, t.askReplicate("s3:ReplicateObject")...)
		res.Evidence = append([]string{t.ownershipEvidence()}, res.Evidence...)
		if res.Status == StatusPass && t.Dest != nil && t.Dest.Ownership.IsKnown() && t.Dest.Ownership.Value == "BucketOwnerEnforced" {
			res.Message += "; the destination has ACLs disabled (BucketOwnerEnforced), so the destination owner owns the replicas as with an owner override"
		}
		return res
	},
}
