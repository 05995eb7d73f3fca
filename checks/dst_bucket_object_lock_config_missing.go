package checks

// DstBucketObjectLockConfigMissing predicts failures from a source bucket
// with Object Lock whose destination has none.
var DstBucketObjectLockConfigMissing = &Check{
	Reason: "DstBucketObjectLockConfigMissing",
	Scope:  ScopeLive,
	Title:  "the source bucket has Object Lock but the destination does not",
	Why: "When the source bucket has Object Lock enabled, every destination bucket must have Object Lock enabled " +
		"too, so that replicas keep their retention and legal holds. PutBucketReplication does not check this; " +
		"replication then fails with this reason.",
	Predicts: "reads s3:GetObjectLockConfiguration on the source bucket and, when ObjectLockEnabled is Enabled, " +
		"on each destination bucket: ObjectLockConfigurationNotFoundError or not Enabled fails.",
	Fix:    `aws s3api put-object-lock-configuration --bucket DST --object-lock-configuration '{"ObjectLockEnabled":"Enabled"}'`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html",
	Run: func(t *Target) Outcome {
		src := t.Source()
		srcEvidence := "s3:GetObjectLockConfiguration " + src.Name + " -> "
		switch {
		case src.ObjectLock.IsUnknown():
			return unknown("could not read the Object Lock configuration of source bucket "+src.Name+": "+src.ObjectLock.Why(), srcEvidence+src.ObjectLock.Why())
		case src.ObjectLock.IsAbsent() || !src.ObjectLock.Value.Enabled:
			return skip("source bucket " + src.Name + " does not have Object Lock enabled")
		case t.Dest == nil:
			return unknown("source bucket " + src.Name + " has Object Lock enabled, and the snapshot has no facts for destination " + t.DestARN)
		}
		dst := t.Dest
		srcEvidence += "ObjectLockEnabled=Enabled"
		dstEvidence := "s3:GetObjectLockConfiguration " + dst.Name + " -> "
		fix := "aws s3api put-object-lock-configuration --bucket " + dst.Name + ` --object-lock-configuration '{"ObjectLockEnabled":"Enabled"}'`
		switch {
		case dst.ObjectLock.IsUnknown():
			return unknown("source bucket "+src.Name+" has Object Lock enabled, and the Object Lock configuration of destination bucket "+dst.Name+" could not be read: "+dst.ObjectLock.Why(),
				srcEvidence, dstEvidence+dst.ObjectLock.Why())
		case dst.ObjectLock.IsAbsent():
			return fail("source bucket "+src.Name+" has Object Lock enabled, but destination bucket "+dst.Name+" does not", fix,
				srcEvidence, dstEvidence+"ObjectLockConfigurationNotFoundError")
		case !dst.ObjectLock.Value.Enabled:
			return fail("source bucket "+src.Name+" has Object Lock enabled, but destination bucket "+dst.Name+" does not", fix,
				srcEvidence, dstEvidence+"ObjectLockEnabled not Enabled")
		}
		return pass("source and destination buckets both have Object Lock enabled", srcEvidence, dstEvidence+"ObjectLockEnabled=Enabled")
	},
}
