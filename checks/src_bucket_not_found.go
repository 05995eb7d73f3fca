package checks

// SrcBucketNotFound predicts failures from a source bucket that does not
// exist.
var SrcBucketNotFound = &Check{
	Reason: "SrcBucketNotFound",
	Scope:  ScopeLive,
	Title:  "the source bucket does not exist",
	Why: "S3 reads every object version it replicates from the source bucket. A bucket deleted while " +
		"replication work was queued, or a Batch Replication job or manifest that names a deleted or mistyped " +
		"bucket, makes replication fail with this reason.",
	Predicts: "reads s3:HeadBucket on the source bucket: 404 NoSuchBucket fails; a bucket that could not be " +
		"read (403, no credentials) is unknown.",
	Fix:           "recreate the source bucket, or point the replication configuration or Batch job at the bucket that holds the objects",
	DocURL:        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html#replication-failure-codes",
	WithoutConfig: true,
	Run: func(t *Target) Outcome {
		src := t.Source()
		e := src.Exists
		evidence := "s3:HeadBucket " + src.Name + " -> "
		switch {
		case e.IsUnknown():
			return unknown("could not tell whether source bucket "+src.Name+" exists: "+e.Why(), evidence+e.Why())
		case e.IsAbsent() || !e.Value:
			fix := "create the bucket again (aws s3api create-bucket --bucket " + src.Name + ") with versioning enabled, " +
				"or name the bucket that holds the objects in the replication configuration or Batch job"
			return fail("source bucket "+src.Name+" does not exist", fix, evidence+"404 NoSuchBucket")
		}
		return pass("source bucket "+src.Name+" exists", evidence+"200 OK")
	},
}
