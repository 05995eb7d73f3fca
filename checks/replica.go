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
// the extra S3 questions, plus keyActions on the replica KMS key when the
// rule replicates KMS-encrypted objects. A decided denial of the S3 side
// fails even when the replica key's facts are missing, which otherwise make
// it unknown.
func (t *Target) replicaWriteOutcome(what string, extra []asked, keyActions ...string) Outcome {
	if o := t.needRole(); o != nil {
		return *o
	}
	asks := append(t.askReplicate("s3:ReplicateObject"), extra...)
	keyAsks, keyMissing := t.askReplicaKey(keyActions...)
	res := t.permissionOutcome(what, append(asks, keyAsks...)...)
	if keyMissing != nil && res.Status != StatusFail {
		o := *keyMissing
		o.Evidence = res.Evidence
		return o
	}
	return res
}

// replicaKeyID is the rule's ReplicaKmsKeyID, or "".
func (t *Target) replicaKeyID() string {
	if ec := t.Rule.Destination.EncryptionConfiguration; ec != nil {
		return ec.ReplicaKmsKeyID
	}
	return ""
}

// askReplicaKey asks for KMS actions on the replica key, when the rule
// replicates KMS-encrypted objects with one. It returns an unknown outcome
// when the key's facts are missing.
func (t *Target) askReplicaKey(actions ...string) ([]asked, *Outcome) {
	id := t.replicaKeyID()
	if !t.Rule.ReplicatesKMSObjects() || id == "" {
		return nil, nil
	}
	k := t.Facts.Key(id)
	if k == nil {
		o := unknown("the snapshot has no facts for the replica KMS key " + id)
		return nil, &o
	}
	if k.Metadata.IsAbsent() {
		// No permission can be granted on a key that does not exist; the
		// failure is DstKmsKeyNotFound's to report.
		o := skip("the replica KMS key " + id + " does not exist (see DstKmsKeyNotFound)")
		return nil, &o
	}
	if t.Dest == nil || !t.Dest.Region.IsKnown() {
		o := unknown("the destination bucket's Region is unknown, so kms:ViaService cannot be set for the replica key " + k.ARN)
		return nil, &o
	}
	contextARN := t.DestObjectARN()
	if t.destBucketKey() {
		contextARN = "arn:aws:s3:::" + t.Dest.Name
	}
	ctx := kmsContext(t.Dest.Region.Value, t.Role.Account, contextARN)
	var out []asked
	for _, action := range actions {
		q, a := t.askKey(k, action, ctx)
		out = append(out, asked{q, a})
	}
	return out, nil
}

// destBucketKey reports whether the destination's default encryption uses
// an S3 Bucket Key, which changes the KMS encryption context to the bucket
// ARN and makes the replica key's policy need kms:Decrypt.
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
