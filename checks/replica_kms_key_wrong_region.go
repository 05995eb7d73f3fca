package checks

import "fmt"

// ReplicaKmsKeyWrongRegion fails when the replica key is not in the
// destination bucket's Region.
var ReplicaKmsKeyWrongRegion = &Check{
	Reason: "ReplicaKmsKeyWrongRegion",
	Scope:  ScopeLive,
	Title:  "the replica KMS key is not in the destination bucket's Region",
	Why: "The replica key must have been created in the destination bucket's Region. S3 treats multi-Region keys " +
		"as single-Region keys, so naming the source-Region copy of a multi-Region key (mrk-…) for a destination " +
		"in another Region does not work either. PutBucketReplication does not validate the key; replication " +
		"then fails.",
	Predicts: "compares the Region of ReplicaKmsKeyID (from its ARN, or from kms:DescribeKey for an alias name " +
		"or key ID) with the destination bucket's Region from s3:HeadBucket.",
	Fix:    "create the key in the destination Region (or aws kms replicate-key for a multi-Region key) and name that ARN in ReplicaKmsKeyID",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
	Config: true,
	Run: func(t *Target) Outcome {
		id := t.replicaKeyID()
		if id == "" {
			return skip("the rule sets no ReplicaKmsKeyID")
		}
		region, _, _, isARN := splitKMSARN(id)
		k := t.Facts.Key(id)
		evidence := []string{"rule " + t.RuleName + " ReplicaKmsKeyID -> " + id}
		if !isARN {
			if k == nil {
				return unknown("ReplicaKmsKeyID "+id+" is not an ARN and the snapshot has no facts for it, so its Region is unknown", evidence...)
			}
			region = keyRegion(k)
			evidence = append(evidence, "kms:DescribeKey "+id+" -> "+k.ARN)
		}
		switch {
		case t.Dest == nil:
			return unknown("the snapshot has no facts for destination "+t.DestARN+", so its Region is unknown", evidence...)
		case !t.Dest.Region.IsKnown():
			return unknown("could not read the Region of destination bucket "+t.Dest.Name+": "+t.Dest.Region.Why(), append(evidence, "s3:HeadBucket "+t.Dest.Name+" -> "+t.Dest.Region.Why())...)
		}
		dst := t.Dest.Region.Value
		evidence = append(evidence, "s3:HeadBucket "+t.Dest.Name+" -> Region="+dst)
		if region == dst {
			return pass(fmt.Sprintf("the replica key %s is in the destination's Region %s", id, dst), evidence...)
		}
		key := destSideKey{ID: id, What: "replica KMS key", Replica: true, Key: k}
		msg := fmt.Sprintf("the replica key %s is in %s, but destination bucket %s is in %s", id, region, t.Dest.Name, dst)
		if k != nil && k.Metadata.IsKnown() && k.Metadata.Value.MultiRegion {
			msg += ": S3 treats multi-Region keys as single-Region keys, so name the replica of this key in " + dst
		}
		return fail(msg, t.newKeyFix(key), evidence...)
	},
}
