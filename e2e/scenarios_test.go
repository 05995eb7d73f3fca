package e2e

import (
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"testing"

	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/replcheck/replcheck/internal/motoserver"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// scenario is one end-to-end case: a world, the preflight that checks it,
// and what that preflight must say.
type scenario struct {
	name string
	// setup builds the world and returns the preflight arguments.
	setup func(w *world) []string
	// inject, if set, puts a proxy between the CLI and moto that answers
	// what moto cannot (AccessDenied).
	inject func(p *motoserver.Proxy)
	// exit is the expected exit code.
	exit int
	// want is every fail, warn and unknown finding, as "Reason status":
	// no more, no fewer.
	want []string
	// others, if set, is the status of every finding not in want (which
	// then lists only the findings of other statuses).
	others string
	// pass are reasons that must report pass (and nothing worse).
	pass []string
	// once, for healthy scenarios, is how many buckets and roles the run
	// reads: each fact must be fetched exactly once.
	once *reads
}

// reads is how many distinct buckets, roles and credential sides a run
// reads.
type reads struct{ buckets, roles, sides int }

// built returns a setup that builds p.
func built(p pair) func(w *world) []string {
	return func(w *world) []string { return w.build(p) }
}

// fails, warns and unknowns spell want entries.
func fails(reasons ...string) []string    { return suffix(reasons, " fail") }
func warns(reasons ...string) []string    { return suffix(reasons, " warn") }
func unknowns(reasons ...string) []string { return suffix(reasons, " unknown") }

func suffix(reasons []string, s string) []string {
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = r + s
	}
	return out
}

// replicaKey makes a rule replicate SSE-KMS objects with key as the
// replica key (moto drops SourceSelectionCriteria, so such rules go
// through --config).
func replicaKey(key string) func(*snapshot.ReplicationRule) {
	return func(r *snapshot.ReplicationRule) {
		r.SourceSelectionCriteria = &snapshot.SourceSelectionCriteria{SseKmsEncryptedObjects: &snapshot.StatusElement{Status: "Enabled"}}
		r.Destination.EncryptionConfiguration = &snapshot.EncryptionConfiguration{ReplicaKmsKeyID: key}
	}
}

// dstWrites are the checks of the role's writes into the destination,
// which all need s3:ReplicateObject on it (and, for SSE-KMS replicas, the
// replica key).
var dstWrites = []string{"DstPutObjNotPermitted", "DstMultipartInitNotPermitted", "DstMultipartPartUploadNotPermitted",
	"DstMultipartCompleteNotPermitted", "DstPutAclNotPermitted", "DstPutTaggingNotPermitted"}

// The permission checks a healthy role passes.
var rolePasses = []string{"AssumeRoleNotPermitted", "SrcGetObjNotPermitted", "SrcGetAclNotPermitted", "SrcGetTaggingNotPermitted",
	"DstPutObjNotPermitted", "DstPutTaggingNotPermitted", "DstMultipartInitNotPermitted"}

var scenarios = []scenario{
	{
		// Healthy, one account: every check passes or skips. Ownership
		// controls are BucketOwnerEnforced (moto's default is ObjectWriter,
		// which would make SrcGetAclNotPermitted warn) and metrics are on.
		name:  "healthy same-account",
		setup: built(pair{}),
		exit:  0,
		pass: append([]string{"SrcBucketReplicationConfigMissing", "DstBucketNotFound", "DstBucketUnversioned",
			"ReplicationMetricsDisabled", "KmsObjectsNotReplicated", "InvalidRuleSchema"}, rolePasses...),
		once: &reads{buckets: 2, roles: 1, sides: 1},
	},
	{
		// Healthy across accounts: the destination bucket policy grants the
		// role, the CLI reads the destination through --destination-role,
		// and BucketOwnerEnforced makes the replicas the destination's.
		name:  "healthy cross-account",
		setup: built(pair{cross: true}),
		exit:  0,
		pass:  append([]string{"DstBucketUnversioned", "ReplicaOwnedBySourceAccount", "DstPutAclNotPermitted"}, rolePasses...),
		once:  &reads{buckets: 2, roles: 1, sides: 2},
	},
	{
		// DstBucketUnversioned: S3 writes replicas only into a bucket whose
		// versioning is Enabled; this one never had it.
		name:  "destination unversioned",
		setup: built(pair{dst: []bucketOpt{unversioned()}}),
		exit:  1,
		want:  fails("DstBucketUnversioned"),
		pass:  []string{"DstBucketNotFound"},
	},
	{
		// DstBucketUnversioned: Suspended is not Enabled either (cross-account,
		// read through the assumed role).
		name:  "destination versioning suspended, cross-account",
		setup: built(pair{cross: true, dst: []bucketOpt{suspended()}}),
		exit:  1,
		want:  fails("DstBucketUnversioned"),
		pass:  []string{"DstPutObjNotPermitted"},
	},
	{
		// SrcBucketReplicationConfigMissing: the bucket has no replication
		// configuration and none is proposed.
		name:  "no replication configuration",
		setup: built(pair{noConfig: true}),
		exit:  1,
		want:  fails("SrcBucketReplicationConfigMissing"),
	},
	{
		// SrcBucketNotFound: the source bucket does not exist.
		name: "source bucket missing",
		setup: func(w *world) []string {
			return []string{"--source", "e2e-nowhere"}
		},
		// Nothing else can be read, and S3 reports SrcBucketNotFound alone:
		// every other check skips, pointing at it, and none passes.
		exit:   1,
		want:   fails("SrcBucketNotFound"),
		others: "skip",
	},
	{
		// AssumeRoleNotPermitted: the configuration names a role that does
		// not exist, so S3 cannot assume it.
		name: "role missing",
		setup: func(w *world) []string {
			args := w.build(pair{})
			w.deleteRole(roleName)
			return args
		},
		exit: 1,
		want: fails("AssumeRoleNotPermitted"),
	},
	{
		// AssumeRoleNotPermitted: the trust policy trusts EC2, not S3.
		name:  "trust policy for the wrong service",
		setup: built(pair{role: []roleOpt{trusting("ec2.amazonaws.com")}}),
		exit:  1,
		want:  fails("AssumeRoleNotPermitted"),
		pass:  []string{"DstPutObjNotPermitted"},
	},
	{
		// AssumeRoleNotPermitted: the role was created under /service-role/,
		// so its ARN is role/service-role/replication; the configuration's
		// role/replication names no role, although GetRole by name finds it.
		name:  "role path mismatch",
		setup: built(pair{role: []roleOpt{rolePath("/service-role/")}}),
		exit:  1,
		want:  fails("AssumeRoleNotPermitted"),
	},
	{
		// DstPutObjNotPermitted: the role policy lacks s3:ReplicateObject,
		// which every write of a replica (multipart steps, ACLs and tags
		// included) needs.
		name:  "role lacks s3:ReplicateObject",
		setup: built(pair{drop: []string{"s3:ReplicateObject"}}),
		exit:  1,
		want:  fails(dstWrites...),
		pass:  []string{"SrcGetObjNotPermitted", "AssumeRoleNotPermitted"},
	},
	{
		// SrcGetObjNotPermitted: without s3:GetObjectVersionForReplication
		// S3 can neither read the source versions nor their metadata
		// (SrcHeadObjectNotPermitted).
		name:  "role lacks s3:GetObjectVersionForReplication",
		setup: built(pair{drop: []string{"s3:GetObjectVersionForReplication"}}),
		exit:  1,
		want:  fails("SrcGetObjNotPermitted", "SrcHeadObjectNotPermitted"),
		pass:  []string{"DstPutObjNotPermitted"},
	},
	{
		// SrcGetTaggingNotPermitted passes: without s3:GetObjectVersionTagging
		// AWS says S3 "replicates the objects, but not the object tags"
		// (setting-repl-config-perm-overview.html), and no object the rule
		// replicates is known to be tagged.
		name:  "role lacks s3:GetObjectVersionTagging",
		setup: built(pair{drop: []string{"s3:GetObjectVersionTagging"}}),
		exit:  0,
		pass:  []string{"SrcGetTaggingNotPermitted", "SrcGetObjNotPermitted", "DstPutTaggingNotPermitted"},
	},
	{
		// DstPutTaggingNotPermitted passes without s3:ReplicateTags: AWS says
		// s3:ReplicateObject "also allow[s] replication of metadata such as
		// object tags", so "you do not need to explicitly grant permission
		// for the s3:ReplicateTags action".
		name:  "role lacks s3:ReplicateTags, cross-account",
		setup: built(pair{cross: true, drop: []string{"s3:ReplicateTags"}}),
		exit:  0,
		pass:  []string{"DstPutTaggingNotPermitted", "DstPutObjNotPermitted"},
	},
	{
		// DstPutObjNotPermitted (and the other destination writes): the
		// permissions boundary allows only the source-side reads, so no
		// s3:Replicate* action is effective whatever the role policy says.
		name: "permissions boundary without s3:Replicate*",
		setup: built(pair{role: []roleOpt{boundary(policy(
			allow(sourceBucketActions, "arn:aws:s3:::"+srcBucket),
			allow(sourceObjectActions, "arn:aws:s3:::"+srcBucket+"/*"),
		))}}),
		exit: 1,
		want: fails(dstWrites...),
		pass: []string{"SrcGetObjNotPermitted", "SrcGetTaggingNotPermitted"},
	},
	{
		// DstPutObjNotPermitted across accounts: the role's policy allows the
		// writes, but the destination bucket has no policy, and across
		// accounts both sides must allow.
		name: "cross-account without destination bucket policy",
		setup: func(w *world) []string {
			args := w.build(pair{cross: true})
			w.deleteBucketPolicy(dstAccount, dstBucket)
			return args
		},
		exit: 1,
		want: fails(dstWrites...),
		pass: []string{"SrcGetObjNotPermitted", "DstBucketUnversioned"},
	},
	{
		// DstPutObjNotPermitted: the destination bucket policy denies every
		// request that does not come through a VPC endpoint; S3 replicates
		// from its own network, without aws:SourceVpce, so the Deny applies.
		name: "cross-account destination policy denies outside a VPC endpoint",
		setup: built(pair{cross: true, dst: []bucketOpt{withPolicy(destinationPolicy(dstBucket, roleARN, statement{
			Sid: "OnlyThroughVpce", Effect: "Deny", Principal: "*", Action: []string{"s3:*"},
			Resource:  []string{"arn:aws:s3:::" + dstBucket, "arn:aws:s3:::" + dstBucket + "/*"},
			Condition: map[string]any{"StringNotEquals": map[string]string{"aws:SourceVpce": "vpce-0123456789abcdef0"}},
		}))}}),
		exit: 1,
		want: fails(dstWrites...),
		pass: []string{"SrcGetObjNotPermitted"},
	},
	{
		// DstBucketNotFound: the proposed configuration (--config) names a
		// destination bucket that does not exist. The checks that read the
		// destination skip, pointing at DstBucketNotFound; none passes.
		name:  "destination bucket missing",
		setup: built(pair{useConfig: true, target: "e2e-nowhere"}),
		exit:  1,
		want:  fails("DstBucketNotFound"),
	},
	{
		// DstBucketObjectLockConfigMissing: the source has Object Lock, the
		// destination does not, and S3 cannot replicate locked objects
		// into it.
		name:  "source Object Lock, destination unlocked",
		setup: built(pair{src: []bucketOpt{objectLocked()}}),
		exit:  1,
		want:  fails("DstBucketObjectLockConfigMissing"),
		pass:  []string{"SrcGetRetentionNotPermitted", "SrcGetLegalHoldNotPermitted"},
	},
	{
		// SrcGetRetentionNotPermitted: with Object Lock on both sides S3
		// reads each version's retention, which needs s3:GetObjectRetention.
		name:  "Object Lock on both, role lacks s3:GetObjectRetention",
		setup: built(pair{src: []bucketOpt{objectLocked()}, dst: []bucketOpt{objectLocked()}, drop: []string{"s3:GetObjectRetention"}}),
		exit:  1,
		want:  fails("SrcGetRetentionNotPermitted"),
		pass:  []string{"DstBucketObjectLockConfigMissing", "SrcGetLegalHoldNotPermitted", "DstPutRetentionNotPermitted"},
	},
	{
		// DstPutRetentionNotPermitted (warn): AWS's failure table says
		// s3:PutObjectRetention "might be missing", its Object Lock page asks
		// only two source-side permissions for replication; where AWS's pages
		// disagree replcheck warns.
		name:  "Object Lock on both, role lacks s3:PutObjectRetention",
		setup: built(pair{src: []bucketOpt{objectLocked()}, dst: []bucketOpt{objectLocked()}, drop: []string{"s3:PutObjectRetention"}}),
		exit:  0,
		want:  warns("DstPutRetentionNotPermitted"),
		pass:  []string{"SrcGetRetentionNotPermitted", "DstPutLegalHoldNotPermitted"},
	},
	{
		// SrcGetLegalHoldNotPermitted: with Object Lock on both sides S3
		// reads each version's legal hold, which needs s3:GetObjectLegalHold.
		name:  "Object Lock on both, role lacks s3:GetObjectLegalHold",
		setup: built(pair{src: []bucketOpt{objectLocked()}, dst: []bucketOpt{objectLocked()}, drop: []string{"s3:GetObjectLegalHold"}}),
		exit:  1,
		want:  fails("SrcGetLegalHoldNotPermitted"),
		pass:  []string{"SrcGetRetentionNotPermitted", "DstPutLegalHoldNotPermitted"},
	},
	{
		// DstVersionNotFound (warn): the destination expires noncurrent
		// versions after a day and the source keeps them, so replicas of
		// metadata changes may find their version gone.
		name:  "destination expires noncurrent versions sooner than the source",
		setup: built(pair{dst: []bucketOpt{expireNoncurrent(1)}}),
		exit:  0,
		want:  warns("DstVersionNotFound"),
	},
	{
		// DuplicateRulePriority: two rules share Priority 1, which S3
		// rejects.
		name: "two rules with the same priority",
		setup: built(pair{useConfig: true, more: []snapshot.ReplicationRule{func() snapshot.ReplicationRule {
			r := rule("logs", dstBucket)
			r.Filter.Prefix = ptr("logs/")
			return r
		}()}, rule: func(r *snapshot.ReplicationRule) { r.Filter.Prefix = ptr("photos/") }}),
		exit: 1,
		want: fails("DuplicateRulePriority"),
		pass: []string{"OverlappingRules"},
	},
	{
		// OverlappingRules (warn): two rules to the same destination select
		// photos/ and photos/raw/; only the higher priority applies where
		// they overlap.
		name: "two rules with overlapping prefixes",
		setup: built(pair{useConfig: true, more: []snapshot.ReplicationRule{func() snapshot.ReplicationRule {
			r := rule("raw", dstBucket)
			r.Priority, r.Filter.Prefix = ptr(2), ptr("photos/raw/")
			return r
		}()}, rule: func(r *snapshot.ReplicationRule) { r.Filter.Prefix = ptr("photos/") }}),
		exit: 0,
		want: warns("OverlappingRules"),
		pass: []string{"DuplicateRulePriority"},
	},
	{
		// DstKmsKeyInvalidState: the replica key is Disabled.
		name: "replica KMS key disabled",
		setup: func(w *world) []string {
			return w.build(pair{useConfig: true, rule: replicaKey(w.key(disabled()))})
		},
		exit: 1,
		want: fails("DstKmsKeyInvalidState"),
		pass: []string{"DstKmsKeyNotFound", "ReplicaKmsKeyIsAlias", "ReplicaKmsKeyWrongRegion", "SseKmsWithoutReplicaKey"},
	},
	{
		// DstKmsKeyInvalidState: the replica key is pending deletion.
		name: "replica KMS key pending deletion",
		setup: func(w *world) []string {
			return w.build(pair{useConfig: true, rule: replicaKey(w.key(pendingDeletion()))})
		},
		exit: 1,
		want: fails("DstKmsKeyInvalidState"),
		pass: []string{"DstKmsKeyNotFound"},
	},
	{
		// DstKmsKeyNotFound: the replica key ARN names no key (in the
		// account and Region that the CLI can read). No permission can be
		// granted on a key that does not exist, so the replica-write checks
		// skip instead of reporting the same failure again.
		name: "replica KMS key does not exist",
		setup: built(pair{useConfig: true,
			rule: replicaKey("arn:aws:kms:" + home + ":" + srcAccount + ":key/00000000-1111-2222-3333-444444444444")}),
		exit: 1,
		want: fails("DstKmsKeyNotFound"),
		pass: []string{"ReplicaKmsKeyWrongRegion"},
	},
	{
		// ReplicaKmsKeyWrongRegion: the replica key is in us-west-2, the
		// destination bucket in us-east-1; S3 looks for the key in the
		// destination's Region and does not find it (DstKmsKeyNotFound).
		name: "replica KMS key in the wrong Region",
		setup: func(w *world) []string {
			return w.build(pair{useConfig: true, rule: replicaKey(w.key(keyIn(srcAccount, away)))})
		},
		exit: 1,
		want: fails("ReplicaKmsKeyWrongRegion", "DstKmsKeyNotFound"),
	},
	{
		// ReplicaKmsKeyIsAlias (warn): the replica key is named by alias;
		// S3 wants the key ARN.
		name: "replica KMS key given as an alias",
		setup: func(w *world) []string {
			w.key(alias("alias/e2e-replicas"))
			return w.build(pair{useConfig: true, rule: replicaKey("alias/e2e-replicas")})
		},
		exit: 0,
		want: warns("ReplicaKmsKeyIsAlias"),
		pass: []string{"DstKmsKeyInvalidState"},
	},
	{
		// DstPutObjNotPermitted: the key policy grants only another
		// principal and has no root statement delegating to IAM, so the
		// role's kms:Encrypt is not allowed by the key. The multipart steps,
		// on which AWS documents nothing for KMS, warn.
		name: "replica key policy without the role or root delegation",
		setup: func(w *world) []string {
			other := statement{Sid: "OnlyAdmin", Effect: "Allow", Principal: map[string]string{"AWS": "arn:aws:iam::" + srcAccount + ":role/key-admin"},
				Action: []string{"kms:*"}, Resource: []string{"*"}}
			return w.build(pair{useConfig: true, rule: replicaKey(w.key(keyPolicy(policy(other))))})
		},
		exit: 1,
		want: append(fails("DstPutObjNotPermitted"), warns("DstMultipartInitNotPermitted", "DstMultipartPartUploadNotPermitted", "DstMultipartCompleteNotPermitted")...),
		pass: []string{"DstKmsKeyInvalidState", "SrcGetObjNotPermitted", "DstPutTaggingNotPermitted"},
	},
	{
		// SrcKmsKeyInvalidState: the rule replicates SSE-KMS objects and the
		// source bucket encrypts them with a Disabled key, which S3 cannot
		// decrypt with.
		name: "source default KMS key disabled",
		setup: func(w *world) []string {
			return w.build(pair{useConfig: true, src: []bucketOpt{defaultKMS(w.key(disabled()))}, rule: replicaKey(w.key())})
		},
		exit: 1,
		want: fails("SrcKmsKeyInvalidState"),
		pass: []string{"DstKmsKeyInvalidState", "KmsObjectsNotReplicated"},
	},
	{
		// KmsObjectsNotReplicated (warn): the source encrypts with SSE-KMS by
		// default, but the rule does not opt SSE-KMS objects in, so S3
		// silently skips them.
		name: "source default SSE-KMS without SseKmsEncryptedObjects",
		setup: func(w *world) []string {
			return w.build(pair{src: []bucketOpt{defaultKMS(w.key())}})
		},
		exit: 0,
		want: warns("KmsObjectsNotReplicated"),
	},
	{
		// SseKmsWithoutReplicaKey: the rule opts SSE-KMS objects in but names
		// no replica key, which S3 rejects.
		name: "SseKmsEncryptedObjects without a replica key",
		setup: built(pair{useConfig: true, rule: func(r *snapshot.ReplicationRule) {
			replicaKey("")(r)
			r.Destination.EncryptionConfiguration = nil
		}}),
		exit: 1,
		want: fails("SseKmsWithoutReplicaKey"),
	},
	{
		// OwnerOverrideAccountMismatch: the owner override names account
		// 333333333333, but the destination bucket belongs to 222222222222.
		// Destination.Account naming another owner also means the intended
		// bucket is gone and its name taken (DstBucketNotFound).
		name: "owner override with the wrong account",
		setup: built(pair{cross: true, useConfig: true, rule: func(r *snapshot.ReplicationRule) {
			r.Destination.Account = "333333333333"
			r.Destination.AccessControlTranslation = &snapshot.AccessControlTranslation{Owner: "Destination"}
		}}),
		exit: 1,
		want: fails("OwnerOverrideAccountMismatch", "DstBucketNotFound"),
	},
	{
		// ReplicaOwnedBySourceAccount (warn): across accounts, without
		// BucketOwnerEnforced on the destination or an owner override, the
		// replicas stay owned by the source account.
		name:  "cross-account replicas owned by the source account",
		setup: built(pair{cross: true, dst: []bucketOpt{objectWriter()}}),
		exit:  0,
		want:  warns("ReplicaOwnedBySourceAccount"),
	},
	{
		// InvalidRuleSchema: a V1 rule (Prefix, no Filter) cannot carry
		// DeleteMarkerReplication.
		name: "V1 rule with DeleteMarkerReplication",
		setup: built(pair{useConfig: true, rule: func(r *snapshot.ReplicationRule) {
			r.Filter, r.Priority, r.Prefix = nil, nil, ptr("")
		}}),
		exit: 1,
		want: fails("InvalidRuleSchema"),
	},
	{
		// DeleteMarkerReplicationWithTagFilter: S3 rejects a rule that
		// replicates delete markers and filters on a tag.
		name: "delete marker replication with a tag filter",
		setup: built(pair{useConfig: true, rule: func(r *snapshot.ReplicationRule) {
			r.Filter = &snapshot.ReplicationRuleFilter{Tag: &snapshot.Tag{Key: "replicate", Value: "yes"}}
			r.DeleteMarkerReplication.Status = "Enabled"
		}}),
		exit: 1,
		want: fails("DeleteMarkerReplicationWithTagFilter"),
		pass: []string{"DstDelObjNotPermitted"},
	},
	{
		// DstDelObjNotPermitted: the rule replicates delete markers, but the
		// role lacks s3:ReplicateDelete.
		name: "delete markers replicated, role lacks s3:ReplicateDelete",
		setup: built(pair{useConfig: true, drop: []string{"s3:ReplicateDelete"}, rule: func(r *snapshot.ReplicationRule) {
			r.DeleteMarkerReplication.Status = "Enabled"
		}}),
		exit: 1,
		want: fails("DstDelObjNotPermitted"),
		pass: []string{"DstPutObjNotPermitted"},
	},
	{
		// InvalidReplicationTime: Replication Time Control requires metrics.
		name: "replication time control without metrics",
		setup: built(pair{useConfig: true, rule: func(r *snapshot.ReplicationRule) {
			r.Destination.Metrics = nil
			r.Destination.ReplicationTime = &snapshot.ReplicationTime{Status: "Enabled", Time: &snapshot.ReplicationMinutes{Minutes: 15}}
		}}),
		exit: 1,
		want: append(fails("InvalidReplicationTime"), warns("ReplicationMetricsDisabled")...),
	},
	{
		// ReplicationMetricsDisabled (warn): without metrics, replication
		// failures go unnoticed.
		name: "metrics disabled",
		setup: built(pair{rule: func(r *snapshot.ReplicationRule) {
			r.Destination.Metrics = &snapshot.Metrics{Status: "Disabled"}
		}}),
		exit: 0,
		want: warns("ReplicationMetricsDisabled"),
	},
	{
		// SrcGetAclNotPermitted (warn): moto's default ownership is
		// ObjectWriter, so ACLs are in force and replicate; the preflight
		// cannot tell without --objects whether objects carry ACLs.
		name:  "source ownership ObjectWriter",
		setup: built(pair{src: []bucketOpt{objectWriter()}}),
		exit:  0,
		want:  warns("SrcGetAclNotPermitted"),
	},
	{
		// SrcObjectNotEligible: --objects samples the source, and a GLACIER
		// object is not replicated.
		name: "sampled GLACIER object",
		setup: func(w *world) []string {
			args := w.build(pair{})
			w.object(srcBucket, "photos/cold.jpg", s3types.StorageClassGlacier)
			w.object(srcBucket, "photos/warm.jpg", "")
			return append(args, "--objects", "10")
		},
		exit: 1,
		want: fails("SrcObjectNotEligible"),
		pass: []string{"KmsObjectsNotReplicated"},
	},
	{
		// InitiateReplicationNotPermitted: a Batch Replication job role needs
		// s3:InitiateReplication on the source objects; this one lacks it.
		name: "batch job role lacks s3:InitiateReplication",
		setup: func(w *world) []string {
			args := w.build(pair{})
			return append(args, "--batch", "--batch-role", w.batchRole("s3:InitiateReplication"))
		},
		exit: 1,
		want: fails("InitiateReplicationNotPermitted"),
		pass: []string{"SrcBucketInvalidRegion"},
	},
	{
		// SrcBucketInvalidRegion: the Batch Replication job would be created
		// in us-west-2 (--region), but the source bucket is in us-east-1.
		name: "batch job in another Region than the source",
		setup: func(w *world) []string {
			args := w.build(pair{})
			return append(args, "--batch", "--batch-role", w.batchRole(), "--region", away)
		},
		exit: 1,
		want: fails("SrcBucketInvalidRegion"),
		pass: []string{"InitiateReplicationNotPermitted", "DstBucketInvalidRegion"},
	},
	{
		// SrcObjectNotFound: a sampled version was deleted between the
		// listing and the read (HEAD answers 404, injected: moto cannot
		// stage the race), and no other version of the key is left.
		name: "sampled version deleted",
		setup: func(w *world) []string {
			args := w.build(pair{})
			w.object(srcBucket, "photos/gone.jpg", "")
			return append(args, "--objects", "10")
		},
		inject: func(p *motoserver.Proxy) {
			p.Inject(motoserver.Injection{
				Match: func(r *http.Request) bool {
					return r.Method == http.MethodHead && r.URL.Path == "/"+srcBucket+"/photos/gone.jpg"
				},
				Respond: func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotFound) },
			})
		},
		exit: 1,
		want: fails("SrcObjectNotFound"),
		pass: []string{"KmsObjectsNotReplicated"},
	},
	{
		// DstObjectHardDeleted: a Batch Replication job without a status
		// filter selects versions S3 already replicated (their HEAD says
		// x-amz-replication-status: COMPLETED, injected: moto never
		// replicates), and the destination has no replica with that version
		// ID (HeadObject answers 404): Batch Replication cannot replicate
		// it again.
		name: "batch job selects replicated versions",
		setup: func(w *world) []string {
			args := w.build(pair{})
			w.object(srcBucket, "photos/done.jpg", "")
			return append(args, "--objects", "10", "--batch", "--batch-role", w.batchRole())
		},
		inject: func(p *motoserver.Proxy) {
			p.Inject(motoserver.Injection{
				Match: func(r *http.Request) bool {
					return r.Method == http.MethodHead && r.URL.Path == "/"+srcBucket+"/photos/done.jpg"
				},
				Respond: withHeader(moto.Endpoint, "x-amz-replication-status", "COMPLETED"),
			})
		},
		exit: 1,
		want: fails("DstObjectHardDeleted"),
		pass: []string{"SrcObjectNotEligible", "InitiateReplicationNotPermitted", "SrcReplicationNotPending"},
	},
	{
		// Unknown, never pass: the destination bucket policy cannot be read
		// (AccessDenied, injected by a proxy because moto allows every
		// cross-account read), so whether the destination lets the role
		// write is undecided: exit 3.
		name:  "cross-account destination policy unreadable",
		setup: built(pair{cross: true}),
		inject: func(p *motoserver.Proxy) {
			p.Inject(motoserver.Injection{
				Match: func(r *http.Request) bool {
					return r.Method == http.MethodGet && r.URL.Path == "/"+dstBucket && r.URL.Query().Has("policy")
				},
				Respond: func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "application/xml")
					w.WriteHeader(http.StatusForbidden)
					_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` +
						`<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>E2E</RequestId></Error>`))
				},
			})
		},
		exit: 3,
		want: unknowns(append([]string{"StalePolicyPrincipal"}, dstWrites...)...),
		pass: []string{"DstBucketUnversioned", "SrcGetObjNotPermitted"},
	},
}

func TestScenarios(t *testing.T) {
	if len(scenarios) < 25 {
		t.Fatalf("%d scenarios; the issue asks for at least 25", len(scenarios))
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			w := newWorld(t)
			args := sc.setup(w)
			endpoint := w.endpoint
			if sc.inject != nil {
				p, err := motoserver.NewProxy(w.endpoint, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer p.Close()
				sc.inject(p)
				endpoint = p.URL
			}
			r := w.preflight(endpoint, args...)
			checkCalls(t, r)
			if r.code != sc.exit {
				t.Errorf("exit %d, want %d", r.code, sc.exit)
			}
			if r.doc == nil {
				t.Fatalf("no report\n%s", r.dump())
			}
			checkDocument(t, r)
			want := slices.Clone(sc.want)
			slices.Sort(want)
			got := r.decided()
			if sc.others != "" {
				got = slices.DeleteFunc(got, func(k string) bool { return strings.HasSuffix(k, " "+sc.others) })
				for _, f := range r.doc.Findings {
					if !slices.Contains(want, f.key()) && f.Status != sc.others {
						t.Errorf("%s: %s, want %s", f.Reason, f.Status, sc.others)
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("fail/warn/unknown findings:\n got %q\nwant %q", got, want)
			}
			// A reason predicted to fail, warn or be undecided never also
			// passes (for another rule or destination).
			for _, k := range want {
				reason, _, _ := strings.Cut(k, " ")
				if slices.Contains(r.status(reason), "pass") {
					t.Errorf("%s: statuses %q, want no pass", reason, r.status(reason))
				}
			}
			for _, reason := range sc.pass {
				if st := r.status(reason); len(st) == 0 || slices.ContainsFunc(st, func(s string) bool { return s != "pass" }) {
					t.Errorf("%s: statuses %q, want pass", reason, st)
				}
			}
			if sc.once != nil {
				checkOnce(t, r, *sc.once)
			}
			if t.Failed() {
				t.Log(r.dump())
			}
		})
	}
}

// withHeader forwards a request to target and adds a header to the
// answer.
func withHeader(target, name, value string) http.HandlerFunc {
	u, err := url.Parse(target)
	if err != nil {
		panic(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ModifyResponse = func(resp *http.Response) error {
		resp.Header.Set(name, value)
		return nil
	}
	return rp.ServeHTTP
}

// checkDocument checks the report's envelope: schema version, source, and
// a summary that counts the findings.
func checkDocument(t *testing.T, r result) {
	t.Helper()
	d := r.doc
	if d.SchemaVersion != 1 {
		t.Errorf("schemaVersion %d, want 1", d.SchemaVersion)
	}
	count := map[string]int{}
	for _, f := range d.Findings {
		count[f.Status]++
		if f.Reason == "" || f.Message == "" || f.Aliases == nil || f.Evidence == nil {
			t.Errorf("finding %+v lacks a reason, message, aliases or evidence", f)
		}
		if (f.Status == "fail" || f.Status == "warn") && f.Remediation == "" {
			t.Errorf("%s %s has no remediation", f.Reason, f.Status)
		}
	}
	for _, s := range []string{"fail", "warn", "pass", "unknown", "skip"} {
		if d.Summary[s] != count[s] {
			t.Errorf("summary %s = %d, but %d findings have that status", s, d.Summary[s], count[s])
		}
	}
	if d.Source.Bucket == srcBucket && (d.Source.Account != srcAccount || d.Source.Region != home) {
		t.Errorf("source %+v, want account %s, Region %s", d.Source, srcAccount, home)
	}
}

// checkOnce checks that a healthy run fetched each fact once: one read of
// each bucket fact per bucket, of each role per role, of each identity per
// set of credentials.
func checkOnce(t *testing.T, r result, n reads) {
	t.Helper()
	want := map[string]int{
		"s3:GetBucketReplication": 1,
		"iam:GetRole":             n.roles, "iam:ListRolePolicies": n.roles, "iam:ListAttachedRolePolicies": n.roles,
		"sts:GetCallerIdentity": 1, "s3:ListBuckets": n.sides, "sts:AssumeRole": n.sides - 1, // an assumed role's account is in its ARN
	}
	for _, op := range []string{"s3:HeadBucket", "s3:GetBucketVersioning", "s3:GetObjectLockConfiguration", "s3:GetBucketEncryption",
		"s3:GetBucketPolicy", "s3:GetBucketOwnershipControls", "s3:GetBucketRequestPayment", "s3:GetBucketLifecycleConfiguration"} {
		want[op] = n.buckets
	}
	for op, w := range want {
		if got := r.calls[op]; got != w {
			t.Errorf("%s called %d times, want %d (once per %s)", op, got, w, unit(op))
		}
	}
}

func unit(op string) string {
	switch {
	case strings.HasPrefix(op, "iam:"):
		return "role"
	case strings.HasPrefix(op, "sts:"), op == "s3:ListBuckets":
		return "set of credentials"
	case op == "s3:GetBucketReplication":
		return "source"
	}
	return "bucket"
}
