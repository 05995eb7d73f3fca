package checks

import "fmt"

// SrcBucketInvalidRegion predicts that a Batch Replication job is created in
// another Region than the source bucket's.
var SrcBucketInvalidRegion = &Check{
	Reason: "SrcBucketInvalidRegion",
	Scope:  ScopeBatch,
	Title:  "the Batch Replication job is not in the source bucket's Region",
	Why: "S3 Batch Replication must be created in the same Region as the replication source bucket, and an " +
		"S3-generated manifest is stored in that Region too. A job created from another Region fails its " +
		"objects with this reason (\"the source bucket isn't in the same AWS Region as specified by the Batch " +
		"Operations job\").",
	Predicts: "compares the Region the Batch job is created in (--batch, the job's s3control Region) with the " +
		"source bucket's Region from s3:HeadBucket; either one unreadable is unknown.",
	Fix:    "create the Batch Replication job with aws s3control create-job --region SOURCE_REGION",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html",
	Run: func(t *Target) Outcome {
		job, o := t.plannedBatchJob()
		if o != nil {
			return *o
		}
		src := t.Source()
		region := src.Region
		evidence := []string{"s3:HeadBucket " + src.Name + " -> "}
		if region.IsUnknown() {
			evidence[0] += region.Why()
			return unknown("could not read the Region of source bucket "+src.Name+": "+region.Why(), evidence...)
		}
		evidence[0] += "Region=" + region.Value
		if job.Region == "" {
			return unknown("the Region the Batch Replication job is created in was not given", evidence...)
		}
		evidence = append(evidence, "batch job -> Region="+job.Region)
		if job.Region != region.Value {
			account := "SOURCE_ACCOUNT"
			if src.Account.IsKnown() {
				account = src.Account.Value
			}
			return fail(fmt.Sprintf("the Batch Replication job is created in %s but source bucket %s is in %s", job.Region, src.Name, region.Value),
				fmt.Sprintf("create the job in the source Region: aws s3control create-job --region %s --account-id %s --role-arn %s --operation '{\"S3ReplicateObject\":{}}' ...", region.Value, account, job.RoleARN),
				evidence...)
		}
		return pass("the Batch Replication job is created in "+region.Value+", the Region of source bucket "+src.Name, evidence...)
	},
}
