package checks

// Group is the part of replication a check is about. Reports that lay the
// checks out side by side (the HTML matrix) group them by it, in the order
// of Groups, which is the order the reference (failure-reasons.md) walks
// through them.
type Group string

// Check groups.
const (
	// GroupConfiguration: the replication configuration, the buckets it
	// names and the role S3 assumes.
	GroupConfiguration Group = "configuration"
	// GroupSourceReads: what the role must read from the source bucket.
	GroupSourceReads Group = "source reads"
	// GroupDestinationWrites: what the role must write to the destination.
	GroupDestinationWrites Group = "destination writes"
	// GroupKMS: KMS keys of SSE-KMS objects and replicas.
	GroupKMS Group = "KMS"
	// GroupObject: decided per sampled object version (ScopeObject).
	GroupObject Group = "object level"
	// GroupBatch: S3 Batch Replication jobs (ScopeBatch).
	GroupBatch Group = "Batch"
)

// Groups lists the groups in the order reports show them.
var Groups = []Group{GroupConfiguration, GroupSourceReads, GroupDestinationWrites, GroupKMS, GroupObject, GroupBatch}

// Group returns the check's group: Batch and object-level checks by their
// scope, account checks with the configuration (an unreadable account
// leaves its configurations unchecked), live checks by the table below.
func (c *Check) Group() Group {
	switch c.Scope {
	case ScopeBatch:
		return GroupBatch
	case ScopeObject:
		return GroupObject
	case ScopeAccount:
		return GroupConfiguration
	}
	if g, ok := liveGroups[c.Reason]; ok {
		return g
	}
	return GroupConfiguration
}

// liveGroups classifies every live check by reason; a test keeps it
// complete, so a new check needs a decision here.
var liveGroups = map[string]Group{
	"SrcBucketReplicationConfigMissing":    GroupConfiguration,
	"AssumeRoleNotPermitted":               GroupConfiguration,
	"SrcBucketNotFound":                    GroupConfiguration,
	"DstBucketNotFound":                    GroupConfiguration,
	"DstBucketUnversioned":                 GroupConfiguration,
	"DstBucketObjectLockConfigMissing":     GroupConfiguration,
	"InvalidRuleSchema":                    GroupConfiguration,
	"DuplicateRulePriority":                GroupConfiguration,
	"DeleteMarkerReplicationWithTagFilter": GroupConfiguration,
	"InvalidReplicationTime":               GroupConfiguration,
	"OwnerOverrideAccountMismatch":         GroupConfiguration,
	"OverlappingRules":                     GroupConfiguration,
	"ReplicationMetricsDisabled":           GroupConfiguration,
	"DestinationRequesterPays":             GroupConfiguration,
	"ReplicaOwnedBySourceAccount":          GroupConfiguration,
	"StalePolicyPrincipal":                 GroupConfiguration,
	"ReplicationBeforeVersioning":          GroupConfiguration,

	"SrcGetObjNotPermitted":       GroupSourceReads,
	"SrcHeadObjectNotPermitted":   GroupSourceReads,
	"SrcGetAclNotPermitted":       GroupSourceReads,
	"SrcGetTaggingNotPermitted":   GroupSourceReads,
	"SrcGetLegalHoldNotPermitted": GroupSourceReads,
	"SrcGetRetentionNotPermitted": GroupSourceReads,

	"DstPutObjNotPermitted":              GroupDestinationWrites,
	"DstMultipartInitNotPermitted":       GroupDestinationWrites,
	"DstMultipartPartUploadNotPermitted": GroupDestinationWrites,
	"DstMultipartCompleteNotPermitted":   GroupDestinationWrites,
	"DstPutAclNotPermitted":              GroupDestinationWrites,
	"DstPutTaggingNotPermitted":          GroupDestinationWrites,
	"DstDelObjNotPermitted":              GroupDestinationWrites,
	"DstPutLegalHoldNotPermitted":        GroupDestinationWrites,
	"DstPutRetentionNotPermitted":        GroupDestinationWrites,
	"DstVersionNotFound":                 GroupDestinationWrites,

	"SrcKmsKeyInvalidState":    GroupKMS,
	"DstKmsKeyNotFound":        GroupKMS,
	"DstKmsKeyInvalidState":    GroupKMS,
	"SseKmsWithoutReplicaKey":  GroupKMS,
	"ReplicaKmsKeyIsAlias":     GroupKMS,
	"ReplicaKmsKeyWrongRegion": GroupKMS,
	"ReplicaKmsKeyAwsManaged":  GroupKMS,
	"KmsObjectsNotReplicated":  GroupKMS,
}
