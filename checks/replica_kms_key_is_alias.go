package checks

import (
	"fmt"
	"strings"
)

// ReplicaKmsKeyIsAlias warns when the replica key is named by an alias or a
// bare key ID rather than a key ARN.
var ReplicaKmsKeyIsAlias = &Check{
	Reason: "ReplicaKmsKeyIsAlias",
	Scope:  ScopeLive,
	Title:  "the replica KMS key is not named by its key ARN",
	Why: "S3 resolves ReplicaKmsKeyID each time it encrypts a replica. An alias can be re-pointed to another key, " +
		"and an alias name or a bare key ID is resolved in the requester's account, which is the replication " +
		"role's (source) account: for a destination in another account it names a key that does not exist there, " +
		"or the wrong key. PutBucketReplication accepts all of these forms.",
	Predicts: "reads the rule's Destination.EncryptionConfiguration.ReplicaKmsKeyID: a key ARN passes; an alias " +
		"ARN warns; an alias name or a bare key ID warns, and fails when the destination belongs to another account.",
	Fix:    "set ReplicaKmsKeyID to the key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID) of the key in the destination account and Region",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html",
	Config: true,
	Run: func(t *Target) Outcome {
		id := t.replicaKeyID()
		if id == "" {
			return skip("the rule sets no ReplicaKmsKeyID")
		}
		evidence := "rule " + t.RuleName + " ReplicaKmsKeyID -> " + id
		fix := "set Destination.EncryptionConfiguration.ReplicaKmsKeyID in rule " + t.RuleName + " to the key ARN of the key in the destination account and Region"
		if k := t.Facts.Key(id); k != nil {
			if _, account, _, _ := splitKMSARN(k.ARN); t.destAccount().IsKnown() && account == t.destAccount().Value {
				fix = "set Destination.EncryptionConfiguration.ReplicaKmsKeyID in rule " + t.RuleName + " to the key ARN " + k.ARN
			}
		}
		fix += " and put the replication configuration again"
		_, _, resource, isARN := splitKMSARN(id)
		switch {
		case isARN && strings.HasPrefix(resource, "key/"):
			return pass("ReplicaKmsKeyID "+id+" is a key ARN", evidence)
		case isARN:
			return warn("ReplicaKmsKeyID "+id+" is an alias ARN: S3 encrypts replicas with whichever key the alias points to when it replicates", fix, evidence)
		}
		form := "a bare key ID"
		if strings.HasPrefix(id, "alias/") {
			form = "an alias name"
		}
		cross, o := t.crossAccountOutcome("the alias resolves in the right account")
		switch {
		case o != nil:
			o.Message = "ReplicaKmsKeyID " + id + " is " + form + ", and " + o.Message
			o.Evidence = append(o.Evidence, evidence)
			return *o
		case cross:
			return fail(fmt.Sprintf("ReplicaKmsKeyID %s is %s, which KMS resolves in the replication role's account %s, not in the destination account %s", id, form, t.Source().Account.Value, t.destAccount().Value),
				fix, evidence, t.accounts())
		}
		return warn("ReplicaKmsKeyID "+id+" is "+form+": KMS resolves it in the requester's account and Region when S3 replicates", fix, evidence)
	},
}
