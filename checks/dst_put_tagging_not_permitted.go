package checks

import "fmt"

// DstPutTaggingNotPermitted predicts that S3 cannot replicate object tags
// to the destination bucket.
var DstPutTaggingNotPermitted = &Check{
	Reason: "DstPutTaggingNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot replicate object tags to the destination",
	Why: "S3 replicates each object's tags, and later tag changes, to the replica as the replication role. " +
		"AWS's failure table names s3:ReplicateObject as the missing permission; AWS's permission guide says " +
		"s3:ReplicateTags is needed for tags, and that a destination owner can refuse tags by denying " +
		"s3:ReplicateTags. Whether a missing s3:ReplicateTags fails with this reason or drops the tags silently " +
		"is not documented.",
	Predicts: "asks the policy engine (or a recorded simulator decision for the identity side) whether the role " +
		"may call s3:ReplicateObject (a denial fails) and s3:ReplicateTags (a denial warns, and says so when the " +
		"destination owner denies it on purpose) on an object under the rule's prefix in the destination.",
	Fix:    `allow s3:ReplicateObject and s3:ReplicateTags on arn:aws:s3:::DST/* in the role's policy and, across accounts, in the destination bucket policy for the role`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
	Run: func(t *Target) Outcome {
		if o := t.needRole(); o != nil {
			return *o
		}
		what := "replicate object tags to " + t.DestARN
		asks := t.askReplicate("s3:ReplicateObject")
		qt, at := t.askDest("s3:ReplicateTags", nil)
		tags := asked{qt, at}
		res := t.permissionOutcome(what, asks...)
		if res.Status != StatusPass {
			// s3:ReplicateObject decides first.
			res.Evidence = append(res.Evidence, at.Evidence...)
			return res
		}
		if !at.Decided || at.Allowed {
			return t.permissionOutcome(what, append(asks, tags)...)
		}
		evidence := append(res.Evidence, at.Evidence...)
		if deniedByDestination(at) {
			return warn(fmt.Sprintf("the destination denies s3:ReplicateTags on %s to the replication role: S3 replicates objects without their tags, or fails them with this reason if they are tagged (AWS does not document which)", qt.Resource),
				"if the destination owner means to refuse tags, nothing to do; otherwise "+t.remediation(&tags), evidence...)
		}
		return warn(fmt.Sprintf("s3:ReplicateTags is denied on %s (%s): tagged objects may fail with this reason (AWS's documentation disagrees on whether s3:ReplicateObject covers tags)", qt.Resource, at.Result.Reason),
			t.remediation(&tags), evidence...)
	},
}
