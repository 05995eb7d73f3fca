package checks

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

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

// ruleSamples returns the sampled source object versions the rule selects
// (by prefix and tags), leaving out delete markers and versions known to be
// gone. maybe lists the versions under the rule's prefix whose tags could
// not be read: whether a tag-filtered rule selects them is unknown.
func (t *Target) ruleSamples() (selected, maybe []*snapshot.ObjectVersion) {
	prefix, tags := t.Rule.FilterPrefix(), t.Rule.FilterTags()
	for i := range t.Facts.Snap.Objects {
		o := &t.Facts.Snap.Objects[i]
		if o.IsDeleteMarker || (o.Exists.IsKnown() && !o.Exists.Value) || !strings.HasPrefix(o.Key, prefix) {
			continue
		}
		switch have := o.TagsFact(); {
		case len(tags) == 0:
			selected = append(selected, o)
		case have.IsUnknown():
			maybe = append(maybe, o)
		case missingTags(have.Value, tags) == "":
			selected = append(selected, o)
		}
	}
	return selected, maybe
}

// isKMSAlgorithm reports whether an SSE algorithm encrypts with a KMS key.
func isKMSAlgorithm(alg string) bool { return alg == "aws:kms" || alg == "aws:kms:dsse" }

// srcKeyUse is a source KMS key that S3 must decrypt with to replicate the
// rule's objects.
type srcKeyUse struct {
	// ID is the key as configured or recorded ("" for the account's aws/s3
	// key).
	ID string
	// Key holds the key's facts, nil when the snapshot has none.
	Key *KeyFacts
	// Where says which objects the key encrypts, for messages.
	Where string
	// ContextARN is kms:EncryptionContext:aws:s3:arn: the object ARN, or
	// the bucket ARN with an S3 Bucket Key.
	ContextARN string
	// BucketKey is true when an S3 Bucket Key is in use.
	BucketKey bool
}

// name is the key for messages.
func (u srcKeyUse) name() string {
	switch {
	case u.Key != nil:
		return "source KMS key " + u.Key.ARN
	case u.ID == "":
		return "the source account's AWS managed key aws/s3"
	}
	return "source KMS key " + u.ID
}

// notGathered says that the snapshot lacks the key's facts.
func (u srcKeyUse) notGathered() string {
	return u.name() + ", which encrypts " + u.Where + ": the snapshot has no facts for it"
}

// sourceKeyUses lists the KMS keys in play on the source for the rule: the
// default encryption key when the source's default encryption is SSE-KMS or
// DSSE-KMS, and the keys of sampled SSE-KMS objects the rule selects (one
// use per key and Bucket Key setting). evidence says what was read;
// missing names the unreadable facts that could hide a key.
func (t *Target) sourceKeyUses() (uses []srcKeyUse, evidence, missing []string) {
	src := t.Source()
	enc := src.Encryption
	evidence = append(evidence, "s3:GetBucketEncryption "+src.Name+" -> "+describeEncryption(enc))
	if enc.IsUnknown() {
		missing = append(missing, "the default encryption of "+src.Name+": "+enc.Why())
	}
	if enc.IsKnown() && isKMSAlgorithm(enc.Value.Algorithm) {
		ctx := t.SourceObjectARN()
		if enc.Value.BucketKeyEnabled {
			ctx = src.ARN
		}
		uses = append(uses, srcKeyUse{
			ID:         enc.Value.KMSKeyID,
			Key:        t.resolveSourceKey(enc.Value.KMSKeyID),
			Where:      "new objects in " + src.Name + " (default encryption)",
			ContextARN: ctx,
			BucketKey:  enc.Value.BucketKeyEnabled,
		})
	}
	seen := map[string]bool{}
	selected, maybe := t.ruleSamples()
	for _, o := range maybe {
		if isKMSAlgorithm(o.Encryption) || !o.MetadataRead() {
			missing = append(missing, "whether rule "+t.RuleName+" replicates sampled object "+o.Key+": its tags could not be read ("+o.TagsError.String()+")")
		}
	}
	for _, o := range selected {
		if !o.MetadataRead() {
			missing = append(missing, "the encryption of sampled object "+o.Key+": "+o.Exists.Why())
			continue
		}
		if !isKMSAlgorithm(o.Encryption) {
			continue
		}
		k := t.resolveSourceKey(o.KMSKeyID)
		id := o.KMSKeyID
		if k != nil {
			id = k.ARN
		}
		if o.KMSKeyID == "" {
			// HeadObject always names the key of an SSE-KMS object; an
			// empty one was not recorded.
			missing = append(missing, "the KMS key of sampled object "+o.Key+": not recorded")
			continue
		}
		dedup := fmt.Sprintf("%s|%v", id, o.BucketKeyEnabled)
		if seen[dedup] {
			continue
		}
		seen[dedup] = true
		ctx := src.ARN + "/" + o.Key
		if o.BucketKeyEnabled {
			ctx = src.ARN
		}
		evidence = append(evidence, fmt.Sprintf("s3:HeadObject %s/%s -> ServerSideEncryption=%s SSEKMSKeyId=%s BucketKeyEnabled=%v", src.Name, o.Key, o.Encryption, o.KMSKeyID, o.BucketKeyEnabled))
		uses = append(uses, srcKeyUse{ID: o.KMSKeyID, Key: k, Where: "sampled object " + o.Key, ContextARN: ctx, BucketKey: o.BucketKeyEnabled})
	}
	return uses, evidence, missing
}

// resolveSourceKey finds a source key's facts from the identifier the
// source bucket or object names: as recorded, or as a key ID or alias in the
// source bucket's account and Region (where S3 resolves it). "" is the
// account's AWS managed key, alias/aws/s3.
func (t *Target) resolveSourceKey(id string) *KeyFacts {
	if id == "" || id == awsS3Alias {
		return t.findAlias(awsS3Alias)
	}
	if k := t.Facts.Key(id); k != nil {
		return k
	}
	src := t.Source()
	if strings.HasPrefix(id, "arn:") || !src.Region.IsKnown() || !src.Account.IsKnown() {
		return nil
	}
	prefix := "arn:aws:kms:" + src.Region.Value + ":" + src.Account.Value + ":"
	if strings.HasPrefix(id, "alias/") {
		if k := t.Facts.Key(prefix + id); k != nil {
			return k
		}
		return t.findAlias(id)
	}
	return t.Facts.Key(prefix + "key/" + id)
}

// awsS3Alias names an account's AWS managed key for S3.
const awsS3Alias = "alias/aws/s3"

// findAlias returns the key in the source account and Region that the
// snapshot records under alias name, or nil.
func (t *Target) findAlias(alias string) *KeyFacts {
	for _, k := range t.Facts.Snap.KMSKeys {
		if !t.inSourceAccountRegion(k.ARN) {
			continue
		}
		for _, a := range k.Aliases {
			if a == alias || strings.HasSuffix(a, ":"+alias) {
				return t.Facts.Key(k.ARN)
			}
		}
	}
	return nil
}

// inSourceAccountRegion reports whether a KMS ARN is in the source bucket's
// account and Region, as far as those are known.
func (t *Target) inSourceAccountRegion(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return false
	}
	src := t.Source()
	return (!src.Region.IsKnown() || parts[3] == src.Region.Value) && (!src.Account.IsKnown() || parts[4] == src.Account.Value)
}

// describeEncryption renders a default-encryption fact for evidence.
func describeEncryption(enc snapshot.Fact[snapshot.BucketEncryption]) string {
	switch {
	case enc.IsUnknown():
		return enc.Why()
	case enc.IsAbsent():
		return "no default encryption"
	}
	s := "SSEAlgorithm=" + enc.Value.Algorithm
	if isKMSAlgorithm(enc.Value.Algorithm) {
		id := enc.Value.KMSKeyID
		if id == "" {
			id = "(none: aws/s3)"
		}
		s += fmt.Sprintf(" KMSMasterKeyID=%s BucketKeyEnabled=%v", id, enc.Value.BucketKeyEnabled)
	}
	return s
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

// moreSevere returns the more severe of two outcomes, with the evidence of both.
func moreSevere(a, b Outcome) Outcome {
	out := a
	if b.Status.Rank() < a.Status.Rank() {
		out = b
	}
	out.Evidence = append(append([]string{}, a.Evidence...), b.Evidence...)
	return out
}
