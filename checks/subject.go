package checks

// Subject names the fact a finding judges, in the snapshot's own terms: a
// setting of a bucket, a role or one of its policies, a KMS key, or the
// replication configuration. A source of facts that has addresses (a
// Terraform plan) maps it to the resource that declares the fact
// (snapshot.Origins); checks never learn that such a source exists.
type Subject struct {
	Kind SubjectKind
	// Name is the bucket name, role ARN or key identifier; "" for the
	// replication configuration.
	Name string
	// Part narrows the subject: a bucket setting ("versioning",
	// "objectLock", "encryption", "policy", "ownership",
	// "requestPayment", "lifecycle"), or a role's policy (an inline
	// policy's name or a managed policy's ARN); "" for the whole.
	Part string
}

// SubjectKind says what a Subject names.
type SubjectKind string

// Subject kinds.
const (
	SubjectReplication SubjectKind = "replication"
	SubjectBucket      SubjectKind = "bucket"
	SubjectRole        SubjectKind = "role"
	SubjectKey         SubjectKind = "key"
)

// judges maps each check to the fact its findings are about, when that is
// not the replication configuration. Permission checks name the policy
// that decided in their outcome (Outcome.Subject); the role is their
// fallback.
var judges = map[*Check]func(t *Target) Subject{
	AssumeRoleNotPermitted:             roleSubject,
	SrcBucketNotFound:                  sourceSubject(""),
	DstBucketNotFound:                  destSubject(""),
	DstBucketUnversioned:               destSubject("versioning"),
	DstBucketObjectLockConfigMissing:   destSubject("objectLock"),
	SrcGetObjNotPermitted:              roleSubject,
	SrcHeadObjectNotPermitted:          roleSubject,
	SrcGetAclNotPermitted:              roleSubject,
	SrcGetTaggingNotPermitted:          roleSubject,
	SrcGetLegalHoldNotPermitted:        roleSubject,
	SrcGetRetentionNotPermitted:        roleSubject,
	SrcKmsKeyInvalidState:              sourceKeySubject,
	DstPutObjNotPermitted:              roleSubject,
	DstMultipartInitNotPermitted:       roleSubject,
	DstMultipartPartUploadNotPermitted: roleSubject,
	DstMultipartCompleteNotPermitted:   roleSubject,
	DstPutAclNotPermitted:              roleSubject,
	DstPutTaggingNotPermitted:          roleSubject,
	DstDelObjNotPermitted:              roleSubject,
	DstPutLegalHoldNotPermitted:        roleSubject,
	DstPutRetentionNotPermitted:        roleSubject,
	DstKmsKeyNotFound:                  replicaKeySubject,
	DstKmsKeyInvalidState:              replicaKeySubject,
	DstVersionNotFound:                 destSubject("lifecycle"),
	SrcBucketInvalidRegion:             sourceSubject(""),
	DstBucketInvalidRegion:             destSubject(""),
	DestinationRequesterPays:           destSubject("requestPayment"),
	ReplicaOwnedBySourceAccount:        destSubject("ownership"),
	StalePolicyPrincipal:               destSubject("policy"),
}

// subjectOf is the subject of a check's outcome on a target.
func subjectOf(c *Check, t *Target, o Outcome) Subject {
	if o.Subject != nil {
		return *o.Subject
	}
	if judge, ok := judges[c]; ok && t.Rule != nil {
		return judge(t)
	}
	return Subject{Kind: SubjectReplication}
}

func sourceSubject(part string) func(t *Target) Subject {
	return func(t *Target) Subject { return Subject{Kind: SubjectBucket, Name: t.Source().Name, Part: part} }
}

func destSubject(part string) func(t *Target) Subject {
	return func(t *Target) Subject { return Subject{Kind: SubjectBucket, Name: bucketOf(t.DestARN), Part: part} }
}

func roleSubject(t *Target) Subject {
	return Subject{Kind: SubjectRole, Name: t.Config().Role}
}

// sourceKeySubject is the source bucket's default-encryption key, or its
// encryption setting when the key is not in the snapshot.
func sourceKeySubject(t *Target) Subject {
	enc := t.Source().Encryption
	if enc.IsKnown() && isKMSAlgorithm(enc.Value.Algorithm) {
		if k := t.resolveSourceKey(enc.Value.KMSKeyID); k != nil {
			return Subject{Kind: SubjectKey, Name: k.ARN}
		}
	}
	return Subject{Kind: SubjectBucket, Name: t.Source().Name, Part: "encryption"}
}

// replicaKeySubject is the rule's replica key, or the destination's
// default encryption when the rule names none.
func replicaKeySubject(t *Target) Subject {
	if ec := t.Rule.Destination.EncryptionConfiguration; ec != nil && ec.ReplicaKmsKeyID != "" {
		return Subject{Kind: SubjectKey, Name: ec.ReplicaKmsKeyID}
	}
	return destSubject("encryption")(t)
}
