package checks

import (
	"fmt"

	"github.com/replcheck/replcheck/policy"
)

// DstPutTaggingNotPermitted predicts that S3 cannot replicate object tags
// to the destination bucket.
var DstPutTaggingNotPermitted = &Check{
	Reason: "DstPutTaggingNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot replicate object tags to the destination",
	Why: "S3 replicates each object's tags, and later tag changes, to the replica as the replication role. AWS's " +
		"failure table names s3:ReplicateObject as the missing permission (" + failureTable + "), and the permission " +
		"page says s3:ReplicateObject \"also allow[s] replication of metadata such as object tags and ACLs. Therefore " +
		"you do not need to explicitly grant permission for the s3:ReplicateTags action\" (" + permRoleDoc + "). The " +
		"same page lets a destination owner refuse tags by denying s3:ReplicateTags (" + permCrossDoc + "); whether " +
		"S3 then fails tagged objects with this reason or replicates them without tags is not documented.",
	Predicts: "asks the policy engine (or a recorded simulator decision for the identity side) whether the role " +
		"may call s3:ReplicateObject on an object under the rule's prefix in the destination (a denial fails), then " +
		"s3:ReplicateTags: only an explicit Deny warns, naming both pages; a missing grant passes.",
	Fix:    `allow s3:ReplicateObject on arn:aws:s3:::DST/* in the role's policy and, across accounts, in the destination bucket policy for the role; do not deny s3:ReplicateTags unless tags must stay out`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
	Requires: []Requirement{
		{Action: "s3:ReplicateObject", On: destinationWide + "; it also covers tags", Source: replicateObjectSource + `; ` + permRoleDoc +
			` ("also allow replication of metadata such as object tags")`, Denied: StatusFail},
		{Action: "s3:ReplicateTags", On: "the destination bucket's objects: only an explicit Deny counts",
			Source: permRoleDoc + ` ("you do not need to explicitly grant permission for the s3:ReplicateTags action"); ` + permCrossDoc +
				` (a destination owner who "doesn't want to replicate the tags" denies it); what a Deny then does is not documented`, Denied: StatusWarn,
			NoGrant: "only a Deny of it counts: s3:ReplicateObject also replicates tags, so AWS says it need not be granted (" + permRoleDoc + ")"},
	},
	Run: func(t *Target) Outcome {
		if o := t.needRole(); o != nil {
			return *o
		}
		what := "replicate object tags to " + t.DestARN
		res := t.permissionOutcome(what, t.askReplicate("s3:ReplicateObject")...)
		qt, at := t.askDest("s3:ReplicateTags", nil)
		tags := asked{qt, at}
		res.Evidence = append(res.Evidence, at.Evidence...)
		switch {
		case res.Status == StatusFail:
			// s3:ReplicateObject decides first.
			return res
		case !at.Decided && res.Status == StatusPass:
			return unknown(fmt.Sprintf("the replication role may call s3:ReplicateObject, but whether a Deny refuses it s3:ReplicateTags on %s could not be decided: could not read %s", qt.Resource, joinMissing(at.Missing)), res.Evidence...)
		case !at.Decided || at.Allowed || at.Result.Decision != policy.ExplicitDeny:
			if res.Status == StatusPass && !at.Allowed {
				res.Message += fmt.Sprintf("; s3:ReplicateTags is not granted, which AWS says s3:ReplicateObject makes unnecessary (%s)", permRoleDoc)
			}
			return res
		}
		both := fmt.Sprintf("AWS's permission page lets a destination owner refuse tags this way (%s) but does not say whether S3 then replicates tagged objects without their tags "+
			"or fails them, and its failure table names only s3:ReplicateObject for this reason (%s)", permCrossDoc, failureTable)
		if deniedByDestination(at) {
			return warn(fmt.Sprintf("the destination denies s3:ReplicateTags on %s to the replication role: %s", qt.Resource, both),
				"if the destination owner means to refuse tags, nothing to do; otherwise "+t.remediation(&tags), res.Evidence...)
		}
		return warn(fmt.Sprintf("a Deny refuses s3:ReplicateTags on %s to the replication role (%s): %s", qt.Resource, at.Result.Reason, both),
			t.remediation(&tags), res.Evidence...)
	},
}
