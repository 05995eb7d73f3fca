package checks

import (
	"fmt"
	"strings"
)

// ReplicationBeforeVersioning predicts an apply that puts the replication
// configuration before the versioning it needs.
var ReplicationBeforeVersioning = &Check{
	Reason: "ReplicationBeforeVersioning",
	Scope:  ScopeLive,
	Config: true,
	Title:  "the apply may put the replication configuration before enabling the versioning it needs",
	Why: "S3 refuses PutBucketReplication while the source bucket, or a destination bucket in the same account, " +
		"is not versioned (InvalidRequest: Destination bucket must have versioning enabled; " +
		"replication-requirements.html: both buckets must have versioning enabled). Terraform applies resources " +
		"that do not depend on each other in parallel, so when one apply enables versioning and creates the " +
		"replication configuration without an ordering between them, the configuration may be put first. The AWS " +
		"provider retries the source bucket's error for a while, so in practice the destination's versioning fails " +
		"the apply; a second apply then succeeds. The provider's own example declares " +
		"depends_on = [aws_s3_bucket_versioning.source] on aws_s3_bucket_replication_configuration for this reason.",
	Predicts: "only a plan has pending changes: when the apply creates or changes the replication configuration and, " +
		"in the same apply, creates or enables the versioning of the source bucket or of a same-account destination, " +
		"the configuration must depend on that versioning (depends_on, or references followed transitively); other " +
		"sources of facts report skip.",
	Fix:    "add depends_on = [VERSIONING_RESOURCE] to the replication configuration resource",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html",
	Run: func(t *Target) Outcome {
		changes := t.Facts.Snap.Changes
		switch {
		case changes == nil:
			return skip("the facts are the present state: no apply is pending")
		case changes.Replication == nil:
			return pass("the apply does not change the replication configuration")
		}
		repl := changes.Replication
		var needed []string
		for _, v := range changes.Versioning {
			if v.Address == repl.Address || !t.needsVersioningOf(v.Bucket) {
				continue
			}
			if !repl.Waits(v.Address) {
				needed = append(needed, v.Address)
			}
		}
		if len(needed) > 0 {
			what := "which enables the versioning it needs"
			if len(needed) > 1 {
				what = "which enable the versioning it needs"
			}
			return warn(
				fmt.Sprintf("%s may be applied before %s, %s; S3 then refuses it",
					repl.Address, strings.Join(needed, " and "), what),
				fmt.Sprintf("add depends_on = [%s] to %s", strings.Join(needed, ", "), repl.Address),
				fmt.Sprintf("the apply will %s %s, which depends on: %s", repl.Action, repl.Address, dependsOn(repl.DependsOn)))
		}
		return pass(fmt.Sprintf("%s waits for every versioning change it needs", repl.Address))
	},
}

// needsVersioningOf reports whether S3 checks the versioning of bucket
// when the configuration is put: the source bucket's, and a destination's
// unless it is known to be in another account.
func (t *Target) needsVersioningOf(bucket string) bool {
	if bucket == t.Source().Name {
		return true
	}
	if t.Dest == nil || bucket != t.Dest.Name {
		return false
	}
	cross, ok := t.CrossAccount()
	return !ok || !cross
}

func dependsOn(list []string) string {
	if len(list) == 0 {
		return "nothing"
	}
	return strings.Join(list, ", ")
}
