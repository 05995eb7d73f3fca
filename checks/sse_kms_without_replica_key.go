package checks

// SseKmsWithoutReplicaKey reports a rule that opts SSE-KMS objects in
// without naming the key to encrypt replicas with.
var SseKmsWithoutReplicaKey = &Check{
	Reason: "SseKmsWithoutReplicaKey",
	Scope:  ScopeLive,
	Title:  "the rule replicates SSE-KMS objects but names no replica KMS key",
	Why: "When SourceSelectionCriteria.SseKmsEncryptedObjects is Enabled, S3 needs " +
		"Destination.EncryptionConfiguration.ReplicaKmsKeyID to encrypt the replicas, and PutBucketReplication " +
		"rejects a rule without it. (A ReplicaModifications-only SourceSelectionCriteria needs no key.)",
	Predicts:  "reads the rule's SseKmsEncryptedObjects status and ReplicaKmsKeyID.",
	Fix:       `add "EncryptionConfiguration": {"ReplicaKmsKeyID": "arn:aws:kms:DST_REGION:DST_ACCOUNT:key/KEY_ID"} to the rule's Destination`,
	DocURL:    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
	Config:    true,
	RulesOnly: true,
	Run: func(t *Target) Outcome {
		if !t.Rule.ReplicatesKMSObjects() {
			return skip("rule " + t.RuleName + " does not opt SSE-KMS objects in (SourceSelectionCriteria.SseKmsEncryptedObjects)")
		}
		id := t.replicaKeyID()
		evidence := t.ruleEvidence("SseKmsEncryptedObjects=Enabled, ReplicaKmsKeyID=" + id)
		if id == "" {
			region, account := "DST_REGION", "DST_ACCOUNT"
			if t.Dest != nil && t.Dest.Region.IsKnown() {
				region = t.Dest.Region.Value
			}
			if a := t.destAccount(); a.IsKnown() {
				account = a.Value
			}
			return fail("rule "+t.RuleName+" replicates SSE-KMS objects but names no ReplicaKmsKeyID, which S3 rejects",
				t.putConfigFix(`add "EncryptionConfiguration": {"ReplicaKmsKeyID": "arn:aws:kms:`+region+`:`+account+`:key/KEY_ID"} to the Destination of rule `+t.RuleName+
					` (a customer managed key in the destination's Region)`),
				evidence)
		}
		return pass("rule "+t.RuleName+" names the replica KMS key "+id, evidence)
	},
}
