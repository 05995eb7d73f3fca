package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replcheck/replcheck/policy"
)

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
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "kms" {
		return "", "", "", false
	}
	return parts[3], parts[4], parts[5], true
}

// worstOf combines per-key outcomes: the most severe status wins, its
// messages and remediations are joined, and every evidence line is kept.
func worstOf(outs []Outcome) Outcome {
	best := StatusSkip
	for _, o := range outs {
		if o.Status.Rank() < best.Rank() {
			best = o.Status
		}
	}
	var msgs, fixes, evidence []string
	for _, o := range outs {
		evidence = append(evidence, o.Evidence...)
		if o.Status == best {
			msgs = append(msgs, o.Message)
			if o.Remediation != "" {
				fixes = append(fixes, o.Remediation)
			}
		}
	}
	return Outcome{Status: best, Message: strings.Join(msgs, "; "), Evidence: dedupe(evidence), Remediation: strings.Join(fixes, "; ")}
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
	return worstOf(outs)
}

// crossAccountOutcome returns whether the destination belongs to another
// account than the source, or an unknown outcome naming the unreadable
// owner.
func (t *Target) crossAccountOutcome(why string) (bool, *Outcome) {
	if cross, ok := t.CrossAccount(); ok {
		return cross, nil
	}
	fact, whose := t.Source().Account, "source bucket "+t.Source().Name
	if fact.IsKnown() {
		fact, whose = t.destAccount(), "destination "+t.DestARN
	}
	o := unknown(fmt.Sprintf("could not read the owner of %s (%s), so whether %s is unknown", whose, fact.Why(), why))
	return false, &o
}

// accounts renders the source and destination owners for evidence.
func (t *Target) accounts() string {
	return fmt.Sprintf("owner of %s -> %s, owner of %s -> %s", t.Source().Name, t.Source().Account.Value, t.DestARN, t.destAccount().Value)
}

// uniqueIDPrincipals returns the AWS principals of a policy that are IAM
// unique IDs (AROA… for roles, AIDA… for users) rather than ARNs: IAM
// rewrites a principal ARN to its unique ID when the principal is deleted.
func uniqueIDPrincipals(doc *policy.Document) []string {
	var out []string
	for _, p := range doc.AWSPrincipals() {
		if isUniqueID(p) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// isUniqueID reports whether s looks like an IAM role or user unique ID.
func isUniqueID(s string) bool {
	if len(s) < 16 || (!strings.HasPrefix(s, "AROA") && !strings.HasPrefix(s, "AIDA")) {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
