package checks

import (
	"fmt"
	"strings"
)

// ReplicaKmsKeyAwsManaged fails when a cross-account rule names an AWS
// managed key as the replica key.
var ReplicaKmsKeyAwsManaged = &Check{
	Reason: "ReplicaKmsKeyAwsManaged",
	Scope:  ScopeLive,
	Title:  "the replica KMS key of a cross-account rule is an AWS managed key",
	Why: "AWS managed keys (aws/s3 and the like) cannot be used across accounts: their key policies cannot be " +
		"edited to allow another account. A rule replicating to another account must name a customer managed key " +
		"that the destination account can use, or replicas are either not written or unreadable for the " +
		"destination account.",
	Predicts: "for a destination owned by another account, reads kms:DescribeKey on ReplicaKmsKeyID: KeyManager AWS " +
		"(or an alias/aws/ name) fails.",
	Fix:    "create a customer managed key in the destination account and Region, allow the replication role to use it, and name its ARN in ReplicaKmsKeyID",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
	Config: true,
	Run: func(t *Target) Outcome {
		id := t.replicaKeyID()
		if id == "" {
			return skip("the rule sets no ReplicaKmsKeyID")
		}
		cross, o := t.crossAccountOutcome("an AWS managed replica key can be used")
		if o != nil {
			return *o
		}
		if !cross {
			return pass("the destination is in the source account, where an AWS managed replica key works", t.accounts())
		}
		evidence := []string{t.accounts(), "rule " + t.RuleName + " ReplicaKmsKeyID -> " + id}
		fix := fmt.Sprintf("create a customer managed key in account %s (aws kms create-key), grant the replication role %s kms:Encrypt in its key policy (and kms:Decrypt with S3 Bucket Keys), and set ReplicaKmsKeyID in rule %s to its key ARN",
			t.destAccount().Value, t.Config().Role, t.RuleName)
		_, _, resource, _ := splitKMSARN(id)
		if strings.HasPrefix(id, "alias/aws/") || strings.HasPrefix(resource, "alias/aws/") {
			return fail("the cross-account replica key "+id+" is an AWS managed key, which cannot be used across accounts", fix, evidence...)
		}
		k := t.Facts.Key(id)
		switch {
		case k == nil:
			return unknown("the snapshot has no facts for the replica KMS key "+id+", so whether it is AWS managed is unknown", evidence...)
		case k.Metadata.IsUnknown():
			return unknown("could not describe the replica KMS key "+id+": "+k.Metadata.Why(), append(evidence, "kms:DescribeKey "+id+" -> "+k.Metadata.Why())...)
		case k.Metadata.IsAbsent():
			return skip("the replica KMS key " + id + " does not exist (see DstKmsKeyNotFound)")
		}
		evidence = append(evidence, "kms:DescribeKey "+id+" -> KeyManager="+k.Metadata.Value.KeyManager)
		switch k.Metadata.Value.KeyManager {
		case "AWS":
			return fail("the cross-account replica key "+k.ARN+" is an AWS managed key, which cannot be used across accounts", fix, evidence...)
		case "CUSTOMER":
			return pass("the cross-account replica key "+k.ARN+" is a customer managed key", evidence...)
		}
		return unknown("kms:DescribeKey recorded no KeyManager for the replica KMS key "+k.ARN, evidence...)
	},
}
