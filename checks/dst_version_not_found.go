package checks

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// DstVersionNotFound warns when destination lifecycle rules remove replica
// versions sooner than the source removes the originals.
var DstVersionNotFound = &Check{
	Reason: "DstVersionNotFound",
	Scope:  ScopeLive,
	Title:  "replica versions may be gone when metadata changes replicate",
	Why: "S3 replicates later changes of an object version's metadata (tags, ACL, Object Lock settings) to the " +
		"replica of that version; when the replica version is gone, replication fails with this reason. Replicas " +
		"keep their source object's creation time, so a destination lifecycle rule that expires or removes versions " +
		"sooner than the source's does removes replicas of versions the source still has and may still change.",
	Predicts: "a risk heuristic: reads s3:GetBucketLifecycleConfiguration on the source and destination buckets " +
		"and warns when the destination's NoncurrentVersionExpiration or Expiration is shorter than the source's " +
		"(or the source has none).",
	Fix:    "lengthen the destination's lifecycle expiration to at least the source's, or remove it",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	Run: func(t *Target) Outcome {
		if t.Dest == nil {
			return unknown("the snapshot has no facts for destination " + t.DestARN)
		}
		src, dst := t.Source(), t.Dest
		dstEvidence := "s3:GetBucketLifecycleConfiguration " + dst.Name + " -> "
		switch {
		case dst.Lifecycle.IsUnknown():
			return unknown("could not read the lifecycle configuration of destination bucket "+dst.Name+": "+dst.Lifecycle.Why(), dstEvidence+dst.Lifecycle.Why())
		case dst.Lifecycle.IsAbsent():
			return pass("destination bucket "+dst.Name+" has no lifecycle rules that remove versions", dstEvidence+"NoSuchLifecycleConfiguration")
		}
		d := dst.Lifecycle.Value
		dstEvidence += lifecycleSummary(d)
		if d.NoncurrentVersionExpirationDays == 0 && d.ExpirationDays == 0 {
			return pass("destination bucket "+dst.Name+" has no lifecycle rules that remove versions", dstEvidence)
		}
		srcEvidence := "s3:GetBucketLifecycleConfiguration " + src.Name + " -> "
		var s snapshot.Lifecycle
		switch {
		case src.Lifecycle.IsUnknown():
			return unknown("destination bucket "+dst.Name+" expires versions, and the lifecycle configuration of source bucket "+src.Name+" could not be read to compare: "+src.Lifecycle.Why(),
				dstEvidence, srcEvidence+src.Lifecycle.Why())
		case src.Lifecycle.IsAbsent():
			srcEvidence += "NoSuchLifecycleConfiguration"
		default:
			s = src.Lifecycle.Value
			srcEvidence += lifecycleSummary(s)
		}
		var sooner []string
		if removesSooner(d.NoncurrentVersionExpirationDays, s.NoncurrentVersionExpirationDays) {
			sooner = append(sooner, fmt.Sprintf("removes noncurrent versions after %d days (source: %s)", d.NoncurrentVersionExpirationDays, lifecycleDays(s.NoncurrentVersionExpirationDays)))
		}
		if removesSooner(d.ExpirationDays, s.ExpirationDays) {
			sooner = append(sooner, fmt.Sprintf("expires current versions after %d days (source: %s)", d.ExpirationDays, lifecycleDays(s.ExpirationDays)))
		}
		if len(sooner) == 0 {
			return pass("destination bucket "+dst.Name+" keeps versions at least as long as source bucket "+src.Name, dstEvidence, srcEvidence)
		}
		return warn("destination bucket "+dst.Name+" "+strings.Join(sooner, " and ")+": replicas keep their source creation time, so metadata changes to older source versions can fail with DstVersionNotFound",
			fmt.Sprintf("lengthen the lifecycle rules of %s to at least the source's (aws s3api get-bucket-lifecycle-configuration --bucket %s, edit, put-bucket-lifecycle-configuration), or remove them", dst.Name, dst.Name),
			dstEvidence, srcEvidence)
	},
}

// removesSooner reports whether a destination removal period removes versions
// sooner than the source's (0 means never).
func removesSooner(dst, src int) bool { return dst > 0 && (src == 0 || dst < src) }

// lifecycleDays renders a removal period.
func lifecycleDays(n int) string {
	if n == 0 {
		return "never"
	}
	return fmt.Sprintf("%d days", n)
}

// lifecycleSummary renders a lifecycle for evidence.
func lifecycleSummary(l snapshot.Lifecycle) string {
	return fmt.Sprintf("NoncurrentVersionExpiration=%s Expiration=%s", lifecycleDays(l.NoncurrentVersionExpirationDays), lifecycleDays(l.ExpirationDays))
}
