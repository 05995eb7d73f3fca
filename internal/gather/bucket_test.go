package gather

import (
	"net/http"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// bucketReads are the bucket GETs with their "not configured" code and the
// IAM permission each needs.
var bucketReads = []struct {
	op, absentCode, permission string
	read                       func(r *run) (snapshot.State, *snapshot.FactError)
}{
	{"s3:GetBucketReplication", "ReplicationConfigurationNotFoundError", "s3:GetReplicationConfiguration",
		func(r *run) (snapshot.State, *snapshot.FactError) {
			f := r.replication(r.base.S3("us-east-1"), "b")
			return f.State, f.Error
		}},
	{"s3:GetBucketPolicy", "NoSuchBucketPolicy", "s3:GetBucketPolicy",
		func(r *run) (snapshot.State, *snapshot.FactError) {
			f := r.bucketPolicy(r.base.S3("us-east-1"), "b")
			return f.State, f.Error
		}},
	{"s3:GetObjectLockConfiguration", "ObjectLockConfigurationNotFoundError", "s3:GetBucketObjectLockConfiguration",
		func(r *run) (snapshot.State, *snapshot.FactError) {
			f := r.objectLock(r.base.S3("us-east-1"), "b")
			return f.State, f.Error
		}},
	{"s3:GetBucketOwnershipControls", "OwnershipControlsNotFoundError", "s3:GetBucketOwnershipControls",
		func(r *run) (snapshot.State, *snapshot.FactError) {
			f := r.ownership(r.base.S3("us-east-1"), "b")
			return f.State, f.Error
		}},
	{"s3:GetBucketEncryption", "ServerSideEncryptionConfigurationNotFoundError", "s3:GetEncryptionConfiguration",
		func(r *run) (snapshot.State, *snapshot.FactError) {
			f := r.encryption(r.base.S3("us-east-1"), "b")
			return f.State, f.Error
		}},
	{"s3:GetBucketLifecycleConfiguration", "NoSuchLifecycleConfiguration", "s3:GetLifecycleConfiguration",
		func(r *run) (snapshot.State, *snapshot.FactError) {
			f := r.lifecycle(r.base.S3("us-east-1"), "b")
			return f.State, f.Error
		}},
}

// TestBucketAbsentCodes: each "not configured" answer (404 with its code)
// is Absent, not Unknown.
func TestBucketAbsentCodes(t *testing.T) {
	for _, tc := range bucketReads {
		t.Run(tc.absentCode, func(t *testing.T) {
			f := newFake(t)
			f.on(tc.op, func(q *fakeReq) { q.fail(http.StatusNotFound, tc.absentCode, "The configuration does not exist") })
			r := newTestRun(t, f, f.access(), nil)
			if got, fe := tc.read(r); got != snapshot.Absent {
				t.Errorf("%s answering %s: state %q, want absent (error %v)", tc.op, tc.absentCode, got, fe)
			}
			if n := f.count(tc.op); n != 1 {
				t.Errorf("%s sent %d times, want 1", tc.op, n)
			}
		})
	}
}

// TestBucketAccessDenied: 403 AccessDenied is Unknown and says which
// operation failed, with which code, and which permission was missing; it
// is not retried.
func TestBucketAccessDenied(t *testing.T) {
	for _, tc := range bucketReads {
		t.Run(tc.op, func(t *testing.T) {
			f := newFake(t)
			f.on(tc.op, (*fakeReq).denied)
			r := newTestRun(t, f, f.access(), nil)
			got, fe := tc.read(r)
			if got != snapshot.Unknown {
				t.Fatalf("state %q, want unknown", got)
			}
			if fe == nil || fe.Operation != tc.op || fe.Code != "AccessDenied" || fe.Permission != tc.permission || fe.Message == "" {
				t.Errorf("error = %+v, want operation %s, code AccessDenied, permission %s and a message", fe, tc.op, tc.permission)
			}
			if n := f.count(tc.op); n != 1 {
				t.Errorf("AccessDenied sent %d times, want 1 (not retried)", n)
			}
		})
	}
}

// TestBucketOtherErrorUnknown: an error that is neither "not configured"
// nor denied (NoSuchBucket on a GET) is Unknown without a permission.
func TestBucketOtherErrorUnknown(t *testing.T) {
	f := newFake(t)
	f.on("s3:GetBucketPolicy", func(q *fakeReq) { q.fail(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist") })
	r := newTestRun(t, f, f.access(), nil)
	got := r.bucketPolicy(r.base.S3("us-east-1"), "b")
	if !got.IsUnknown() || got.Error.Code != "NoSuchBucket" || got.Error.Permission != "" {
		t.Errorf("policy = %+v (error %+v), want unknown NoSuchBucket without a permission", got, got.Error)
	}
}

// TestBucketConfigurations reads each configuration in the shape S3
// returns it.
func TestBucketConfigurations(t *testing.T) {
	f := newFake(t)
	f.on("s3:GetBucketVersioning", func(q *fakeReq) {
		switch q.bucket {
		case "never":
			q.s3("VersioningConfiguration", "") // never enabled: no Status
		case "suspended":
			q.s3("VersioningConfiguration", "<Status>Suspended</Status>")
		default:
			q.s3("VersioningConfiguration", "<Status>Enabled</Status><MfaDelete>Disabled</MfaDelete>")
		}
	})
	f.on("s3:GetBucketEncryption", func(q *fakeReq) {
		q.s3("ServerSideEncryptionConfiguration", `<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:us-east-1:111122223333:key/k1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>`)
	})
	f.on("s3:GetObjectLockConfiguration", func(q *fakeReq) {
		q.s3("ObjectLockConfiguration", `<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>30</Days></DefaultRetention></Rule>`)
	})
	f.on("s3:GetBucketOwnershipControls", func(q *fakeReq) {
		q.s3("OwnershipControls", `<Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>`)
	})
	f.on("s3:GetBucketRequestPayment", func(q *fakeReq) {
		if q.bucket == "moto" {
			q.s3("RequestPaymentConfiguration", "") // moto: no Payer
			return
		}
		q.s3("RequestPaymentConfiguration", "<Payer>Requester</Payer>")
	})
	f.on("s3:GetBucketPolicy", func(q *fakeReq) {
		q.w.Header().Set("Content-Type", "application/json")
		q.w.Write([]byte(testDoc))
	})
	f.on("s3:GetBucketLifecycleConfiguration", func(q *fakeReq) {
		q.s3("LifecycleConfiguration", `<Rule><ID>a</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration><Expiration><Days>90</Days></Expiration></Rule>`+
			`<Rule><ID>b</ID><Filter><Prefix>x/</Prefix></Filter><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays></NoncurrentVersionExpiration></Rule>`+
			`<Rule><ID>off</ID><Filter><Prefix></Prefix></Filter><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>`)
	})
	r := newTestRun(t, f, f.access(), nil)
	c := r.base.S3("us-east-1")

	if v := r.versioning(c, "never"); !v.IsAbsent() {
		t.Errorf("versioning never enabled = %+v, want absent", v)
	}
	if v := r.versioning(c, "suspended"); !v.IsKnown() || v.Value != "Suspended" {
		t.Errorf("versioning = %+v, want Suspended", v)
	}
	if v := r.versioning(c, "b"); !v.IsKnown() || v.Value != "Enabled" {
		t.Errorf("versioning = %+v, want Enabled", v)
	}
	wantEnc := snapshot.BucketEncryption{Algorithm: "aws:kms", KMSKeyID: "arn:aws:kms:us-east-1:111122223333:key/k1", BucketKeyEnabled: true}
	if e := r.encryption(c, "b"); !e.IsKnown() || e.Value != wantEnc {
		t.Errorf("encryption = %+v, want %+v", e, wantEnc)
	}
	wantLock := snapshot.ObjectLockConfiguration{Enabled: true, DefaultMode: "COMPLIANCE", DefaultDays: 30}
	if l := r.objectLock(c, "b"); !l.IsKnown() || l.Value != wantLock {
		t.Errorf("object lock = %+v, want %+v", l, wantLock)
	}
	if o := r.ownership(c, "b"); !o.IsKnown() || o.Value != "BucketOwnerEnforced" {
		t.Errorf("ownership = %+v", o)
	}
	if p := r.requestPayment(c, "b"); !p.IsKnown() || p.Value != "Requester" {
		t.Errorf("request payment = %+v, want Requester", p)
	}
	if p := r.requestPayment(c, "moto"); !p.IsKnown() || p.Value != "BucketOwner" {
		t.Errorf("request payment without a Payer = %+v, want BucketOwner", p)
	}
	if p := r.bucketPolicy(c, "b"); !p.IsKnown() || string(p.Value) != testDoc {
		t.Errorf("policy = %+v", p)
	}
	wantLC := snapshot.Lifecycle{NoncurrentVersionExpirationDays: 7, ExpirationDays: 90}
	if l := r.lifecycle(c, "b"); !l.IsKnown() || l.Value != wantLC {
		t.Errorf("lifecycle = %+v, want %+v (shortest enabled)", l, wantLC)
	}
}

// TestHeadBucket: 404 means the bucket does not exist; a 301 (wrong
// Region) or a 403 (denied) with x-amz-bucket-region still locate it.
func TestHeadBucket(t *testing.T) {
	cases := []struct {
		name         string
		status       int
		region       string // x-amz-bucket-region, "" for none
		exists       snapshot.State
		existsValue  bool
		regionState  snapshot.State
		regionValue  string
		wantRequests int
	}{
		{"ok", 200, "eu-west-1", snapshot.Known, true, snapshot.Known, "eu-west-1", 1},
		{"not-found", 404, "", snapshot.Known, false, snapshot.Absent, "", 1},
		{"moved", 301, "ap-southeast-2", snapshot.Known, true, snapshot.Known, "ap-southeast-2", 1},
		{"denied-with-region", 403, "eu-central-1", snapshot.Known, true, snapshot.Known, "eu-central-1", 1},
		{"denied", 403, "", snapshot.Known, true, snapshot.Unknown, "", 1},
		{"bad-request-with-region", 400, "me-south-1", snapshot.Known, true, snapshot.Known, "me-south-1", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			fakeS3(t, f, nil) // an empty listing: the Region is HeadBucket's to tell
			f.on("s3:HeadBucket", func(q *fakeReq) {
				if q.region != "us-east-1" {
					t.Errorf("HeadBucket signed for %s, want the configured us-east-1", q.region)
				}
				if tc.region != "" {
					q.w.Header().Set("x-amz-bucket-region", tc.region)
				}
				q.w.WriteHeader(tc.status)
			})
			r := newTestRun(t, f, f.access(), nil)
			loc := r.location(r.base, "b")
			if loc.exists.State != tc.exists || (loc.exists.IsKnown() && loc.exists.Value != tc.existsValue) {
				t.Errorf("exists = %+v, want %s %v", loc.exists, tc.exists, tc.existsValue)
			}
			if loc.region.State != tc.regionState || loc.region.Value != tc.regionValue {
				t.Errorf("region = %+v, want %s %q", loc.region, tc.regionState, tc.regionValue)
			}
			if loc.region.IsUnknown() && (loc.region.Error == nil || loc.region.Error.Permission != "s3:ListBucket") {
				t.Errorf("unknown region error = %+v, want permission s3:ListBucket", loc.region.Error)
			}
			if n := f.count("s3:HeadBucket"); n != tc.wantRequests {
				t.Errorf("HeadBucket sent %d times, want %d", n, tc.wantRequests)
			}
			r.location(r.base, "b")
			if n := f.count("s3:HeadBucket"); n != tc.wantRequests {
				t.Errorf("second location sent HeadBucket again (%d requests)", n)
			}
		})
	}
}

// TestBucketRegionalClient: after HeadBucket, a bucket's configuration is
// read from its own Region, and a missing bucket's facts are Unknown with
// a reason rather than read.
func TestBucketRegionalClient(t *testing.T) {
	f := newFake(t)
	f.on("s3:ListBuckets", func(q *fakeReq) {
		q.s3("ListAllMyBucketsResult", `<Owner><ID>o</ID></Owner><Buckets><Bucket><Name>b</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>`)
	})
	f.on("s3:HeadBucket", func(q *fakeReq) {
		if q.bucket == "gone" {
			q.w.WriteHeader(http.StatusNotFound)
			return
		}
		q.w.Header().Set("x-amz-bucket-region", "eu-west-3")
		if q.region != "eu-west-3" {
			q.w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		q.w.WriteHeader(http.StatusOK)
	})
	regional := func(q *fakeReq) bool {
		if q.region != "eu-west-3" {
			t.Errorf("%s signed for %s, want eu-west-3", q.op, q.region)
			q.fail(http.StatusMovedPermanently, "PermanentRedirect", "wrong Region")
			return false
		}
		return true
	}
	for _, op := range []string{"s3:GetBucketVersioning", "s3:GetObjectLockConfiguration", "s3:GetBucketEncryption",
		"s3:GetBucketPolicy", "s3:GetBucketOwnershipControls", "s3:GetBucketLifecycleConfiguration"} {
		f.on(op, func(q *fakeReq) {
			if regional(q) {
				q.fail(http.StatusNotFound, map[string]string{
					"s3:GetBucketVersioning": "NoSuchBucket", "s3:GetObjectLockConfiguration": "ObjectLockConfigurationNotFoundError",
					"s3:GetBucketEncryption": "ServerSideEncryptionConfigurationNotFoundError", "s3:GetBucketPolicy": "NoSuchBucketPolicy",
					"s3:GetBucketOwnershipControls": "OwnershipControlsNotFoundError", "s3:GetBucketLifecycleConfiguration": "NoSuchLifecycleConfiguration",
				}[op], "none")
			}
		})
	}
	f.on("s3:GetBucketRequestPayment", func(q *fakeReq) {
		if regional(q) {
			q.s3("RequestPaymentConfiguration", "<Payer>BucketOwner</Payer>")
		}
	})
	r := newTestRun(t, f, f.access(), nil)
	b := r.bucket(r.base, "b")
	if !b.Region.IsKnown() || b.Region.Value != "eu-west-3" || !b.Account.IsKnown() || b.Account.Value != testAccount {
		t.Errorf("bucket region %+v account %+v, want eu-west-3 and %s", b.Region, b.Account, testAccount)
	}
	if !b.Encryption.IsAbsent() || !b.Policy.IsAbsent() || !b.Lifecycle.IsAbsent() || b.RequestPayment.Value != "BucketOwner" {
		t.Errorf("bucket facts = %+v", b)
	}

	gone := r.bucket(r.base, "gone")
	if !gone.Exists.IsKnown() || gone.Exists.Value {
		t.Errorf("gone exists = %+v, want known false", gone.Exists)
	}
	if !gone.Versioning.IsUnknown() || gone.Versioning.Error == nil || gone.Versioning.Error.Code != "NoSuchBucket" {
		t.Errorf("gone versioning = %+v, want unknown NoSuchBucket", gone.Versioning)
	}
	// Each bucket GET once for b, none for gone.
	for _, op := range []string{"s3:GetBucketVersioning", "s3:GetBucketRequestPayment", "s3:GetBucketPolicy"} {
		if n := f.count(op); n != 1 {
			t.Errorf("%s sent %d times, want 1", op, n)
		}
	}
}

// TestLocationFromListing: a bucket that the credentials' ListBuckets
// names with its Region is located without HeadBucket; one listed without
// a Region (emulators) is located with it.
func TestLocationFromListing(t *testing.T) {
	f := newFake(t)
	fakeS3(t, f, []fakeBucket{{name: "b", region: "eu-west-1", owner: testAccount}})
	r := newTestRun(t, f, f.access(), nil)
	if loc := r.location(r.base, "b"); !loc.region.IsKnown() || loc.region.Value != "eu-west-1" || !loc.exists.Value {
		t.Errorf("location = %+v", loc)
	}
	if n := f.count("s3:HeadBucket"); n != 0 {
		t.Errorf("HeadBucket sent %d times for a bucket the listing locates", n)
	}
	if q := f.count("s3:ListBuckets"); q != 1 {
		t.Errorf("ListBuckets sent %d times, want 1", q)
	}
}
