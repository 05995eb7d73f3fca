package snapshot

import "encoding/json"

// SchemaVersion is the snapshot format version this package reads and
// writes.
const SchemaVersion = 1

// Snapshot is every fact one preflight needs about a source bucket and its
// destinations. A snapshot whose Source has no name stands for a whole
// account instead (Source.Account): one that a source enumerating accounts
// (an audit) could not list the buckets of, as AccountListing says.
type Snapshot struct {
	SchemaVersion int `json:"schemaVersion"`
	// Source is the source bucket.
	Source Bucket `json:"source"`
	// Destinations are the destination buckets the configuration names.
	Destinations []Bucket `json:"destinations"`
	// Replication is the replication configuration: the one proposed with
	// --config, or the source bucket's current one. Absent means the bucket
	// has none.
	Replication Fact[ReplicationConfiguration] `json:"replication,omitzero"`
	// Roles are the IAM roles involved: the replication role and, for
	// Batch Replication, the job role.
	Roles []Role `json:"roles"`
	// Accounts holds per-account organization facts (SCPs and RCPs).
	Accounts []Account `json:"accounts,omitempty"`
	// KMSKeys are the KMS keys the configuration, the buckets' default
	// encryption and the sampled objects refer to.
	KMSKeys []KMSKey `json:"kmsKeys,omitempty"`
	// Objects are sampled source object versions, for object-level reasons.
	Objects []ObjectVersion `json:"objects,omitempty"`
	// ObjectSampling says why object versions could not be sampled, when
	// listing them failed; the object-level checks are then unknown.
	ObjectSampling *FactError `json:"objectSampling,omitempty"`
	// Batch describes a Batch Replication job, when one is planned.
	Batch *BatchJob `json:"batch,omitempty"`
	// Simulations are identity-side decisions recorded from
	// iam:SimulatePrincipalPolicy.
	Simulations []Simulation `json:"simulations,omitempty"`
	// SimulatorUnavailable says why iam:SimulatePrincipalPolicy could not be
	// used, when it could not; the local engine then decided every
	// permission.
	SimulatorUnavailable *FactError `json:"simulatorUnavailable,omitempty"`
	// Changes are what a planned apply would change; nil when the facts
	// are the present state.
	Changes *Changes `json:"changes,omitempty"`
	// Origins say where the source of facts declares each fact, for
	// findings' addresses; nil when it has no addresses.
	Origins *Origins `json:"origins,omitempty"`
	// AccountListing says why the buckets of the source account could not
	// be listed (its role could not be assumed, or s3:ListBuckets was
	// denied), in a snapshot that stands for an account: none of its
	// buckets could be checked.
	AccountListing *FactError `json:"accountListing,omitempty"`
}

// IsAccount reports whether the snapshot stands for a whole account
// rather than one source bucket: its source has no name.
func (s *Snapshot) IsAccount() bool { return s.Source.Name == "" }

// Bucket holds the facts about one bucket.
type Bucket struct {
	// Name is the bucket name.
	Name string `json:"name"`
	// Exists is false when S3 answered 404 NoSuchBucket.
	Exists Fact[bool] `json:"exists,omitzero"`
	// Account is the owner's account ID.
	Account Fact[string] `json:"account,omitzero"`
	// Region is the bucket's Region (x-amz-bucket-region).
	Region Fact[string] `json:"region,omitzero"`
	// Versioning is "Enabled" or "Suspended"; Absent when never enabled.
	Versioning Fact[string] `json:"versioning,omitzero"`
	// ObjectLock is the Object Lock configuration; Absent when not enabled.
	ObjectLock Fact[ObjectLockConfiguration] `json:"objectLock,omitzero"`
	// Encryption is the default encryption; Absent when none is set.
	Encryption Fact[BucketEncryption] `json:"encryption,omitzero"`
	// Policy is the bucket policy document; Absent when there is none.
	Policy Fact[PolicyDocument] `json:"policy,omitzero"`
	// Ownership is the Object Ownership setting (BucketOwnerEnforced,
	// BucketOwnerPreferred, ObjectWriter); Absent when none is set, which
	// behaves as ObjectWriter.
	Ownership Fact[string] `json:"ownership,omitzero"`
	// RequestPayment is "BucketOwner" or "Requester".
	RequestPayment Fact[string] `json:"requestPayment,omitzero"`
	// Lifecycle summarises the lifecycle rules that delete versions.
	Lifecycle Fact[Lifecycle] `json:"lifecycle,omitzero"`
}

// ObjectLockConfiguration is a bucket's Object Lock setting.
type ObjectLockConfiguration struct {
	// Enabled is true when ObjectLockEnabled is "Enabled".
	Enabled bool `json:"enabled"`
	// DefaultMode is GOVERNANCE or COMPLIANCE, or "".
	DefaultMode string `json:"defaultMode,omitempty"`
	// DefaultDays and DefaultYears are the default retention period.
	DefaultDays  int `json:"defaultDays,omitempty"`
	DefaultYears int `json:"defaultYears,omitempty"`
}

// BucketEncryption is a bucket's default encryption.
type BucketEncryption struct {
	// Algorithm is AES256, aws:kms or aws:kms:dsse.
	Algorithm string `json:"algorithm"`
	// KMSKeyID is the default key as configured (ARN, key ID or alias);
	// "" with aws:kms means the account's aws/s3 key.
	KMSKeyID string `json:"kmsKeyId,omitempty"`
	// BucketKeyEnabled is true when S3 Bucket Keys are on.
	BucketKeyEnabled bool `json:"bucketKeyEnabled,omitempty"`
}

// Lifecycle summarises lifecycle rules that permanently remove versions.
type Lifecycle struct {
	// NoncurrentVersionExpirationDays is the shortest
	// NoncurrentVersionExpiration of an enabled rule, or 0.
	NoncurrentVersionExpirationDays int `json:"noncurrentVersionExpirationDays,omitempty"`
	// ExpirationDays is the shortest current-version Expiration, or 0.
	ExpirationDays int `json:"expirationDays,omitempty"`
}

// PolicyDocument is an IAM policy document as the API returned it: a JSON
// object, or a string holding JSON, URL-encoded or not.
type PolicyDocument = json.RawMessage

// NamedPolicy is a policy with the name or ARN it is known by.
type NamedPolicy struct {
	// Name is an inline policy's name or a managed policy's ARN.
	Name string `json:"name"`
	// Document is the policy document (a managed policy's default version).
	Document PolicyDocument `json:"document"`
}

// Role holds the facts about an IAM role.
type Role struct {
	// ARN is the role ARN as named by the replication configuration or the
	// Batch job, path included.
	ARN string `json:"arn"`
	// Exists is false when IAM answered NoSuchEntity.
	Exists Fact[bool] `json:"exists,omitzero"`
	// ActualARN is the ARN iam:GetRole returned, whose path may differ from
	// the one configured.
	ActualARN string `json:"actualArn,omitempty"`
	// TrustPolicy is the role's trust (assume-role) policy.
	TrustPolicy Fact[PolicyDocument] `json:"trustPolicy,omitzero"`
	// InlinePolicies are the role's inline policies.
	InlinePolicies Fact[[]NamedPolicy] `json:"inlinePolicies,omitzero"`
	// ManagedPolicies are the attached managed policies, each with its
	// default version's document.
	ManagedPolicies Fact[[]NamedPolicy] `json:"managedPolicies,omitzero"`
	// PermissionsBoundary is the boundary; Absent when none is set.
	PermissionsBoundary Fact[NamedPolicy] `json:"permissionsBoundary,omitzero"`
}

// Account holds the organization policies that apply in one account.
type Account struct {
	// ID is the 12-digit account ID.
	ID string `json:"id"`
	// SCPs are the service control policies by organization level (root
	// first, the account last); Absent when the account is in no
	// organization or is its management account.
	SCPs Fact[[][]NamedPolicy] `json:"scps,omitzero"`
	// RCPs are the resource control policies by level, like SCPs.
	RCPs Fact[[][]NamedPolicy] `json:"rcps,omitzero"`
}

// KMSKey holds the facts about one KMS key.
type KMSKey struct {
	// ARN is the key ARN.
	ARN string `json:"arn"`
	// Aliases are the alias names and alias ARNs that resolve to the key,
	// and any other identifier (key ID) the configuration uses for it.
	Aliases []string `json:"aliases,omitempty"`
	// Metadata is kms:DescribeKey's answer; Absent when KMS answered
	// NotFoundException.
	Metadata Fact[KeyMetadata] `json:"metadata,omitzero"`
	// Policy is the key policy (named "default").
	Policy Fact[PolicyDocument] `json:"policy,omitzero"`
}

// KeyMetadata is the part of kms:DescribeKey that replication depends on.
type KeyMetadata struct {
	// KeyState is Enabled, Disabled, PendingDeletion, PendingReplicaDeletion,
	// PendingImport, Unavailable, Creating or Updating.
	KeyState string `json:"keyState"`
	// KeyManager is AWS or CUSTOMER.
	KeyManager string `json:"keyManager"`
	// KeySpec is SYMMETRIC_DEFAULT for keys S3 can use.
	KeySpec string `json:"keySpec"`
	// KeyUsage is ENCRYPT_DECRYPT for keys S3 can use.
	KeyUsage string `json:"keyUsage,omitempty"`
	// MultiRegion is true for multi-Region keys.
	MultiRegion bool `json:"multiRegion,omitempty"`
	// Region and Account locate the key.
	Region  string `json:"region"`
	Account string `json:"account"`
	// Origin is AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE.
	Origin string `json:"origin,omitempty"`
}

// ObjectVersion is one sampled source object version.
type ObjectVersion struct {
	Key       string `json:"key"`
	VersionID string `json:"versionId,omitempty"`
	// Exists is false when the version is gone (404), as a Batch manifest
	// entry can be.
	Exists Fact[bool] `json:"exists,omitzero"`
	// IsDeleteMarker is true for delete markers.
	IsDeleteMarker bool `json:"isDeleteMarker,omitempty"`
	// StorageClass is STANDARD, GLACIER, DEEP_ARCHIVE, …
	StorageClass string `json:"storageClass,omitempty"`
	// ArchiveStatus is ARCHIVE_ACCESS or DEEP_ARCHIVE_ACCESS for archived
	// Intelligent-Tiering objects.
	ArchiveStatus string `json:"archiveStatus,omitempty"`
	// Encryption is AES256, aws:kms, aws:kms:dsse, or "" (none, or SSE-C).
	Encryption string `json:"encryption,omitempty"`
	// KMSKeyID is the object's KMS key ARN.
	KMSKeyID string `json:"kmsKeyId,omitempty"`
	// BucketKeyEnabled is true when the object uses an S3 Bucket Key.
	BucketKeyEnabled bool `json:"bucketKeyEnabled,omitempty"`
	// OwnedByBucketOwner is whether the object's owner is the bucket owner.
	OwnedByBucketOwner Fact[bool] `json:"ownedByBucketOwner,omitzero"`
	// ReplicationStatus is PENDING, COMPLETED, FAILED, REPLICA or "".
	ReplicationStatus string `json:"replicationStatus,omitempty"`
	// LegalHold and RetentionMode are the version's Object Lock metadata.
	LegalHold     bool   `json:"legalHold,omitempty"`
	RetentionMode string `json:"retentionMode,omitempty"`
	// Tags are the version's tags, when they were read (TagsError is nil).
	Tags map[string]string `json:"tags,omitempty"`
	// TagsError says why the version's tags could not be read (such as
	// s3:GetObjectVersionTagging denied); Tags is then unknown, not empty.
	// Snapshots written before this field existed have none, and their
	// Tags are read as gathered.
	TagsError *FactError `json:"tagsError,omitempty"`
	// PresentAt maps destination bucket names to whether this version
	// exists there (for versions already replicated).
	PresentAt map[string]bool `json:"presentAt,omitempty"`
}

// BatchJob describes a planned S3 Batch Replication job.
type BatchJob struct {
	// RoleARN is the Batch Operations job role.
	RoleARN string `json:"roleArn"`
	// Region is the Region the job is created in.
	Region string `json:"region"`
	// ReplicationStatuses are the manifest generator's
	// ObjectReplicationStatuses filter (NONE, FAILED, COMPLETED, REPLICA).
	ReplicationStatuses []string `json:"replicationStatuses,omitempty"`
}

// Simulation is one identity-side decision recorded from
// iam:SimulatePrincipalPolicy.
type Simulation struct {
	// Principal is the role ARN simulated.
	Principal string `json:"principal"`
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	// Context is the request context simulated; a decision without one
	// answers the question whatever its context.
	Context map[string][]string `json:"context,omitempty"`
	// Decision is allowed, explicitDeny or implicitDeny.
	Decision string `json:"decision"`
	// MissingContextValues lists keys the policies used but the request
	// did not supply; a non-empty list makes the decision unreliable.
	MissingContextValues []string `json:"missingContextValues,omitempty"`
	// MatchedStatements names the statements that decided.
	MatchedStatements []string `json:"matchedStatements,omitempty"`
}

// TagsFact returns the version's tags as a fact: Unknown when they could
// not be read, Known (possibly empty) otherwise.
func (o *ObjectVersion) TagsFact() Fact[map[string]string] {
	if o.TagsError != nil {
		return UnknownFact[map[string]string](o.TagsError)
	}
	return KnownFact(o.Tags)
}

// MetadataRead reports whether the version's HeadObject metadata
// (encryption, KMS key, archive and replication status, Object Lock) was
// read: HeadObject also decides Exists, so a version whose existence is
// unknown has unread metadata, which must not pass for "unencrypted" or
// "not replicated". Delete markers have no such metadata to read.
func (o *ObjectVersion) MetadataRead() bool {
	return o.IsDeleteMarker || o.Exists.IsKnown()
}
