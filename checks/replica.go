package checks

// askReplicate asks whether the role may perform a replication write
// action (s3:ReplicateObject, s3:ReplicateTags, …) on the destination, once
// for each encryption a replica of this rule can carry: SSE-S3 always (every
// new object is at least SSE-S3), and SSE-KMS with the replica key when the
// rule replicates KMS-encrypted objects. A replica keeps its source
// object's encryption type, so a destination policy demanding aws:kms
// rejects SSE-S3 replicas.
func (t *Target) askReplicate(action string) []asked {
	scenarios := []map[string][]string{{"s3:x-amz-server-side-encryption": {"AES256"}}}
	if t.Rule.ReplicatesKMSObjects() {
		kms := map[string][]string{"s3:x-amz-server-side-encryption": {"aws:kms"}}
		if id := t.replicaKeyID(); id != "" {
			arn := id
			if k := t.Facts.Key(id); k != nil {
				arn = k.ARN
			}
			kms["s3:x-amz-server-side-encryption-aws-kms-key-id"] = []string{arn}
		}
		scenarios = append(scenarios, kms)
	}
	var out []asked
	for _, ctx := range scenarios {
		q, a := t.askDest(action, ctx)
		out = append(out, asked{q, a})
	}
	return out
}

// replicaWriteOutcome decides a replica write step: s3:ReplicateObject on
// the destination (for each encryption a replica of the rule can carry) and
// the extra S3 questions, whose denials fail, plus the step's KMS needs
// (kmsNeeds). A decided denial of the S3 side fails even when the KMS keys'
// facts are missing, which otherwise make it unknown.
func (t *Target) replicaWriteOutcome(what string, extra []asked, step kmsStep) Outcome {
	if o := t.needRole(); o != nil {
		return *o
	}
	asks := append(t.askReplicate("s3:ReplicateObject"), extra...)
	res := t.permissionOutcome(what, asks...)
	needs, others, skipAll := t.kmsNeeds(step)
	switch {
	case res.Status == StatusFail:
		return res
	case skipAll != nil:
		o := *skipAll
		o.Evidence = res.Evidence
		return o
	}
	return combine(append([]Outcome{res, t.kmsNeedsOutcome(what, needs)}, others...)...)
}

// replicaKeyID is the rule's ReplicaKmsKeyID, or "".
func (t *Target) replicaKeyID() string {
	if ec := t.Rule.Destination.EncryptionConfiguration; ec != nil {
		return ec.ReplicaKmsKeyID
	}
	return ""
}

// destBucketKey reports whether the destination's default encryption uses
// an S3 Bucket Key.
func (t *Target) destBucketKey() bool {
	return t.Dest != nil && t.Dest.Encryption.IsKnown() && t.Dest.Encryption.Value.BucketKeyEnabled
}

// ownerOverride reports whether the rule changes replica ownership to the
// destination account.
func (t *Target) ownerOverride() bool {
	act := t.Rule.Destination.AccessControlTranslation
	return act != nil && act.Owner == "Destination"
}

// sourceObjectLock gates the checks that apply only when the source bucket
// has Object Lock enabled: it returns the evidence line and nil when it is
// enabled, or a skip (completed by skipNote) or unknown outcome.
func (t *Target) sourceObjectLock(skipNote string) (string, *Outcome) {
	src := t.Source()
	ol := src.ObjectLock
	evidence := "s3:GetObjectLockConfiguration " + src.Name + " -> "
	var o Outcome
	switch {
	case ol.IsUnknown():
		o = unknown("could not read the Object Lock configuration of source bucket "+src.Name+": "+ol.Why(), evidence+ol.Why())
	case ol.IsAbsent() || !ol.Value.Enabled:
		o = skip("the source bucket " + src.Name + " does not have Object Lock enabled" + skipNote)
	default:
		return evidence + "ObjectLockEnabled=Enabled", nil
	}
	return "", &o
}
