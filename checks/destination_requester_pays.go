package checks

// DestinationRequesterPays fails when a cross-account destination is a
// Requester Pays bucket.
var DestinationRequesterPays = &Check{
	Reason: "DestinationRequesterPays",
	Scope:  ScopeLive,
	Title:  "the cross-account destination bucket is Requester Pays",
	Why: "S3 does not replicate to a destination bucket in another account that is configured as Requester Pays; " +
		"objects are not replicated.",
	Predicts: "for a destination owned by another account than the source, reads s3:GetBucketRequestPayment: " +
		"Payer Requester fails.",
	Fix:    "aws s3api put-bucket-request-payment --bucket DST --request-payment-configuration Payer=BucketOwner (with the destination account's credentials)",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html",
	Config: true,
	Run: func(t *Target) Outcome {
		if t.Dest == nil {
			return unknown("the snapshot has no facts for destination " + t.DestARN)
		}
		rp := t.Dest.RequestPayment
		evidence := "s3:GetBucketRequestPayment " + t.Dest.Name + " -> "
		switch {
		case rp.IsUnknown():
			return unknown("could not read the request payment configuration of destination bucket "+t.Dest.Name+": "+rp.Why(), evidence+rp.Why())
		case rp.IsAbsent() || rp.Value != "Requester":
			return pass("destination bucket "+t.Dest.Name+" is not Requester Pays", evidence+"Payer=BucketOwner")
		}
		evidence += "Payer=Requester"
		cross, o := t.crossAccountOutcome("replicating to a Requester Pays bucket is allowed")
		switch {
		case o != nil:
			o.Message = "destination bucket " + t.Dest.Name + " is Requester Pays, and " + o.Message
			o.Evidence = append(o.Evidence, evidence)
			return *o
		case !cross:
			return pass("destination bucket "+t.Dest.Name+" is Requester Pays, but in the source account", evidence, t.accounts())
		}
		return fail("destination bucket "+t.Dest.Name+" in account "+t.destAccount().Value+" is Requester Pays, which cross-account replication does not support",
			"aws s3api put-bucket-request-payment --bucket "+t.Dest.Name+" --request-payment-configuration Payer=BucketOwner (with account "+t.destAccount().Value+"'s credentials)",
			evidence, t.accounts())
	},
}
