package gather

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// objects samples up to n object versions under prefix in the source
// bucket: ListObjectVersions, then HeadObject and GetObjectTagging on each
// version, in parallel. The error says why nothing could be listed.
func (r *run) objects(c *s3.Client, bucket, prefix string, n int) ([]snapshot.ObjectVersion, *snapshot.FactError) {
	maxKeys := int32(n)
	out, err := call(r, "s3:ListObjectVersions", func(ctx context.Context) (*s3.ListObjectVersionsOutput, error) {
		return c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: &bucket, Prefix: &prefix, MaxKeys: &maxKeys})
	})
	if err != nil {
		return nil, factError("s3:ListObjectVersions", "s3:ListBucketVersions", err)
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
	return objs, nil
}

// describeObject fills a version's encryption, storage, replication and
// Object Lock metadata and its tags. Tags that could not be read are
// recorded as unknown (TagsError), never as no tags, unless HeadObject's
// x-amz-tagging-count says the version has none.
func (r *run) describeObject(c *s3.Client, bucket string, o *snapshot.ObjectVersion) {
	version := versionOf(o)
	var tagCount *int32
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
			tagCount = h.TagCount
		},
		func() {
			t, err := call(r, "s3:GetObjectTagging", func(ctx context.Context) (*s3.GetObjectTaggingOutput, error) {
				return c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: &bucket, Key: &o.Key, VersionId: version})
			})
			switch {
			case err != nil:
				o.TagsError = factError("s3:GetObjectTagging", "s3:GetObjectVersionTagging", err)
			case len(t.TagSet) > 0:
				o.Tags = map[string]string{}
				for _, tag := range t.TagSet {
					o.Tags[deref(tag.Key)] = deref(tag.Value)
				}
			}
		},
	)
	gone := o.Exists.IsKnown() && !o.Exists.Value
	if o.TagsError != nil && (gone || tagCount != nil && *tagCount == 0) {
		// A gone version has no tags to replicate; a tag count of zero
		// read by HeadObject leaves none to miss.
		o.TagsError = nil
	}
}

// objectOwners fills OwnedByBucketOwner: each version's owner
// (GetObjectAcl) against the bucket owner (GetBucketAcl). S3 replicates a
// version only when the bucket owner may read it.
func (r *run) objectOwners(c *s3.Client, bucket string, objs []snapshot.ObjectVersion) {
	acl, err := call(r, "s3:GetBucketAcl", func(ctx context.Context) (*s3.GetBucketAclOutput, error) {
		return c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: &bucket})
	})
	if err != nil || acl.Owner == nil {
		why := &snapshot.FactError{Operation: "s3:GetBucketAcl", Code: "NoOwner", Message: "the bucket ACL names no owner"}
		if err != nil {
			why = factError("s3:GetBucketAcl", "s3:GetBucketAcl", err)
		}
		for i := range objs {
			if !objs[i].IsDeleteMarker {
				objs[i].OwnedByBucketOwner = snapshot.UnknownFact[bool](why)
			}
		}
		return
	}
	owner := deref(acl.Owner.ID)
	var fs []func()
	for i := range objs {
		o := &objs[i]
		if o.IsDeleteMarker || !o.Exists.IsKnown() || !o.Exists.Value {
			continue
		}
		fs = append(fs, func() {
			out, err := call(r, "s3:GetObjectAcl", func(ctx context.Context) (*s3.GetObjectAclOutput, error) {
				return c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: &bucket, Key: &o.Key, VersionId: versionOf(o)})
			})
			switch {
			case err != nil:
				o.OwnedByBucketOwner = snapshot.UnknownFact[bool](factError("s3:GetObjectAcl", "s3:GetObjectVersionAcl", err))
			case out.Owner == nil:
				o.OwnedByBucketOwner = snapshot.UnknownFact[bool](&snapshot.FactError{Operation: "s3:GetObjectAcl", Code: "NoOwner", Message: "the object ACL names no owner"})
			default:
				o.OwnedByBucketOwner = snapshot.KnownFact(deref(out.Owner.ID) == owner)
			}
		})
	}
	parallel(fs...)
}

// replicaPresence fills PresentAt for versions S3 reports COMPLETED: a
// HeadObject of the same version ID in each destination whose enabled rule
// selects the key (replicas keep their version IDs). Batch Replication
// cannot re-replicate a version deleted from a destination by version ID.
func (r *run) replicaPresence(cfg *snapshot.ReplicationConfiguration, objs []snapshot.ObjectVersion) {
	type probe struct {
		obj  *snapshot.ObjectVersion
		dest string
		seen *bool
	}
	var probes []probe
	for i := range objs {
		o := &objs[i]
		if o.ReplicationStatus != "COMPLETED" || o.VersionID == "" || o.VersionID == "null" {
			continue
		}
		for _, rule := range cfg.Rules {
			d, ok := snapshot.BucketFromARN(rule.Destination.Bucket)
			if ok && rule.Status == "Enabled" && strings.HasPrefix(o.Key, rule.FilterPrefix()) &&
				!slices.ContainsFunc(probes, func(p probe) bool { return p.obj == o && p.dest == d }) {
				probes = append(probes, probe{obj: o, dest: d, seen: new(bool)})
			}
		}
	}
	known := make([]bool, len(probes))
	fs := make([]func(), len(probes))
	for i, p := range probes {
		fs[i] = func() {
			s := r.readerFor(p.dest, "")
			loc := r.location(s, p.dest)
			if !loc.region.IsKnown() {
				return
			}
			_, err := call(r, "s3:HeadObject", func(ctx context.Context) (*s3.HeadObjectOutput, error) {
				return s.S3(loc.region.Value).HeadObject(ctx, &s3.HeadObjectInput{Bucket: &p.dest, Key: &p.obj.Key, VersionId: &p.obj.VersionID})
			})
			switch {
			case err == nil:
				*p.seen, known[i] = true, true
			case isNotFound(err):
				known[i] = true
			}
		}
	}
	parallel(fs...)
	for i, p := range probes {
		if !known[i] {
			continue // unreadable: left out, which the checks read as unknown
		}
		if p.obj.PresentAt == nil {
			p.obj.PresentAt = map[string]bool{}
		}
		p.obj.PresentAt[p.dest] = *p.seen
	}
}

// versionOf is the VersionId to ask for, or nil for the null version.
func versionOf(o *snapshot.ObjectVersion) *string {
	if o.VersionID == "" || o.VersionID == "null" {
		return nil
	}
	return &o.VersionID
}
