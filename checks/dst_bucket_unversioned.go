package checks

import "fmt"

// DstBucketUnversioned predicts failures from a destination bucket whose
// versioning is not Enabled.
var DstBucketUnversioned = &Check{
	Reason: "DstBucketUnversioned",
	Scope:  ScopeLive,
	Title:  "destination bucket versioning is not Enabled",
	Why: "S3 replicates object versions, so the destination bucket must have versioning Enabled. " +
		"PutBucketReplication rejects an unversioned destination, but versioning suspended later, or " +
		"enabled only after the rule in infrastructure code, makes every replication fail with this reason.",
	Predicts: "reads s3:GetBucketVersioning on each destination bucket: Status must be Enabled " +
		"(Suspended fails; never enabled fails).",
	Fix:    "aws s3api put-bucket-versioning --bucket DST --versioning-configuration Status=Enabled",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html",
	Run: func(t *Target) Outcome {
		if t.Dest == nil {
			return unknown("the snapshot has no facts for destination " + t.DestARN)
		}
		v := t.Dest.Versioning
		evidence := fmt.Sprintf("s3:GetBucketVersioning %s -> ", t.Dest.Name)
		fix := "aws s3api put-bucket-versioning --bucket " + t.Dest.Name + " --versioning-configuration Status=Enabled"
		switch {
		case v.IsUnknown():
			return unknown("could not read the versioning of destination bucket "+t.Dest.Name+": "+v.Why(), evidence+v.Why())
		case v.IsAbsent():
			return fail("destination bucket "+t.Dest.Name+" has never had versioning enabled", fix, evidence+"versioning never enabled")
		case v.Value != "Enabled":
			return fail("destination bucket "+t.Dest.Name+" has versioning "+v.Value, fix, evidence+"Status="+v.Value)
		}
		return pass("destination bucket "+t.Dest.Name+" has versioning Enabled", evidence+"Status=Enabled")
	},
}
