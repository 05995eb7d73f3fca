package checks

import (
	"fmt"
	"strings"
)

// DstKmsKeyNotFound predicts failures from a destination-side KMS key that
// does not exist where S3 looks for it.
var DstKmsKeyNotFound = &Check{
	Reason: "DstKmsKeyNotFound",
	Scope:  ScopeLive,
	Title:  "the KMS key for replicas does not exist in the destination Region",
	Why: "S3 encrypts SSE-KMS replicas with the rule's ReplicaKmsKeyID, and replicas of unencrypted objects with " +
		"the destination's default SSE-KMS key. PutBucketReplication does not validate the key: a deleted key, a " +
		"typo, or a key in another Region than the destination bucket (S3 treats multi-Region keys as single-Region " +
		"keys) fails replication with this reason.",
	Predicts: "reads kms:DescribeKey on the replica key (for rules that replicate SSE-KMS objects) and on the " +
		"destination's default encryption key: NotFoundException fails (warns for the default key), and so does a " +
		"key whose Region is not the destination bucket's.",
	Fix:    "set Destination.EncryptionConfiguration.ReplicaKmsKeyID to the ARN of an existing symmetric customer managed key in the destination bucket's Region",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
	Run: func(t *Target) Outcome {
		return t.eachDestSideKey(t.keyFound)
	},
}

// keyFound decides whether S3 finds a key in the destination's Region.
func (t *Target) keyFound(k destSideKey) Outcome {
	if o := describeKey(k, func() Outcome {
		return k.problem(fmt.Sprintf("the %s %s does not exist", k.What, k.ID), t.newKeyFix(k), "kms:DescribeKey "+k.ID+" -> NotFoundException")
	}); o != nil {
		return *o
	}
	if t.Dest == nil || !t.Dest.Region.IsKnown() {
		why := "the snapshot has no facts for " + t.DestARN
		if t.Dest != nil {
			why = t.Dest.Region.Why()
		}
		return unknown(fmt.Sprintf("the %s %s exists, but the destination's Region could not be read to compare with it: %s", k.What, k.Key.ARN, why),
			"kms:DescribeKey "+k.ID+" -> Arn="+k.Key.ARN+" Region="+keyRegion(k.Key), "s3:HeadBucket "+t.DestARN+" -> "+why)
	}
	region, dst := keyRegion(k.Key), t.Dest.Region.Value
	evidence := []string{"kms:DescribeKey " + k.ID + " -> Arn=" + k.Key.ARN + " Region=" + region, "s3:HeadBucket " + t.Dest.Name + " -> Region=" + dst}
	if region != dst {
		return k.problem(fmt.Sprintf("the %s %s is in %s, but destination bucket %s is in %s: S3 looks for the key in %s and does not find it", k.What, k.Key.ARN, region, t.Dest.Name, dst, dst),
			t.newKeyFix(k), evidence...)
	}
	return pass(fmt.Sprintf("the %s %s exists in %s", k.What, k.Key.ARN, region), evidence...)
}

// newKeyFix says how to point S3 at a key in the destination's Region.
func (t *Target) newKeyFix(k destSideKey) string {
	dst := "the destination bucket's Region"
	if t.Dest != nil && t.Dest.Region.IsKnown() {
		dst = t.Dest.Region.Value
	}
	use := "aws kms create-key --region " + dst + " (a symmetric customer managed key)"
	if k.Key != nil && k.Key.Metadata.IsKnown() && k.Key.Metadata.Value.MultiRegion {
		_, account, resource, _ := splitKMSARN(k.Key.ARN)
		use = fmt.Sprintf("aws kms replicate-key --key-id %s --replica-region %s --region %s, and use arn:aws:kms:%s:%s:%s",
			k.Key.ARN, dst, keyRegion(k.Key), dst, account, resource)
	}
	if k.Replica {
		return use + "; then set Destination.EncryptionConfiguration.ReplicaKmsKeyID to the new key's ARN in rule " + t.RuleName + " and put the replication configuration again"
	}
	name := strings.TrimPrefix(k.What, "default encryption key of destination bucket ")
	return use + "; then aws s3api put-bucket-encryption --bucket " + name +
		` --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"NEW-KEY-ARN"}}]}'`
}
