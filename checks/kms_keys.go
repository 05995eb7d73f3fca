package checks

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
)

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
func (t *Target) inSourceAccountRegion(keyARN string) bool {
	a, ok := arn.Parse(keyARN)
	if !ok {
		return false
	}
	src := t.Source()
	return (!src.Region.IsKnown() || a.Region == src.Region.Value) && (!src.Account.IsKnown() || a.Account == src.Account.Value)
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

// destSideKey is a KMS key S3 uses to encrypt replicas in the destination:
// the rule's replica key, or the destination's default encryption key, which
// S3 applies to replicas of unencrypted source objects.
type destSideKey struct {
	// ID is the identifier as configured (key ARN, alias ARN, alias name
	// or key ID).
	ID string
	// What names the key for messages.
	What string
	// Replica is true for the rule's replica key: a problem with it fails
	// every SSE-KMS replica. A problem with the default key only fails
	// replicas of unencrypted objects, so it warns.
	Replica bool
	// Key holds the key's facts; nil when the snapshot has none.
	Key *KeyFacts
}

// problem builds a fail for the replica key and a warn for the default key.
func (k destSideKey) problem(msg, fix string, evidence ...string) Outcome {
	if k.Replica {
		return fail(msg, fix, evidence...)
	}
	return warn(msg+" (S3 uses it for replicas of unencrypted source objects)", fix, evidence...)
}

// destSideKeys lists the KMS keys S3 uses in the destination for this
// target. aws/s3 defaults are left out: S3 creates the AWS managed key on
// first use, and it can be neither disabled nor deleted. none says why the
// list is empty; an outcome is returned when the destination's default
// encryption could not be read.
func (t *Target) destSideKeys() (keys []destSideKey, none string, o *Outcome) {
	if id := t.replicaKeyID(); id != "" && t.Rule.ReplicatesKMSObjects() {
		keys = append(keys, destSideKey{ID: id, What: "replica KMS key", Replica: true, Key: t.Facts.Key(id)})
	}
	var reasons []string
	if len(keys) == 0 {
		reasons = append(reasons, "the rule replicates no SSE-KMS objects with a replica key")
	}
	switch {
	case t.Dest == nil:
		u := unknown("the snapshot has no facts for destination " + t.DestARN + ", so its default encryption key is unknown")
		return keys, "", &u
	case t.Dest.Encryption.IsUnknown():
		u := unknown("could not read the default encryption of destination bucket "+t.Dest.Name+": "+t.Dest.Encryption.Why(),
			"s3:GetBucketEncryption "+t.Dest.Name+" -> "+t.Dest.Encryption.Why())
		return keys, "", &u
	case t.Dest.Encryption.IsAbsent() || !strings.HasPrefix(t.Dest.Encryption.Value.Algorithm, "aws:kms"):
		reasons = append(reasons, "destination bucket "+t.Dest.Name+" does not encrypt with SSE-KMS by default")
	case t.Dest.Encryption.Value.KMSKeyID == "":
		reasons = append(reasons, "destination bucket "+t.Dest.Name+" encrypts by default with the AWS managed key aws/s3, which cannot be disabled or deleted")
	case len(keys) > 0 && (keys[0].ID == t.Dest.Encryption.Value.KMSKeyID || keys[0].Key != nil && keys[0].Key == t.Facts.Key(t.Dest.Encryption.Value.KMSKeyID)):
		// The default key is the replica key, judged once as such.
	default:
		id := t.Dest.Encryption.Value.KMSKeyID
		keys = append(keys, destSideKey{ID: id, What: "default encryption key of destination bucket " + t.Dest.Name, Key: t.Facts.Key(id)})
	}
	return keys, strings.Join(reasons, ", and "), nil
}

// describeKey returns an outcome when a key's metadata is not Known: no
// facts or an unreadable DescribeKey is unknown; a key KMS does not know
// is absent, reported through ifAbsent.
func describeKey(k destSideKey, ifAbsent func() Outcome) *Outcome {
	var o Outcome
	switch {
	case k.Key == nil:
		o = unknown("the snapshot has no facts for the " + k.What + " " + k.ID)
	case k.Key.Metadata.IsUnknown():
		o = unknown("could not describe the "+k.What+" "+k.ID+": "+k.Key.Metadata.Why(),
			"kms:DescribeKey "+k.ID+" -> "+k.Key.Metadata.Why())
	case k.Key.Metadata.IsAbsent():
		o = ifAbsent()
	default:
		return nil
	}
	return &o
}

// keyRegion is a key's Region: DescribeKey's, else its ARN's.
func keyRegion(k *KeyFacts) string {
	if k.Metadata.IsKnown() && k.Metadata.Value.Region != "" {
		return k.Metadata.Value.Region
	}
	region, _, _, _ := splitKMSARN(k.ARN)
	return region
}

// splitKMSARN splits arn:PARTITION:kms:REGION:ACCOUNT:RESOURCE; ok is false
// for anything else (alias names, bare key IDs).
func splitKMSARN(s string) (region, account, resource string, ok bool) {
	a, ok := arn.Parse(s)
	if !ok || a.Service != "kms" {
		return "", "", "", false
	}
	return a.Region, a.Account, a.Resource, true
}

// eachDestSideKey decides a check on every KMS key S3 uses to encrypt the
// rule's replicas and returns the worst outcome, or a skip when there is
// none.
func (t *Target) eachDestSideKey(decide func(destSideKey) Outcome) Outcome {
	keys, none, o := t.destSideKeys()
	if o != nil {
		return *o
	}
	if len(keys) == 0 {
		return skip(none)
	}
	outs := make([]Outcome, len(keys))
	for i, k := range keys {
		outs[i] = decide(k)
	}
	return worst(outs...)
}
