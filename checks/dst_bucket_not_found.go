package checks

import "fmt"

// DstBucketNotFound predicts failures from a destination bucket that does
// not exist, or that another account than the configured one now owns.
var DstBucketNotFound = &Check{
	Reason: "DstBucketNotFound",
	Scope:  ScopeLive,
	Title:  "the destination bucket does not exist",
	Why: "S3 replicates to the bucket named by the rule's Destination.Bucket. When that bucket was deleted after " +
		"the configuration was written (PutBucketReplication only checks it once), or the name has a typo, every " +
		"replication fails with this reason. A deleted bucket's name can be taken by anyone: a destination that " +
		"exists but belongs to another account than Destination.Account is someone else's bucket.",
	Predicts: "reads s3:HeadBucket on each destination bucket: 404 NoSuchBucket fails; when the rule sets " +
		"Destination.Account, the bucket's owner must be that account.",
	Fix:    "create the destination bucket (aws s3api create-bucket --bucket DST), or name an existing bucket you own in the rule",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html",
	Run: func(t *Target) Outcome {
		if t.Dest == nil {
			return unknown("the snapshot has no facts for destination " + t.DestARN)
		}
		name, exists := t.Dest.Name, t.Dest.Exists
		evidence := "s3:HeadBucket " + name + " -> "
		switch {
		case exists.IsUnknown():
			return unknown("could not tell whether destination bucket "+name+" exists: "+exists.Why(), evidence+exists.Why())
		case !exists.Value:
			return fail("destination bucket "+name+" does not exist",
				"create it with versioning enabled (aws s3api create-bucket --bucket "+name+"), or name an existing bucket in the rule's Destination.Bucket",
				evidence+"404 NoSuchBucket")
		}
		want := t.Rule.Destination.Account
		if want == "" {
			return pass("destination bucket "+name+" exists", evidence+"exists")
		}
		owner := t.Dest.Account
		switch {
		case owner.IsUnknown():
			return unknown(fmt.Sprintf("destination bucket %s exists, but its owner could not be read to compare with Destination.Account %s: %s", name, want, owner.Why()),
				evidence+"exists", "owner of "+name+" -> "+owner.Why())
		case owner.Value != want:
			return fail(fmt.Sprintf("destination bucket %s is owned by account %s, not by %s as Destination.Account says: the bucket was probably deleted and re-created by someone else", name, owner.Value, want),
				fmt.Sprintf("stop replicating to %s (aws s3api delete-bucket-replication --bucket %s) and choose a bucket owned by %s, or correct Destination.Account if %s is yours", name, t.Source().Name, want, owner.Value),
				evidence+"exists", "owner of "+name+" -> "+owner.Value, "rule Destination.Account -> "+want)
		}
		return pass(fmt.Sprintf("destination bucket %s exists and is owned by %s", name, want), evidence+"exists", "owner of "+name+" -> "+owner.Value)
	},
}
