package checks

import (
	"slices"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// batchServicePrincipal is the principal S3 Batch Operations assumes the
// job role as.
const batchServicePrincipal = "batchoperations.s3.amazonaws.com"

// plannedBatchJob returns the planned Batch Replication job, or an unknown
// outcome when the snapshot describes none.
func (t *Target) plannedBatchJob() (*snapshot.BatchJob, *Outcome) {
	if job := t.Facts.Snap.Batch; job != nil {
		return job, nil
	}
	o := unknown("no Batch Replication job parameters: pass --batch-role")
	return nil, &o
}

// batchJobSelects reports whether the job's manifest includes objects with
// a replication status. No ObjectReplicationStatuses filter selects every
// status (a user-supplied manifest lists whatever it lists).
func batchJobSelects(job *snapshot.BatchJob, status string) bool {
	return len(job.ReplicationStatuses) == 0 || slices.Contains(job.ReplicationStatuses, status)
}

// batchStatusFilter renders the job's status filter for messages.
func batchStatusFilter(job *snapshot.BatchJob) string {
	if len(job.ReplicationStatuses) == 0 {
		return "no ObjectReplicationStatuses filter"
	}
	return "ObjectReplicationStatuses=" + strings.Join(job.ReplicationStatuses, ",")
}
