package checks

import (
	"fmt"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// SrcReplicationNotPending predicts Batch Replication entries for versions
// that were already replicated.
var SrcReplicationNotPending = &Check{
	Reason: "SrcReplicationNotPending",
	Scope:  ScopeBatch,
	Title:  "the Batch Replication job selects versions that are already replicated",
	Why: "AWS reports this reason when \"Amazon S3 has already replicated this object. This object is no longer " +
		"pending replication.\" A Batch Replication job whose manifest selects COMPLETED versions (an " +
		"ObjectReplicationStatuses filter with COMPLETED, or none) can hit it for versions already at the " +
		"destination. AWS does not document exactly when re-replicating a COMPLETED version is refused, so " +
		"replcheck only warns. REPLICA versions are not counted: Batch Replication replicates replicas on purpose " +
		"when REPLICA is selected.",
	Predicts: "when the Batch job selects COMPLETED versions, counts the sampled versions under the rule's prefix " +
		"whose ReplicationStatus is COMPLETED and that were not found missing at the destination (those are " +
		"DstObjectHardDeleted's).",
	Fix: "select only the versions that still need replication: --manifest-generator with " +
		`"Filter":{"EligibleForReplication":true,"ObjectReplicationStatuses":["NONE","FAILED"]}`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html",
	Run: func(t *Target) Outcome {
		job, o := t.plannedBatchJob()
		if o != nil {
			return *o
		}
		filter := "batch job -> " + batchStatusFilter(job)
		if !batchJobSelects(job, "COMPLETED") {
			return pass("the Batch Replication job does not select COMPLETED versions ("+batchStatusFilter(job)+")", filter)
		}
		objs, o := t.sampledInRule()
		if o != nil {
			return *o
		}
		dst, _ := snapshot.BucketFromARN(t.DestARN)
		var done, unread []string
		var evidence []string
		for _, v := range objs {
			if !v.MetadataRead() {
				unread = append(unread, t.versionName(v))
				evidence = append(evidence, t.versionEvidence(v, v.Exists.Why()))
				continue
			}
			if present, read := v.PresentAt[dst]; isCompleted(v.ReplicationStatus) && (present || !read) {
				done = append(done, t.versionName(v))
				evidence = append(evidence, t.versionEvidence(v, "ReplicationStatus="+v.ReplicationStatus))
			}
		}
		evidence = append(evidence, filter)
		if len(done) > 0 {
			return warn(fmt.Sprintf("the Batch Replication job selects COMPLETED versions, and %d of %d sampled versions under %q are already replicated: S3 may report them as SrcReplicationNotPending (%s)",
				len(done), len(objs), t.Rule.FilterPrefix(), someNames(done)),
				`unless you mean to re-replicate them, create the job with --manifest-generator '{"S3JobManifestGenerator":{"SourceBucket":"`+t.Source().ARN+
					`","EnableManifestOutput":false,"Filter":{"EligibleForReplication":true,"ObjectReplicationStatuses":["NONE","FAILED"]}}}'`,
				evidence...)
		}
		if len(unread) > 0 {
			return unknown(fmt.Sprintf("could not read the replication status of %d sampled versions under %q: %s", len(unread), t.Rule.FilterPrefix(), someNames(unread)), evidence...)
		}
		return pass(fmt.Sprintf("none of the %d sampled versions under %q is already replicated", len(objs), t.Rule.FilterPrefix()), evidence...)
	},
}
