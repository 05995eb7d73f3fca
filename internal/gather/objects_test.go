package gather

import (
	"net/http"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// TestObjectOwners: each sampled version's owner is compared with the
// bucket owner; delete markers and vanished versions are not asked about.
func TestObjectOwners(t *testing.T) {
	f := newFake(t)
	f.on("s3:GetBucketAcl", func(q *fakeReq) {
		q.s3("AccessControlPolicy", `<Owner><ID>bucket-owner</ID></Owner><AccessControlList/>`)
	})
	f.on("s3:GetObjectAcl", func(q *fakeReq) {
		owner := "bucket-owner"
		if q.key == "theirs.txt" {
			owner = "uploader-account"
		}
		if q.r.URL.Query().Get("versionId") != "v1" {
			t.Errorf("GetObjectAcl of %s without its version ID", q.key)
		}
		q.s3("AccessControlPolicy", `<Owner><ID>`+owner+`</ID></Owner><AccessControlList/>`)
	})
	r := newTestRun(t, f, f.access(), nil)
	present := snapshot.KnownFact(true)
	objs := []snapshot.ObjectVersion{
		{Key: "ours.txt", VersionID: "v1", Exists: present},
		{Key: "theirs.txt", VersionID: "v1", Exists: present},
		{Key: "marker.txt", VersionID: "v1", IsDeleteMarker: true, Exists: present},
		{Key: "gone.txt", VersionID: "v1", Exists: snapshot.KnownFact(false)},
	}
	r.objectOwners(r.base.S3("us-east-1"), "b", objs)
	for i, want := range []snapshot.Fact[bool]{snapshot.KnownFact(true), snapshot.KnownFact(false), {}, {}} {
		if got := objs[i].OwnedByBucketOwner; got.State != want.State || got.Value != want.Value {
			t.Errorf("%s: OwnedByBucketOwner = %+v, want %+v", objs[i].Key, got, want)
		}
	}
	if n := f.count("s3:GetObjectAcl"); n != 2 {
		t.Errorf("GetObjectAcl sent %d times, want 2 (delete markers and vanished versions have no ACL)", n)
	}
}

// TestObjectOwnersBucketAclDenied: without the bucket owner, no version's
// ownership is known.
func TestObjectOwnersBucketAclDenied(t *testing.T) {
	f := newFake(t)
	f.on("s3:GetBucketAcl", func(q *fakeReq) { q.denied() })
	r := newTestRun(t, f, f.access(), nil)
	objs := []snapshot.ObjectVersion{{Key: "a", VersionID: "v1", Exists: snapshot.KnownFact(true)}}
	r.objectOwners(r.base.S3("us-east-1"), "b", objs)
	got := objs[0].OwnedByBucketOwner
	if !got.IsUnknown() || got.Error == nil || got.Error.Permission != "s3:GetBucketAcl" {
		t.Errorf("OwnedByBucketOwner = %+v, want unknown needing s3:GetBucketAcl", got)
	}
	if n := f.count("s3:GetObjectAcl"); n != 0 {
		t.Errorf("GetObjectAcl sent %d times, want 0", n)
	}
}

// TestReplicaPresence: a COMPLETED version is looked for, by its version
// ID, in every destination whose enabled rule selects its key: found,
// gone (404), or unreadable (left out, which checks read as unknown).
func TestReplicaPresence(t *testing.T) {
	f := newFake(t)
	fakeS3(t, f, nil) // the destinations are in no listing: HeadBucket locates them
	f.on("s3:HeadBucket", func(q *fakeReq) {
		q.w.Header().Set("x-amz-bucket-region", "us-west-2")
		q.w.WriteHeader(http.StatusOK)
	})
	f.on("s3:HeadObject", func(q *fakeReq) {
		if v := q.r.URL.Query().Get("versionId"); v != "v1" {
			t.Errorf("HeadObject %s/%s asked for version %q, want v1", q.bucket, q.key, v)
		}
		switch {
		case q.bucket == "dst-a" && q.key == "logs/kept":
			q.w.WriteHeader(http.StatusOK)
		case q.bucket == "dst-a":
			q.fail(http.StatusNotFound, "NotFound", "")
		default:
			q.fail(http.StatusForbidden, "Forbidden", "")
		}
	})
	r := newTestRun(t, f, f.access(), nil)
	cfg := &snapshot.ReplicationConfiguration{Rules: []snapshot.ReplicationRule{
		{Status: "Enabled", Filter: &snapshot.ReplicationRuleFilter{Prefix: ptr("logs/")}, Destination: snapshot.Destination{Bucket: "arn:aws:s3:::dst-a"}},
		{Status: "Enabled", Filter: &snapshot.ReplicationRuleFilter{Prefix: ptr("")}, Destination: snapshot.Destination{Bucket: "arn:aws:s3:::dst-b"}},
		{Status: "Disabled", Filter: &snapshot.ReplicationRuleFilter{Prefix: ptr("")}, Destination: snapshot.Destination{Bucket: "arn:aws:s3:::dst-c"}},
	}}
	objs := []snapshot.ObjectVersion{
		{Key: "logs/kept", VersionID: "v1", ReplicationStatus: "COMPLETED"},
		{Key: "logs/deleted", VersionID: "v1", ReplicationStatus: "COMPLETED"},
		{Key: "logs/pending", VersionID: "v1", ReplicationStatus: "PENDING"},
	}
	r.replicaPresence(cfg, objs)
	want := []map[string]bool{{"dst-a": true}, {"dst-a": false}, nil}
	for i := range objs {
		got := objs[i].PresentAt
		if len(got) != len(want[i]) {
			t.Errorf("%s: PresentAt = %v, want %v", objs[i].Key, got, want[i])
			continue
		}
		for k, v := range want[i] {
			if got[k] != v {
				t.Errorf("%s: PresentAt = %v, want %v", objs[i].Key, got, want[i])
			}
		}
	}
	if n := f.count("s3:HeadObject"); n != 4 {
		t.Errorf("HeadObject sent %d times, want 4 (two COMPLETED versions x two enabled destinations)", n)
	}
}

func ptr(s string) *string { return &s }

// TestObjectsListingDenied: when versions cannot be listed, sampling says
// why, so that the object-level checks are unknown rather than skipped.
func TestObjectsListingDenied(t *testing.T) {
	f := newFake(t)
	f.on("s3:ListObjectVersions", func(q *fakeReq) { q.denied() })
	r := newTestRun(t, f, f.access(), nil)
	objs, why := r.objects(r.base.S3("us-east-1"), "b", "logs/", 5)
	if len(objs) != 0 || why == nil || why.Operation != "s3:ListObjectVersions" || why.Permission != "s3:ListBucketVersions" {
		t.Errorf("objects = %v, why = %+v; want none, and a reason needing s3:ListBucketVersions", objs, why)
	}
}

// TestDescribeObjectTagsUnread: tags that GetObjectTagging could not read
// are unknown (naming the permission), never "no tags"; HeadObject's tag
// count of zero, or a version that is gone, leaves nothing to miss; a
// HeadObject that fails leaves the metadata unread (Exists unknown).
func TestDescribeObjectTagsUnread(t *testing.T) {
	f := newFake(t)
	f.on("s3:HeadObject", func(q *fakeReq) {
		switch q.key {
		case "gone":
			q.fail(http.StatusNotFound, "NotFound", "")
			return
		case "head-denied":
			q.fail(http.StatusForbidden, "Forbidden", "")
			return
		case "untagged":
			q.w.Header().Set("x-amz-tagging-count", "0")
		case "tagged":
			q.w.Header().Set("x-amz-tagging-count", "2")
		}
		q.w.Header().Set("x-amz-server-side-encryption", "AES256")
		q.w.WriteHeader(http.StatusOK)
	})
	f.on("s3:GetObjectTagging", func(q *fakeReq) {
		if q.key == "readable" {
			q.s3("Tagging", `<TagSet><Tag><Key>replicate</Key><Value>yes</Value></Tag></TagSet>`)
			return
		}
		q.denied()
	})
	r := newTestRun(t, f, f.access(), nil)
	c := r.base.S3("us-east-1")
	for _, tc := range []struct {
		key         string
		tagsUnknown bool
		tags        int
		exists      snapshot.State
	}{
		{key: "readable", tags: 1, exists: snapshot.Known},
		{key: "tagged", tagsUnknown: true, exists: snapshot.Known},
		{key: "no-count", tagsUnknown: true, exists: snapshot.Known},
		{key: "untagged", exists: snapshot.Known},
		{key: "gone", exists: snapshot.Known},
		{key: "head-denied", tagsUnknown: true, exists: snapshot.Unknown},
	} {
		o := snapshot.ObjectVersion{Key: tc.key, VersionID: "v1", Exists: snapshot.KnownFact(true)}
		r.describeObject(c, "b", &o)
		tags := o.TagsFact()
		switch {
		case tags.IsUnknown() != tc.tagsUnknown:
			t.Errorf("%s: tags %+v, want unknown=%v", tc.key, tags, tc.tagsUnknown)
		case tc.tagsUnknown && (o.TagsError.Permission != "s3:GetObjectVersionTagging" || len(o.Tags) != 0):
			t.Errorf("%s: tags error %+v with tags %v, want one naming s3:GetObjectVersionTagging and no tags", tc.key, o.TagsError, o.Tags)
		case !tc.tagsUnknown && len(tags.Value) != tc.tags:
			t.Errorf("%s: %d tags, want %d", tc.key, len(tags.Value), tc.tags)
		}
		if o.Exists.State != tc.exists || o.MetadataRead() != (tc.exists == snapshot.Known) {
			t.Errorf("%s: exists %+v, metadata read %v", tc.key, o.Exists, o.MetadataRead())
		}
	}
}
