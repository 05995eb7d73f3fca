package checks

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// kmsStep is a step of writing a replica that needs KMS permissions.
type kmsStep int

const (
	// stepPut writes a replica (DstPutObjNotPermitted).
	stepPut kmsStep = iota
	// stepMultipartInit starts a multipart upload of a large replica.
	stepMultipartInit
	// stepMultipartPart uploads or completes its parts.
	stepMultipartPart
)

// kmsNeed is one KMS permission S3 needs as the replication role in a
// step, and what a decided denial of it reports.
type kmsNeed struct {
	key    *KeyFacts
	what   string // names the key for messages
	action string
	ctx    map[string][]string
	// denied is what a decided denial reports: fail for what AWS documents,
	// warn for what it does not (or for objects that only possibly need
	// it), unknown when an unread fact decides whether it is needed.
	denied Status
	// why says, citing AWS, why S3 needs it.
	why string
}

// kmsNeeds lists the KMS permissions a replica write step needs: on the
// rule's replica key for SSE-KMS objects, and on the destination's default
// key for unencrypted objects. others are outcomes to combine with the
// step's (unread facts that find a key, a warning); skipAll is set when
// the replica key does not exist, which DstKmsKeyNotFound alone reports.
func (t *Target) kmsNeeds(step kmsStep) (needs []kmsNeed, others []Outcome, skipAll *Outcome) {
	if k, o := t.replicaKey(); o != nil && o.Status == StatusSkip {
		return nil, nil, o
	} else if o != nil {
		others = append(others, *o)
	} else if k != nil {
		ctx := kmsContext(t.Dest.Region.Value, t.Role.Account, t.replicaContextARN(t.replicaBucketKey()))
		add := func(action string, denied Status, why string) {
			needs = append(needs, kmsNeed{key: k, what: "replica KMS key", action: action, ctx: ctx, denied: denied, why: why})
		}
		switch step {
		case stepPut:
			add("kms:Encrypt", StatusFail, "AWS requires kms:Encrypt on the key that encrypts the replicas ("+kmsPermsDoc+")")
			if t.replicaBucketKey() {
				add("kms:Decrypt", StatusFail, "with S3 Bucket Keys the policy of the key that encrypts the replicas must allow kms:Decrypt ("+bucketKeyDoc+")")
			}
		case stepMultipartInit:
			add("kms:GenerateDataKey", StatusWarn, multipartDoubt("kms:GenerateDataKey", "start"))
		case stepMultipartPart:
			add("kms:Decrypt", StatusWarn, multipartDoubt("kms:Decrypt", "upload and complete the parts of"))
		}
	}
	def, o := t.defaultKeyNeeds(step)
	if o != nil {
		others = append(others, *o)
	}
	return append(needs, def...), others, nil
}

// multipartDoubt explains why a KMS denial on the replica key only warns
// for a multipart step.
func multipartDoubt(action, verb string) string {
	return fmt.Sprintf("AWS documents kms:Encrypt as the replica key permission (%s), and a role with only kms:Encrypt replicates SSE-KMS objects; "+
		"AWS does not document %s for replicas, but S3 needs it to %s an SSE-KMS multipart upload for other callers (%s) and AWS's failure table lists "+
		"kms:Decrypt and kms:GenerateDataKey* under DstPutObjectNotPermitted (%s), so large replicas may fail", kmsPermsDoc, action, verb, mpuAPIDoc, failureTable)
}

// replicaKey returns the replica key's facts when the rule replicates
// SSE-KMS objects with one (nil otherwise), or an outcome when they are
// missing: unknown, or skip for a key that does not exist
// (DstKmsKeyNotFound reports it).
func (t *Target) replicaKey() (*KeyFacts, *Outcome) {
	id := t.replicaKeyID()
	if !t.Rule.ReplicatesKMSObjects() || id == "" {
		return nil, nil
	}
	k := t.Facts.Key(id)
	var o Outcome
	switch {
	case k == nil:
		o = unknown("the snapshot has no facts for the replica KMS key " + id)
	case k.Metadata.IsAbsent():
		// No permission can be granted on a key that does not exist.
		o = skip("the replica KMS key " + id + " does not exist (see DstKmsKeyNotFound)")
	case t.Dest == nil || !t.Dest.Region.IsKnown():
		o = unknown("the destination bucket's Region is unknown, so kms:ViaService cannot be set for the replica key " + k.ARN)
	default:
		return k, nil
	}
	return nil, &o
}

// replicaContextARN is kms:EncryptionContext:aws:s3:arn for a replica: the
// destination bucket ARN with an S3 Bucket Key, else the object ARN.
func (t *Target) replicaContextARN(bucketKey bool) string {
	if bucketKey {
		name, _ := snapshot.BucketFromARN(t.DestARN)
		return "arn:aws:s3:::" + name
	}
	return t.DestObjectARN()
}

// replicaBucketKey reports whether S3 Bucket Keys are in play for the
// rule's SSE-KMS replicas: "When an S3 Bucket Key is enabled for the source
// or destination bucket, the encryption context will be the bucket's ARN"
// (bk-replication), and a replica keeps its source object's Bucket Key
// setting (bucket-key.html#bucket-key-replication).
func (t *Target) replicaBucketKey() bool {
	if t.destBucketKey() {
		return true
	}
	if !t.Rule.ReplicatesKMSObjects() {
		return false
	}
	if enc := t.Source().Encryption; enc.IsKnown() && isKMSAlgorithm(enc.Value.Algorithm) && enc.Value.BucketKeyEnabled {
		return true
	}
	selected, _ := t.ruleSamples()
	for _, o := range selected {
		if o.MetadataRead() && isKMSAlgorithm(o.Encryption) && o.BucketKeyEnabled {
			return true
		}
	}
	return false
}

// landing says whether the rule replicates unencrypted objects, whose
// replicas S3 encrypts with the destination's default encryption
// (replication-default-encryption); replicas of SSE-S3 and SSE-KMS objects
// keep their source's encryption.
type landing int

const (
	landsNo landing = iota
	// landsMaybe: possible but not known (Batch Replication of objects
	// written before S3 encrypted every new object).
	landsMaybe
	// landsUnknown: a fact that decides it was not read.
	landsUnknown
	// landsYes: known.
	landsYes
)

// plaintextLanding decides whether the rule replicates unencrypted
// objects, and says why.
func (t *Target) plaintextLanding() (landing, string) {
	src := t.Source()
	enc := src.Encryption
	selected, maybe := t.ruleSamples()
	for _, o := range selected {
		if o.MetadataRead() && o.Encryption == "" {
			return landsYes, "sampled object " + o.Key + " is not encrypted (s3:HeadObject returned no x-amz-server-side-encryption)"
		}
	}
	switch {
	case enc.IsAbsent():
		return landsYes, "source bucket " + src.Name + " has no default encryption, so new objects are unencrypted"
	case enc.IsUnknown():
		return landsUnknown, "the default encryption of source bucket " + src.Name + " (" + enc.Why() + ")"
	}
	for _, o := range selected {
		if !o.MetadataRead() {
			return landsUnknown, "the encryption of sampled object " + o.Key + " (" + o.Exists.Why() + ")"
		}
	}
	for _, o := range maybe {
		if !o.MetadataRead() || o.Encryption == "" {
			return landsUnknown, "whether the rule replicates sampled object " + o.Key + ", which may be unencrypted (its tags: " + o.TagsError.String() + ")"
		}
	}
	if t.Options.Batch && len(selected) == 0 {
		return landsMaybe, "Batch Replication replicates existing objects, and objects written before January 5, 2023, when S3 began encrypting every new object, may be unencrypted"
	}
	return landsNo, "new objects of " + src.Name + " are encrypted (" + describeEncryption(enc) + ") and their replicas keep that encryption (" + defaultEncDoc + ")"
}

// defaultKeyNeeds lists the KMS permissions on the destination's default
// SSE-KMS key that a step needs for replicas of unencrypted objects.
func (t *Target) defaultKeyNeeds(step kmsStep) ([]kmsNeed, *Outcome) {
	lands, why := t.plaintextLanding()
	if lands == landsNo {
		return nil, nil
	}
	var o Outcome
	switch {
	case t.Dest == nil:
		o = unknown("the snapshot has no facts for destination " + t.DestARN + ", so its default encryption, which S3 applies to replicas of unencrypted objects, is unknown")
		return nil, &o
	case t.Dest.Encryption.IsUnknown():
		o = unknown("could not read the default encryption of destination bucket "+t.Dest.Name+", which S3 applies to replicas of unencrypted objects: "+t.Dest.Encryption.Why(),
			"s3:GetBucketEncryption "+t.Dest.Name+" -> "+t.Dest.Encryption.Why())
		return nil, &o
	case t.Dest.Encryption.IsAbsent() || !isKMSAlgorithm(t.Dest.Encryption.Value.Algorithm):
		return nil, nil
	}
	enc := t.Dest.Encryption.Value
	if enc.KMSKeyID == "" {
		// The AWS managed key aws/s3 lets every principal of its account
		// use it through S3; across accounts it cannot be shared.
		cross, known := t.CrossAccount()
		if !known || !cross || step != stepPut {
			return nil, nil
		}
		o = warn("destination bucket "+t.Dest.Name+" encrypts replicas of unencrypted objects with its account's AWS managed key aws/s3, which AWS does not let another account use ("+
			kmsCrossDoc+"); AWS does not document which key S3 then uses for a replica written by the source account's role: "+why,
			"aws s3api put-bucket-encryption --bucket "+t.Dest.Name+` --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"CUSTOMER-KEY-ARN"}}]}' with a customer managed key that allows the replication role`,
			"s3:GetBucketEncryption "+t.Dest.Name+" -> "+describeEncryption(t.Dest.Encryption))
		return nil, &o
	}
	k := t.Facts.Key(enc.KMSKeyID)
	switch {
	case k == nil:
		o = unknown("the snapshot has no facts for the default encryption key " + enc.KMSKeyID + " of destination bucket " + t.Dest.Name + ", which encrypts replicas of unencrypted objects")
		return nil, &o
	case k.Metadata.IsAbsent():
		return nil, nil // DstKmsKeyNotFound reports it
	case !t.Dest.Region.IsKnown():
		o = unknown("the destination bucket's Region is unknown, so kms:ViaService cannot be set for its default key " + k.ARN)
		return nil, &o
	}
	denied := map[landing]Status{landsYes: StatusFail, landsMaybe: StatusWarn, landsUnknown: StatusUnknown}[lands]
	ctx := kmsContext(t.Dest.Region.Value, t.Role.Account, t.replicaContextARN(enc.BucketKeyEnabled))
	what := "default encryption key of destination bucket " + t.Dest.Name
	var needs []kmsNeed
	add := func(action string, status Status, doc string) {
		needs = append(needs, kmsNeed{key: k, what: what, action: action, ctx: ctx, denied: status, why: doc + "; " + landingNote(lands, why)})
	}
	switch step {
	case stepPut:
		add("kms:GenerateDataKey", denied, "AWS requires kms:GenerateDataKey on the destination's default key when unencrypted objects are replicated into a bucket with SSE-KMS default encryption ("+kmsPermsDoc+")")
		if enc.BucketKeyEnabled {
			add("kms:Decrypt", denied, "with S3 Bucket Keys the policy of the key that encrypts the replicas must allow kms:Decrypt ("+bucketKeyDoc+")")
		}
	case stepMultipartInit:
		add("kms:GenerateDataKey", softer(denied), multipartDoubt("kms:GenerateDataKey", "start"))
	case stepMultipartPart:
		add("kms:Decrypt", softer(denied), multipartDoubt("kms:Decrypt", "upload and complete the parts of"))
	}
	return needs, nil
}

// landingNote says how sure it is that unencrypted objects are replicated.
func landingNote(lands landing, why string) string {
	switch lands {
	case landsYes:
		return "the rule replicates unencrypted objects: " + why
	case landsMaybe:
		return "the rule may replicate unencrypted objects: " + why
	}
	return "whether the rule replicates unencrypted objects depends on " + why + ", which could not be read"
}

// softer turns a documented requirement's denial into what an undocumented
// step reports: a warning, or unknown when whether it is needed is unknown.
func softer(s Status) Status {
	if s == StatusUnknown {
		return StatusUnknown
	}
	return StatusWarn
}

// kmsNeedsOutcome decides a step's KMS needs: a decided denial reports its
// need's status (the first fail first), an undecided answer is unknown, and
// only decided allows pass.
func (t *Target) kmsNeedsOutcome(what string, needs []kmsNeed) Outcome {
	var evidence, missing, warnings, warnFixes []string
	var failed *Outcome
	for _, n := range needs {
		q, a := t.askKey(n.key, n.action, n.ctx)
		evidence = append(evidence, a.Evidence...)
		x := asked{q, a}
		switch {
		case !a.Decided:
			missing = append(missing, a.Missing...)
		case a.Allowed:
		case n.denied == StatusFail && failed == nil:
			o := fail(fmt.Sprintf("the replication role cannot %s: %s is denied on the %s %s (%s); %s", what, n.action, n.what, n.key.ARN, a.Result.Reason, n.why), t.remediation(&x))
			failed = &o
		case n.denied == StatusWarn:
			warnings = append(warnings, fmt.Sprintf("%s is denied on the %s %s (%s): %s", n.action, n.what, n.key.ARN, a.Result.Reason, n.why))
			warnFixes = append(warnFixes, t.remediation(&x))
		case n.denied == StatusUnknown:
			missing = append(missing, fmt.Sprintf("whether %s on the %s %s is needed (it is denied): %s", n.action, n.what, n.key.ARN, n.why))
		}
	}
	switch {
	case failed != nil:
		failed.Evidence = evidence
		return *failed
	case len(missing) > 0:
		return unknown(fmt.Sprintf("could not decide whether the replication role can %s: could not read %s", what, strings.Join(dedupe(missing), "; ")), evidence...)
	case len(warnings) > 0:
		return warn(strings.Join(warnings, "; "), strings.Join(dedupe(warnFixes), "; "), evidence...)
	case len(needs) == 0:
		return skip("no KMS key encrypts the replicas")
	}
	return pass(fmt.Sprintf("the replication role can use the KMS keys that encrypt replicas to %s", what), evidence...)
}

// combine merges the outcomes of a check's parts: fail, then unknown, then
// warn, then pass decide the status (an unknown part could hide a failure,
// a warning cannot); skipped parts count for nothing; every evidence line is
// kept.
func combine(outs ...Outcome) Outcome {
	order := []Status{StatusFail, StatusUnknown, StatusWarn, StatusPass}
	var evidence []string
	for _, o := range outs {
		evidence = append(evidence, o.Evidence...)
	}
	for _, s := range order {
		for _, o := range outs {
			if o.Status == s {
				o.Evidence = dedupe(evidence)
				return o
			}
		}
	}
	return Outcome{Status: StatusSkip, Message: outs[0].Message, Evidence: dedupe(evidence)}
}
