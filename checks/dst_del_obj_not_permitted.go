package checks

// DstDelObjNotPermitted predicts that S3 cannot replicate delete markers to
// the destination bucket.
var DstDelObjNotPermitted = &Check{
	Reason: "DstDelObjNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot replicate delete markers to the destination",
	Why: "when a rule replicates delete markers (every V1 rule, which has no Filter, and V2 rules with " +
		"DeleteMarkerReplication Enabled), S3 writes each delete marker to the destination as the replication " +
		"role with s3:ReplicateDelete (AWS's access policy and cross-account bucket policy grant it, " + permRoleDoc + "; the " +
		"failure table names it for this reason, " + failureTable + "), and reads the source's delete markers with s3:ListBucket " +
		"on the source bucket (\"The current permissions model requires the s3:ListBucket permission for accessing delete " +
		"markers\", " + permRoleDoc + "). A missing grant in the role's policies, its boundary, SCPs, RCPs or (across accounts) the " +
		"destination bucket policy fails with this reason. V1 rules turn delete-marker replication on " +
		"silently, so s3:ReplicateDelete is often missing.",
	Predicts: "for rules that replicate delete markers, asks the policy engine (or a recorded simulator decision " +
		"for the identity side) whether the role may call s3:ReplicateDelete on an object under the rule's prefix " +
		"in the destination, and s3:ListBucket on the source bucket, with the context S3 sends; other rules skip.",
	Fix:    `allow s3:ReplicateDelete on arn:aws:s3:::DST/* (in the role's policy and, across accounts, in the destination bucket policy) and s3:ListBucket on arn:aws:s3:::SRC`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html",
	Requires: []Requirement{
		{Action: "s3:ReplicateDelete", On: destinationWide + ", when the rule replicates delete markers",
			Source: permRoleDoc + ` (s3:ReplicateDelete lets S3 "replicate objects or delete markers to the destination bucket"), ` + permCrossDoc + ` and ` + failureTable +
				` ("The s3:ReplicateDelete permission might be missing")`, Denied: StatusFail},
		{Action: "s3:ListBucket", On: "the source bucket, when the rule replicates delete markers",
			Source: permRoleDoc + ` ("The current permissions model requires the s3:ListBucket permission for accessing delete markers")`, Denied: StatusFail},
	},
	Run: func(t *Target) Outcome {
		evidence := deleteMarkerEvidence(t)
		if !t.Rule.ReplicatesDeleteMarkers() {
			return skip("S3 replicates no delete markers for this rule (" + evidence + ")")
		}
		if o := t.needRole(); o != nil {
			return *o
		}
		qd, ad := t.askDest("s3:ReplicateDelete", nil)
		ql, al := t.askSource("s3:ListBucket", true, nil)
		res := t.permissionOutcome("replicate delete markers to "+t.DestARN, asked{qd, ad}, asked{ql, al})
		res.Evidence = append([]string{evidence}, res.Evidence...)
		return res
	},
}
