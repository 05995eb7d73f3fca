package checks

import "github.com/replcheck/replcheck/policy"

// Actions S3 performs as the replication role to read a source object
// version (setting-repl-config-perm-overview.html).
const (
	actGetForReplication = "s3:GetObjectVersionForReplication"
	actGetObjectVersion  = "s3:GetObjectVersion"
	actGetObjectAcl      = "s3:GetObjectVersionAcl"
	actGetObjectTagging  = "s3:GetObjectVersionTagging"
	actGetLegalHold      = "s3:GetObjectLegalHold"
	actGetRetention      = "s3:GetObjectRetention"
)

// sourceRead asks whether the role may read the rule's source object
// versions: s3:GetObjectVersionForReplication, whose request context has no
// s3:ExistingObjectTag or s3:versionid keys (failure-reasons.md §1.3). When
// that is implicitly denied, it also asks s3:GetObjectVersion, which AWS
// documents to let S3 replicate unencrypted and SSE-S3 objects, but not
// SSE-KMS or DSSE-KMS ones (replication-config-for-kms-objects.html);
// fallback is then non-nil. An explicit Deny admits no fallback.
func (t *Target) sourceRead() (primary asked, fallback *asked) {
	q, a := t.askSource(actGetForReplication, false, nil)
	primary = asked{q, a}
	if a.Decided && !a.Allowed && a.Result.Decision == policy.ImplicitDeny {
		q2, a2 := t.askSource(actGetObjectVersion, false, nil)
		fallback = &asked{q2, a2}
	}
	return primary, fallback
}

// existingTagContext is the s3:ExistingObjectTag/<key> context of the
// object versions a tag-filtered rule replicates: every such object carries
// the filter's tags. It is nil for rules without tags.
func (t *Target) existingTagContext() map[string][]string {
	tags := t.Rule.FilterTags()
	if len(tags) == 0 {
		return nil
	}
	ctx := map[string][]string{}
	for _, tag := range tags {
		ctx["s3:ExistingObjectTag/"+tag.Key] = []string{tag.Value}
	}
	return ctx
}

// objectLockRead decides a check that reads a source object's Object Lock
// metadata with action: it applies only when the source bucket has Object
// Lock enabled.
func (t *Target) objectLockRead(action, what string) Outcome {
	evidence, o := t.sourceObjectLock("")
	if o != nil {
		return *o
	}
	if o := t.needRole(); o != nil {
		return *o
	}
	q, a := t.askSource(action, false, nil)
	res := t.permissionOutcome(what+" in "+t.Source().Name, asked{q, a})
	res.Evidence = append([]string{evidence}, res.Evidence...)
	return res
}
