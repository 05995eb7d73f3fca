package checks

import "fmt"

// SrcGetTaggingNotPermitted predicts that S3 cannot read the tags of the
// source object versions it replicates.
var SrcGetTaggingNotPermitted = &Check{
	Reason: "SrcGetTaggingNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot read source object tags",
	Why: "S3 reads each source version's tags as the replication role with s3:GetObjectVersionTagging. AWS's two " +
		"pages disagree on what happens without it: the failure table names this reason (\"The " +
		"s3:GetObjectVersionTagging permission might be missing\", " + failureTable + "), while the permission " +
		"page says \"If Amazon S3 doesn't have these permissions, it replicates the objects, but not the object " +
		"tags\" (" + permRoleDoc + "), and AWS's complete KMS policies leave it out. So a missing permission never " +
		"fails: it warns, naming both, when the replicated objects are known to carry tags.",
	Predicts: "asks the policy engine (or a recorded SimulatePrincipalPolicy decision for the identity side) " +
		"whether the role may call s3:GetObjectVersionTagging on an object under the rule's prefix, with the " +
		"context S3 sends (s3:ResourceAccount, TLS, no aws:SourceVpce or aws:SourceIp) and, for tag-filtered " +
		"rules, s3:ExistingObjectTag/<key> for the filter's tags. A denial warns when the rule filters on tags " +
		"(every object it replicates is tagged) or a sampled object it replicates has tags; it is unknown when the " +
		"sampled objects' tags could not be read; otherwise it passes, as S3 then replicates the objects without tags.",
	Fix:    "allow s3:GetObjectVersionTagging on arn:aws:s3:::SRC/* in the role's policy and permissions boundary, and remove Denies that catch the role",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
	Requires: []Requirement{
		{Action: "s3:GetObjectVersionTagging", On: sourceWide + ", for objects that carry tags",
			Source: permRoleDoc + ` ("If Amazon S3 doesn't have these permissions, it replicates the objects, but not the object tags") against ` +
				failureTable + ` ("The s3:GetObjectVersionTagging permission might be missing"): the pages disagree, so a denial warns`, Denied: StatusWarn},
	},
	Run: func(t *Target) Outcome {
		if o := t.needRole(); o != nil {
			return *o
		}
		q, a := t.askSource(actGetObjectTagging, false, t.existingTagContext())
		what := "read source object tags in " + t.Source().Name
		res := t.permissionOutcome(what, asked{q, a})
		if res.Status != StatusFail {
			return res
		}
		tagged, unread := t.taggedSamples()
		both := fmt.Sprintf("AWS's failure table names SrcGetTaggingNotPermitted when s3:GetObjectVersionTagging is missing (%s), "+
			"but its permission page says S3 then replicates the objects without their tags (%s); AWS does not say which happens", failureTable, permRoleDoc)
		switch {
		case tagged != "":
			return warn("the replication role cannot read the tags of "+tagged+": "+res.Message+". "+both, res.Remediation, res.Evidence...)
		case unread != "":
			return unknown("the replication role cannot read source object tags ("+res.Message+"), and whether the objects it replicates are tagged could not be read: "+unread+". "+both, res.Evidence...)
		}
		return pass(fmt.Sprintf("s3:GetObjectVersionTagging is denied on %s, and S3 then replicates the objects without their tags (%s); no object the rule replicates is known to be tagged, "+
			"so no replication fails (AWS's failure table names this reason for the missing permission, %s)", widen(q.Resource), permRoleDoc, failureTable), res.Evidence...)
	},
}

// taggedSamples says which objects the rule replicates are known to carry
// tags (every object of a tag-filtered rule; sampled objects with tags), or
// which sampled objects' tags could not be read.
func (t *Target) taggedSamples() (tagged, unread string) {
	if len(t.Rule.FilterTags()) > 0 {
		return "the objects rule " + t.RuleName + " replicates, which all carry its filter tags", ""
	}
	selected, _ := t.ruleSamples()
	var withTags, notRead []string
	for _, o := range selected {
		switch f := o.TagsFact(); {
		case f.IsUnknown():
			notRead = append(notRead, o.Key+" ("+f.Why()+")")
		case len(f.Value) > 0:
			withTags = append(withTags, o.Key)
		}
	}
	switch {
	case len(withTags) > 0:
		return "sampled tagged objects " + someNames(withTags), ""
	case len(notRead) > 0:
		return "", "the tags of sampled objects " + someNames(notRead)
	}
	return "", ""
}
