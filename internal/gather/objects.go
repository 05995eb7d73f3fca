package gather

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// objects samples up to n object versions under prefix in the source
// bucket: ListObjectVersions, then HeadObject and GetObjectTagging on each
// version, in parallel.
func (r *run) objects(c *s3.Client, bucket, prefix string, n int) []snapshot.ObjectVersion {
	maxKeys := int32(n)
	out, err := call(r, "s3:ListObjectVersions", func(ctx context.Context) (*s3.ListObjectVersionsOutput, error) {
		return c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: &bucket, Prefix: &prefix, MaxKeys: &maxKeys})
	})
	if err != nil {
		return nil // the object-level checks then report that nothing was sampled
	}
	var objs []snapshot.ObjectVersion
	for _, m := range out.DeleteMarkers {
		objs = append(objs, snapshot.ObjectVersion{Key: deref(m.Key), VersionID: deref(m.VersionId), IsDeleteMarker: true, Exists: snapshot.KnownFact(true)})
	}
	for _, v := range out.Versions {
		objs = append(objs, snapshot.ObjectVersion{Key: deref(v.Key), VersionID: deref(v.VersionId), StorageClass: string(v.StorageClass), Exists: snapshot.KnownFact(true)})
	}
	if len(objs) > n {
		objs = objs[:n]
	}
	fs := make([]func(), 0, len(objs))
	for i := range objs {
		if objs[i].IsDeleteMarker {
			continue
		}
		fs = append(fs, func() { r.describeObject(c, bucket, &objs[i]) })
	}
	parallel(fs...)
	return objs
}

// describeObject fills a version's encryption, storage, replication and
// Object Lock metadata and its tags.
func (r *run) describeObject(c *s3.Client, bucket string, o *snapshot.ObjectVersion) {
	var version *string
	if o.VersionID != "" && o.VersionID != "null" {
		version = &o.VersionID
	}
	parallel(
		func() {
			h, err := call(r, "s3:HeadObject", func(ctx context.Context) (*s3.HeadObjectOutput, error) {
				return c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: &o.Key, VersionId: version})
			})
			switch {
			case err != nil && isNotFound(err):
				o.Exists = snapshot.KnownFact(false)
				return
			case err != nil:
				o.Exists = snapshot.UnknownFact[bool](factError("s3:HeadObject", "s3:GetObjectVersion", err))
				return
			}
			o.Encryption = string(h.ServerSideEncryption)
			o.KMSKeyID = deref(h.SSEKMSKeyId)
			o.BucketKeyEnabled = h.BucketKeyEnabled != nil && *h.BucketKeyEnabled
			if h.StorageClass != "" {
				o.StorageClass = string(h.StorageClass)
			}
			o.ArchiveStatus = string(h.ArchiveStatus)
			o.ReplicationStatus = string(h.ReplicationStatus)
			o.RetentionMode = string(h.ObjectLockMode)
			o.LegalHold = h.ObjectLockLegalHoldStatus == "ON"
		},
		func() {
			t, err := call(r, "s3:GetObjectTagging", func(ctx context.Context) (*s3.GetObjectTaggingOutput, error) {
				return c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: &bucket, Key: &o.Key, VersionId: version})
			})
			if err != nil || len(t.TagSet) == 0 {
				return
			}
			o.Tags = map[string]string{}
			for _, tag := range t.TagSet {
				o.Tags[deref(tag.Key)] = deref(tag.Value)
			}
		},
	)
}
