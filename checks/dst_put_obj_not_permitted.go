package checks

// DstPutObjNotPermitted predicts that S3 cannot write replicas to the
// destination bucket.
var DstPutObjNotPermitted = &Check{
	Reason:  "DstPutObjNotPermitted",
	Aliases: []string{"DstPutObjectNotPermitted"},
	Scope:   ScopeLive,
	Title:   "the replication role cannot write replicas to the destination",
	Why: "S3 writes each replica as the replication role with s3:ReplicateObject (and " +
		"s3:ObjectOwnerOverrideToBucketOwner with an owner override). The role's policies, its permissions " +
		"boundary, SCPs, the destination bucket policy (which must allow a cross-account role explicitly) and " +
		"RCPs must all allow it; for SSE-KMS replicas the replica key's policy must also let the role use the " +
		"key (kms:Encrypt, kms:GenerateDataKey, and kms:Decrypt with S3 Bucket Keys).",
	Predicts: "asks the policy engine (or a recorded SimulatePrincipalPolicy decision for the identity side) " +
		"whether the role may call s3:ReplicateObject on an object under the rule's prefix in the destination, " +
		"with the context S3 sends (s3:x-amz-server-side-encryption for SSE-S3 and, for KMS rules, aws:kms " +
		"with the replica key; s3:ResourceAccount; TLS; no aws:SourceVpce or aws:SourceIp), then the owner " +
		"override and the replica key's KMS permissions through S3.",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* in the role's policy and, across accounts, in the destination bucket policy for the role`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
	Run: func(t *Target) Outcome {
		if o := t.needRole(); o != nil {
			return *o
		}
		var extra []asked
		if t.ownerOverride() {
			q, a := t.askDest("s3:ObjectOwnerOverrideToBucketOwner", nil)
			extra = append(extra, asked{q, a})
		}
		keyActions := []string{"kms:Encrypt", "kms:GenerateDataKey"}
		if t.destBucketKey() {
			keyActions = append(keyActions, "kms:Decrypt")
		}
		return t.replicaWriteOutcome("write replicas to "+t.DestARN, extra, keyActions...)
	},
}
