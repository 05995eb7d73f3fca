package checks

// ReplicaOwnedBySourceAccount warns when cross-account replicas stay owned
// by the source account.
var ReplicaOwnedBySourceAccount = &Check{
	Reason: "ReplicaOwnedBySourceAccount",
	Scope:  ScopeLive,
	Title:  "cross-account replicas stay owned by the source account",
	Why: "Without an owner override (AccessControlTranslation Owner Destination), a replica in another account is " +
		"owned by the source account, like its original, unless the destination bucket's Object Ownership is " +
		"BucketOwnerEnforced. The destination account then cannot read or manage the replicas it stores; S3 " +
		"reports no failure.",
	Predicts: "for a destination owned by another account, with no owner override in the rule, reads " +
		"s3:GetBucketOwnershipControls on the destination: anything but BucketOwnerEnforced warns.",
	Fix:    "aws s3api put-bucket-ownership-controls --bucket DST --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html",
	Config: true,
	Run: func(t *Target) Outcome {
		cross, o := t.crossAccountOutcome("replicas change account")
		switch {
		case o != nil:
			return *o
		case !cross:
			return skip("the destination is in the source account")
		case t.ownerOverride():
			return pass("rule "+t.RuleName+" changes replica ownership to the destination account (AccessControlTranslation Owner=Destination)", t.accounts())
		case t.Dest == nil:
			return unknown("the snapshot has no facts for destination " + t.DestARN)
		}
		own := t.Dest.Ownership
		evidence := "s3:GetBucketOwnershipControls " + t.Dest.Name + " -> "
		setting := own.Value
		switch {
		case own.IsUnknown():
			return unknown("could not read the Object Ownership of destination bucket "+t.Dest.Name+": "+own.Why(), evidence+own.Why())
		case own.IsAbsent():
			setting = "ObjectWriter"
			evidence += "OwnershipControlsNotFoundError"
		case setting == "BucketOwnerEnforced":
			return pass("destination bucket "+t.Dest.Name+" enforces bucket-owner ownership (BucketOwnerEnforced)", evidence+"ObjectOwnership=BucketOwnerEnforced", t.accounts())
		default:
			evidence += "ObjectOwnership=" + setting
		}
		return warn("replicas in destination bucket "+t.Dest.Name+" stay owned by source account "+t.Source().Account.Value+": the rule has no owner override and the bucket's Object Ownership is "+setting,
			"aws s3api put-bucket-ownership-controls --bucket "+t.Dest.Name+" --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]' (with account "+t.destAccount().Value+
				"'s credentials), or add \"AccessControlTranslation\": {\"Owner\": \"Destination\"} and \"Account\": \""+t.destAccount().Value+"\" to the rule's Destination",
			evidence, t.accounts())
	},
}
