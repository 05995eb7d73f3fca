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
		"RCPs must all allow it. For SSE-KMS replicas AWS requires kms:Encrypt on the replica key, and with S3 " +
		"Bucket Keys kms:Decrypt in that key's policy; replicas of unencrypted objects are encrypted with the " +
		"destination's default encryption, and into an SSE-KMS default AWS requires kms:GenerateDataKey on that key " +
		"(" + kmsPermsDoc + ", " + bucketKeyDoc + "). AWS's current failure table also names kms:Decrypt and " +
		"kms:GenerateDataKey* on the destination key under this reason, but its permission pages grant only " +
		"kms:Encrypt, and a role with kms:Encrypt alone replicates SSE-KMS objects (reproduced in " +
		"awslabs/landing-zone-accelerator-on-aws#1144); replcheck asks those two only for multipart uploads, " +
		"where it warns (see DstMultipartInitNotPermitted).",
	Predicts: "asks the policy engine (or a recorded SimulatePrincipalPolicy decision for the identity side) " +
		"whether the role may call s3:ReplicateObject on an object under the rule's prefix in the destination, " +
		"with the context S3 sends (s3:x-amz-server-side-encryption for SSE-S3 and, for KMS rules, aws:kms " +
		"with the replica key; s3:ResourceAccount; TLS; no aws:SourceVpce or aws:SourceIp), then the owner " +
		"override, then kms:Encrypt on the replica key through S3 (and kms:Decrypt when the source or destination " +
		"uses S3 Bucket Keys, with the bucket ARN as encryption context). When the rule replicates unencrypted " +
		"objects (the source has no default encryption, or a sampled object is unencrypted) into a destination with " +
		"SSE-KMS default encryption, it asks kms:GenerateDataKey on that key: a denial fails, or warns when such " +
		"objects are only possible (Batch Replication of objects older than S3's default encryption).",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* in the role's policy and, across accounts, in the destination bucket policy for the role; allow kms:Encrypt on the replica key (key policy and role policy)`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
	Requires: []Requirement{
		s3WriteRequirement,
		{Action: "s3:ObjectOwnerOverrideToBucketOwner", On: "the destination bucket's objects, with an owner override (AccessControlTranslation): the role's policy and, across accounts, the destination bucket policy",
			Source: ownerRoleDoc + " and " + ownerPolicyDoc + `; ` + failureTable + ` ("s3:ReplicateObject or s3:ObjectOwnerOverrideToBucketOwner permissions might be missing")`, Denied: StatusFail},
		{Action: "kms:Encrypt", On: "the replica KMS key (ReplicaKmsKeyID), through S3 in the destination Region: key policy and role policy", Source: replicaKeyEncryptSource, Denied: StatusFail},
		{Action: "kms:Decrypt", On: "the key that encrypts replicas, when the source or destination uses S3 Bucket Keys",
			Source: bucketKeyDoc + ` ("the AWS KMS key policy for the KMS key that's used to encrypt the object replica must include the kms:Decrypt permission")`, Denied: StatusFail},
		{Action: "kms:GenerateDataKey", On: "the destination's default SSE-KMS key, when the rule replicates unencrypted objects (a warning when they are only possible)",
			Source: kmsPermsDoc + ` ("If you're replicating plaintext objects to a bucket with SSE-KMS ... encryption enabled by default, you must include the kms:GenerateDataKey permission"); ` + defaultEncDoc, Denied: StatusFail},
	},
	Run: func(t *Target) Outcome {
		if o := t.needRole(); o != nil {
			return *o
		}
		var extra []asked
		if t.ownerOverride() {
			q, a := t.askDest("s3:ObjectOwnerOverrideToBucketOwner", nil)
			extra = append(extra, asked{q, a})
		}
		return t.replicaWriteOutcome("write replicas to "+t.DestARN, extra, stepPut)
	},
}
