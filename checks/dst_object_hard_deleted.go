package checks

import (
	"fmt"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// DstObjectHardDeleted predicts that Batch Replication is asked to
// re-replicate versions that were deleted by version ID from the
// destination.
var DstObjectHardDeleted = &Check{
	Reason: "DstObjectHardDeleted",
	Scope:  ScopeBatch,
	Title:  "the Batch Replication job would re-replicate versions deleted from the destination by version ID",
	Why: "Replicas keep their source version IDs. When a replica was deleted from the destination by version ID, " +
		"S3 Batch Replication does not re-replicate it: a job that selects COMPLETED objects reports those versions " +
		"with this reason. Deleting and recreating the destination bucket does not start replication either.",
	Predicts: "among the sampled source versions under the rule's prefix, looks for ReplicationStatus COMPLETED " +
		"versions that are absent from the destination bucket (same version ID), when the Batch job selects " +
		"COMPLETED objects (or has no ObjectReplicationStatuses filter). A COMPLETED version whose presence at the " +
		"destination was not read is unknown.",
	Fix: "copy the versions in place on the source (aws s3api copy-object, or an S3 Batch Operations Copy job) so " +
		"live replication sends new versions, or leave COMPLETED out of the job's ObjectReplicationStatuses",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html",
	Run: func(t *Target) Outcome {
		job, o := t.plannedBatchJob()
		if o != nil {
			return *o
		}
		if !batchJobSelects(job, "COMPLETED") {
			return pass("the Batch Replication job does not select COMPLETED objects ("+batchStatusFilter(job)+"), so it re-replicates no deleted replica",
				"batch job -> "+batchStatusFilter(job))
		}
		objs, o := t.sampledInRule()
		if o != nil {
			return *o
		}
		dst, _ := snapshot.BucketFromARN(t.DestARN)
		var completed int
		var gone, unread []string
		var evidence []string
		for _, v := range objs {
			if !v.MetadataRead() {
				unread = append(unread, t.versionName(v)+" (its replication status)")
				evidence = append(evidence, t.versionEvidence(v, v.Exists.Why()))
				continue
			}
			if !isCompleted(v.ReplicationStatus) {
				continue
			}
			completed++
			present, read := v.PresentAt[dst]
			switch {
			case !read:
				unread = append(unread, t.versionName(v))
				evidence = append(evidence, t.versionEvidence(v, "ReplicationStatus="+v.ReplicationStatus+"; presence in "+dst+" not read"))
			case !present:
				gone = append(gone, t.versionName(v))
				evidence = append(evidence, t.versionEvidence(v, "ReplicationStatus="+v.ReplicationStatus+"; s3:ListObjectVersions "+dst+" -> version absent"))
			}
		}
		evidence = append(evidence, "batch job -> "+batchStatusFilter(job))
		switch {
		case len(gone) > 0:
			return fail(fmt.Sprintf("%d of %d sampled COMPLETED versions under %q are gone from %s (deleted by version ID), and the Batch job selects COMPLETED objects: %s",
				len(gone), completed, t.Rule.FilterPrefix(), dst, someNames(gone)),
				fmt.Sprintf("Batch Replication cannot restore them: run an S3 Batch Operations Copy job in place on %s for these keys (aws s3control create-job --operation '{\"S3PutObjectCopy\":{\"TargetResource\":\"%s\"}}' ...), which writes new versions that live replication sends, and leave COMPLETED out of the Batch Replication job's ObjectReplicationStatuses",
					t.Source().Name, t.Source().ARN),
				evidence...)
		case len(unread) > 0:
			return unknown(fmt.Sprintf("could not tell whether %d sampled versions were replicated and are still in %s: their replication status or their presence there was not read (%s)", len(unread), dst, someNames(unread)), evidence...)
		case completed == 0:
			return pass(fmt.Sprintf("none of the %d sampled versions under %q is COMPLETED, so none can have been hard-deleted from %s", len(objs), t.Rule.FilterPrefix(), dst), evidence...)
		}
		return pass(fmt.Sprintf("all %d sampled COMPLETED versions under %q are still in %s", completed, t.Rule.FilterPrefix(), dst), evidence...)
	},
}
