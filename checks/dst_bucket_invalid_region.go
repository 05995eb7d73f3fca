package checks

import (
	"fmt"
	"strings"
)

// DstBucketInvalidRegion predicts that a Batch Replication job cannot reach
// the destination bucket's Region.
var DstBucketInvalidRegion = &Check{
	Reason: "DstBucketInvalidRegion",
	Scope:  ScopeBatch,
	Title:  "the destination bucket's Region is not usable by the Batch Replication job",
	Why: "AWS reports this Batch Replication reason when \"the destination bucket is not in the same AWS Region as " +
		"specified by the Batch Operations job\", without documenting which Region the job specifies for a " +
		"destination. replcheck reads it as: S3 must find the destination bucket in a Region it can act in for the " +
		"source account. Its Region must be readable, and a destination in an opt-in Region (launched after " +
		"March 2019, disabled by default) only works when the source account has enabled that Region. Whether a " +
		"disabled Region is reported under this reason is not documented.",
	Predicts: "reads the destination bucket's Region (s3:HeadBucket x-amz-bucket-region): unreadable is unknown; " +
		"an opt-in Region other than the source bucket's warns, because replcheck does not read the source " +
		"account's Region opt-in status; a Region enabled by default passes.",
	Fix:    "aws account get-region-opt-status --region-name DST_REGION (and aws account enable-region --region-name DST_REGION in the source account if it is DISABLED)",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	Run: func(t *Target) Outcome {
		if _, o := t.plannedBatchJob(); o != nil {
			return *o
		}
		if t.Dest == nil {
			return unknown("the snapshot has no facts for destination " + t.DestARN)
		}
		if t.Dest.Exists.IsKnown() && !t.Dest.Exists.Value {
			return skip("destination bucket " + t.Dest.Name + " does not exist (see DstBucketNotFound)")
		}
		region := t.Dest.Region
		evidence := "s3:HeadBucket " + t.Dest.Name + " -> "
		if region.IsUnknown() {
			return unknown("could not read the Region of destination bucket "+t.Dest.Name+": "+region.Why(), evidence+region.Why())
		}
		evidence += "Region=" + region.Value
		src := t.Source().Region
		if optInRegion(region.Value) && (!src.IsKnown() || src.Value != region.Value) {
			account := "the source account"
			if t.Source().Account.IsKnown() {
				account = "source account " + t.Source().Account.Value
			}
			return warn(fmt.Sprintf("destination bucket %s is in the opt-in Region %s: the Batch Replication job can only replicate there if %s has enabled %s, which replcheck does not read", t.Dest.Name, region.Value, account, region.Value),
				fmt.Sprintf("check with aws account get-region-opt-status --region-name %s in the source account; if it is DISABLED, aws account enable-region --region-name %s", region.Value, region.Value),
				evidence)
		}
		if optInRegion(region.Value) {
			return pass(fmt.Sprintf("destination bucket %s is in %s, the source bucket's Region", t.Dest.Name, region.Value), evidence)
		}
		return pass(fmt.Sprintf("destination bucket %s is in %s, a Region enabled in every account", t.Dest.Name, region.Value), evidence)
	},
}

// defaultRegions are the commercial Regions enabled in every account (those
// launched before 20 March 2019).
var defaultRegions = map[string]bool{
	"us-east-1": true, "us-east-2": true, "us-west-1": true, "us-west-2": true,
	"ca-central-1": true, "sa-east-1": true,
	"eu-west-1": true, "eu-west-2": true, "eu-west-3": true, "eu-central-1": true, "eu-north-1": true,
	"ap-south-1": true, "ap-northeast-1": true, "ap-northeast-2": true, "ap-northeast-3": true,
	"ap-southeast-1": true, "ap-southeast-2": true,
}

// optInRegion reports whether a commercial Region must be enabled before an
// account can use it. Every commercial Region launched since March 2019 is
// opt-in; the China, GovCloud and ISO partitions have no opt-in.
func optInRegion(region string) bool {
	for _, p := range []string{"cn-", "us-gov-", "us-iso"} {
		if strings.HasPrefix(region, p) {
			return false
		}
	}
	return !defaultRegions[region]
}
