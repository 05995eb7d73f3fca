package checks

// SrcGetTaggingNotPermitted predicts that S3 cannot read the tags of the
// source object versions it replicates.
var SrcGetTaggingNotPermitted = &Check{
	Reason: "SrcGetTaggingNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot read source object tags",
	Why: "S3 reads each source version's tags as the replication role with s3:GetObjectVersionTagging. When the " +
		"role's policies, its permissions boundary, SCPs, the source bucket policy or RCPs do not allow it, S3 " +
		"reports this reason (and may replicate the object without its tags).",
	Predicts: "asks the policy engine (or a recorded SimulatePrincipalPolicy decision for the identity side) " +
		"whether the role may call s3:GetObjectVersionTagging on an object under the rule's prefix, with the " +
		"context S3 sends (s3:ResourceAccount, TLS, no aws:SourceVpce or aws:SourceIp) and, for tag-filtered " +
		"rules, s3:ExistingObjectTag/<key> for the filter's tags.",
	Fix:    "allow s3:GetObjectVersionTagging on arn:aws:s3:::SRC/* in the role's policy and permissions boundary, and remove Denies that catch the role",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
	Run: func(t *Target) Outcome {
		if o := t.needRole(); o != nil {
			return *o
		}
		q, a := t.askSource(actGetObjectTagging, false, t.existingTagContext())
		return t.permissionOutcome("read source object tags in "+t.Source().Name, asked{q, a})
	},
}
