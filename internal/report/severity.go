package report

import "github.com/replcheck/replcheck/checks"

// Security severities of the checks, as SARIF's properties.security-severity
// gives them to GitHub code scanning, which reads a number as a string and
// shows it as critical (9.0 and over), high (7.0–8.9), medium (4.0–6.9) or
// low (under 4.0), for rules tagged "security".
//
// Replication exists to keep a second copy of the data (disaster recovery,
// compliance copies, recovery from deletion or ransomware), so a predicted
// failure is rated by how much of that copy would be missing and how
// quietly. Nothing is critical: a missing replica exposes no data and grants
// no access; it removes a safeguard.
const (
	// severityNothingReplicates: no new object version under the rule is
	// replicated, and S3 accepted the configuration, so the gap stays
	// silent until someone needs the copy.
	severityNothingReplicates = "8.0"
	// severityClassNotReplicated: a whole class of objects is not
	// replicated (SSE-KMS, Object Lock, multipart uploads), or a whole
	// Batch Replication job fails.
	severityClassNotReplicated = "7.0"
	// severityIncomplete: replicas exist but are incomplete or hard to use
	// (tags, ACLs, delete markers, later metadata changes, owner), some
	// objects follow another rule's settings, or S3 refuses the
	// configuration outright, which is loud at apply time.
	severityIncomplete = "5.0"
	// severityNarrow: sampled individual objects, versions that are
	// already replicated, or failures that only go unseen.
	severityNarrow = "3.0"
	// severityUnchecked: nothing could be checked (an account that could
	// not be read), so any of the failures above may be hiding there.
	severityUnchecked = "5.0"
	// severityOther is for reasons no check in the registry names.
	severityOther = severityIncomplete
)

// securitySeverity is each check's security-severity; a test keeps it
// complete for checks.All.
var securitySeverity = map[*checks.Check]string{
	checks.AccountNotReadable: severityUnchecked,
	// Terraform's apply fails loudly when S3 refuses the configuration.
	checks.ReplicationBeforeVersioning: severityIncomplete,

	checks.SrcBucketReplicationConfigMissing: severityNothingReplicates,
	checks.AssumeRoleNotPermitted:            severityNothingReplicates,
	checks.SrcBucketNotFound:                 severityNothingReplicates,
	checks.DstBucketNotFound:                 severityNothingReplicates,
	checks.DstBucketUnversioned:              severityNothingReplicates,
	checks.DstBucketObjectLockConfigMissing:  severityNothingReplicates,
	checks.SrcGetObjNotPermitted:             severityNothingReplicates,
	checks.SrcHeadObjectNotPermitted:         severityNothingReplicates,
	checks.DstPutObjNotPermitted:             severityNothingReplicates,
	checks.DstKmsKeyNotFound:                 severityNothingReplicates,
	checks.DstKmsKeyInvalidState:             severityNothingReplicates,
	checks.DestinationRequesterPays:          severityNothingReplicates,

	checks.SrcGetLegalHoldNotPermitted:        severityClassNotReplicated,
	checks.SrcGetRetentionNotPermitted:        severityClassNotReplicated,
	checks.DstPutLegalHoldNotPermitted:        severityClassNotReplicated,
	checks.DstPutRetentionNotPermitted:        severityClassNotReplicated,
	checks.SrcKmsKeyInvalidState:              severityClassNotReplicated,
	checks.SseKmsWithoutReplicaKey:            severityClassNotReplicated,
	checks.KmsObjectsNotReplicated:            severityClassNotReplicated,
	checks.ReplicaKmsKeyWrongRegion:           severityClassNotReplicated,
	checks.ReplicaKmsKeyAwsManaged:            severityClassNotReplicated,
	checks.DstMultipartInitNotPermitted:       severityClassNotReplicated,
	checks.DstMultipartPartUploadNotPermitted: severityClassNotReplicated,
	checks.DstMultipartCompleteNotPermitted:   severityClassNotReplicated,
	checks.StalePolicyPrincipal:               severityClassNotReplicated,
	checks.InitiateReplicationNotPermitted:    severityClassNotReplicated,
	checks.SrcBucketInvalidRegion:             severityClassNotReplicated,
	checks.DstBucketInvalidRegion:             severityClassNotReplicated,

	checks.SrcGetAclNotPermitted:                severityIncomplete,
	checks.SrcGetTaggingNotPermitted:            severityIncomplete,
	checks.DstPutAclNotPermitted:                severityIncomplete,
	checks.DstPutTaggingNotPermitted:            severityIncomplete,
	checks.DstDelObjNotPermitted:                severityIncomplete,
	checks.DstVersionNotFound:                   severityIncomplete,
	checks.ReplicaOwnedBySourceAccount:          severityIncomplete,
	checks.ReplicaKmsKeyIsAlias:                 severityIncomplete,
	checks.OverlappingRules:                     severityIncomplete,
	checks.InvalidRuleSchema:                    severityIncomplete,
	checks.DuplicateRulePriority:                severityIncomplete,
	checks.DeleteMarkerReplicationWithTagFilter: severityIncomplete,
	checks.InvalidReplicationTime:               severityIncomplete,
	checks.OwnerOverrideAccountMismatch:         severityIncomplete,

	checks.SrcKeyNotFound:             severityNarrow,
	checks.SrcObjectNotFound:          severityNarrow,
	checks.SrcVersionNotFound:         severityNarrow,
	checks.SrcObjectNotEligible:       severityNarrow,
	checks.DstObjectHardDeleted:       severityNarrow,
	checks.SrcReplicationNotPending:   severityNarrow,
	checks.ReplicationMetricsDisabled: severityNarrow,
}

// SecuritySeverity is the security-severity of the check whose reason (or
// alias) is reason, as a decimal number in a string.
func SecuritySeverity(reason string) string {
	if s, ok := securitySeverity[checks.Lookup(reason)]; ok {
		return s
	}
	return severityOther
}
