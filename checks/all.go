package checks

import "strings"

// All lists every check, in the order reports list a rule's findings.
var All = []*Check{
	SrcBucketReplicationConfigMissing,
	AssumeRoleNotPermitted,
	SrcBucketNotFound,
	DstBucketNotFound,
	DstBucketUnversioned,
	DstBucketObjectLockConfigMissing,
	SrcGetObjNotPermitted,
	SrcHeadObjectNotPermitted,
	SrcGetAclNotPermitted,
	SrcGetTaggingNotPermitted,
	SrcGetLegalHoldNotPermitted,
	SrcGetRetentionNotPermitted,
	SrcKmsKeyInvalidState,
	DstPutObjNotPermitted,
	DstMultipartInitNotPermitted,
	DstMultipartPartUploadNotPermitted,
	DstMultipartCompleteNotPermitted,
	DstPutAclNotPermitted,
	DstPutTaggingNotPermitted,
	DstDelObjNotPermitted,
	DstPutLegalHoldNotPermitted,
	DstPutRetentionNotPermitted,
	DstKmsKeyNotFound,
	DstKmsKeyInvalidState,
	DstVersionNotFound,
	SrcBucketInvalidRegion,
	DstBucketInvalidRegion,
	InitiateReplicationNotPermitted,
	DstObjectHardDeleted,
	SrcReplicationNotPending,
	SrcObjectNotEligible,
	SrcKeyNotFound,
	SrcObjectNotFound,
	SrcVersionNotFound,
	InvalidRuleSchema,
	DuplicateRulePriority,
	DeleteMarkerReplicationWithTagFilter,
	SseKmsWithoutReplicaKey,
	InvalidReplicationTime,
	OwnerOverrideAccountMismatch,
	OverlappingRules,
	ReplicaKmsKeyIsAlias,
	ReplicaKmsKeyWrongRegion,
	ReplicaKmsKeyAwsManaged,
	ReplicationMetricsDisabled,
	KmsObjectsNotReplicated,
	DestinationRequesterPays,
	ReplicaOwnedBySourceAccount,
	StalePolicyPrincipal,
	ReplicationBeforeVersioning,
	AccountNotReadable,
}

// Lookup returns the check whose reason or alias is name, ignoring case,
// or nil.
func Lookup(name string) *Check {
	for _, c := range All {
		for _, n := range c.Names() {
			if strings.EqualFold(n, name) {
				return c
			}
		}
	}
	return nil
}

// PerRule counts the checks that report once per rule and destination of a
// bucket snapshot: every check but the account checks.
func PerRule() int {
	n := 0
	for _, c := range All {
		if c.Scope != ScopeAccount {
			n++
		}
	}
	return n
}
