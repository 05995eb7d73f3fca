package checks

// SrcHeadObjectNotPermitted predicts that S3 cannot read the metadata of
// the source object versions it replicates.
var SrcHeadObjectNotPermitted = &Check{
	Reason: "SrcHeadObjectNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot read source object metadata",
	Why: "Before it copies a version, S3 reads the source object's metadata as the replication role, which " +
		"needs s3:GetObjectVersionForReplication (AWS's failure table for this reason, " + failureTable + "), or " +
		"s3:GetObjectVersion, on the object. The role's policies, its " +
		"permissions boundary, SCPs, the source bucket policy and RCPs must all allow it; the action has no " +
		"s3:ExistingObjectTag key, so tag-conditioned grants never match.",
	Predicts: "asks the policy engine (or a recorded SimulatePrincipalPolicy decision for the identity side) " +
		"whether the role may call s3:GetObjectVersionForReplication on an object under the rule's prefix, with " +
		"the context S3 sends (s3:ResourceAccount, TLS, no aws:SourceVpce or aws:SourceIp); when that is only " +
		"implicitly denied, s3:GetObjectVersion also suffices for the metadata read. Reading metadata needs no KMS key.",
	Fix:    "allow s3:GetObjectVersionForReplication on arn:aws:s3:::SRC/* in the role's policy, and remove source bucket policy Denies that catch the role",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
	Requires: []Requirement{
		{Action: "s3:GetObjectVersionForReplication", On: sourceWide,
			Source: failureTable + ` (SrcHeadObjectNotPermitted: "The s3:GetObjectVersionForReplication permission might be missing") and ` + permRoleDoc, Denied: StatusFail},
		{Action: "s3:GetObjectVersion", On: "the source bucket's objects, in place of s3:GetObjectVersionForReplication, for the metadata read",
			Source: kmsPermsDoc + ` (s3:GetObjectVersion "allows replication of unencrypted and SSE-S3-encrypted objects")`, Denied: StatusFail,
			NoGrant: getObjectVersionNoGrant},
	},
	Run: func(t *Target) Outcome {
		if o := t.needRole(); o != nil {
			return *o
		}
		get, fallback := t.sourceRead()
		if fallback != nil && fallback.a.Decided && fallback.a.Allowed {
			return pass("the replication role can read source object metadata in "+t.Source().Name+" through "+actGetObjectVersion+
				" (it lacks "+actGetForReplication+"; see SrcGetObjNotPermitted)", append(get.a.Evidence, fallback.a.Evidence...)...)
		}
		return t.permissionOutcome("read source object metadata in "+t.Source().Name, get)
	},
}
