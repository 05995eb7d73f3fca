package gather

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// fakeBucket is a bucket as the fake S3 knows it.
type fakeBucket struct {
	name, region, owner string
	versioning          string // "" never enabled
	replication         string // inner XML of ReplicationConfiguration, "" none
	policy              string // "" none
	encryption          string // "" none, "AES256", or a KMS key for aws:kms
}

// fakeS3 registers the S3 reads for buckets. Like S3, it answers a request
// signed for the wrong Region with 301 and x-amz-bucket-region, and a
// request for another account's bucket configuration with AccessDenied.
func fakeS3(t testing.TB, f *fakeAWS, buckets []fakeBucket) {
	find := func(name string) *fakeBucket {
		for i := range buckets {
			if buckets[i].name == name {
				return &buckets[i]
			}
		}
		return nil
	}
	f.on("s3:ListBuckets", func(q *fakeReq) {
		var b strings.Builder
		for _, x := range buckets {
			if x.owner == testAccount {
				fmt.Fprintf(&b, "<Bucket><Name>%s</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><BucketRegion>%s</BucketRegion></Bucket>", x.name, x.region)
			}
		}
		q.s3("ListAllMyBucketsResult", "<Owner><ID>canonical</ID></Owner><Buckets>"+b.String()+"</Buckets>")
	})
	f.on("s3:HeadBucket", func(q *fakeReq) {
		b := find(q.bucket)
		switch {
		case b == nil:
			q.w.WriteHeader(http.StatusNotFound)
		case b.region != q.region:
			q.w.Header().Set("x-amz-bucket-region", b.region)
			q.w.WriteHeader(http.StatusMovedPermanently)
		default:
			q.w.Header().Set("x-amz-bucket-region", b.region)
			q.w.WriteHeader(http.StatusOK)
		}
	})
	get := func(op string, answer func(q *fakeReq, b *fakeBucket)) {
		f.on(op, func(q *fakeReq) {
			b := find(q.bucket)
			switch {
			case b == nil:
				q.fail(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
			case b.region != q.region:
				t.Errorf("%s on %s signed for %s, not its Region %s", op, b.name, q.region, b.region)
				q.w.Header().Set("x-amz-bucket-region", b.region)
				q.fail(http.StatusMovedPermanently, "PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.")
			case b.owner != testAccount:
				q.denied()
			default:
				answer(q, b)
			}
		})
	}
	get("s3:GetBucketVersioning", func(q *fakeReq, b *fakeBucket) {
		if b.versioning == "" {
			q.s3("VersioningConfiguration", "")
			return
		}
		q.s3("VersioningConfiguration", "<Status>"+b.versioning+"</Status>")
	})
	get("s3:GetBucketReplication", func(q *fakeReq, b *fakeBucket) {
		if b.replication == "" {
			q.fail(http.StatusNotFound, "ReplicationConfigurationNotFoundError", "The replication configuration was not found")
			return
		}
		q.s3("ReplicationConfiguration", b.replication)
	})
	get("s3:GetBucketPolicy", func(q *fakeReq, b *fakeBucket) {
		if b.policy == "" {
			q.fail(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
			return
		}
		q.w.Header().Set("Content-Type", "application/json")
		q.w.Write([]byte(b.policy))
	})
	get("s3:GetBucketEncryption", func(q *fakeReq, b *fakeBucket) {
		switch b.encryption {
		case "":
			q.fail(http.StatusNotFound, "ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found")
		case "AES256":
			q.s3("ServerSideEncryptionConfiguration", "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>")
		default:
			q.s3("ServerSideEncryptionConfiguration", "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>"+b.encryption+"</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>")
		}
	})
	get("s3:GetObjectLockConfiguration", func(q *fakeReq, _ *fakeBucket) {
		q.fail(http.StatusNotFound, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket")
	})
	get("s3:GetBucketOwnershipControls", func(q *fakeReq, _ *fakeBucket) {
		q.s3("OwnershipControls", "<Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>")
	})
	get("s3:GetBucketRequestPayment", func(q *fakeReq, _ *fakeBucket) {
		q.s3("RequestPaymentConfiguration", "<Payer>BucketOwner</Payer>")
	})
	get("s3:GetBucketLifecycleConfiguration", func(q *fakeReq, _ *fakeBucket) {
		q.fail(http.StatusNotFound, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")
	})
}

// fakeNoOrganization answers that the account is in no organization.
func fakeNoOrganization(f *fakeAWS) {
	f.on("organizations:DescribeOrganization", func(q *fakeReq) {
		q.fail(http.StatusBadRequest, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	})
}

// world is a complete replication setup in testAccount: a source bucket
// in eu-west-1 with three rules (two to dst1, one to dst2), one role with
// an inline policy and a managed policy that is listed twice and is also
// the permissions boundary, and two KMS keys, one named by alias.
type world struct {
	f                     *fakeAWS
	role, managed, other  string
	srcKey, replicaKey    fakeKey
	srcRegion, dst1Region string
	// buckets are the buckets fakeS3 serves, to serve again with more.
	buckets []fakeBucket
}

func newWorld(t testing.TB) *world {
	w := &world{f: newFake(t), srcRegion: "eu-west-1", dst1Region: "us-west-2",
		role:    "arn:aws:iam::" + testAccount + ":role/replication",
		managed: "arn:aws:iam::" + testAccount + ":policy/replication",
		other:   "arn:aws:iam::aws:policy/ReadOnly"}
	w.srcKey = fakeKey{id: "0000aaaa-0000-0000-0000-000000000000", account: testAccount, region: w.srcRegion,
		aliases: []string{"alias/src"}, state: "Enabled", usage: "ENCRYPT_DECRYPT", policy: testDoc}
	w.replicaKey = fakeKey{id: "1111bbbb-0000-0000-0000-000000000000", account: testAccount, region: w.dst1Region,
		state: "Enabled", usage: "ENCRYPT_DECRYPT", policy: testDoc}
	cfg := fmt.Sprintf(`<Role>%s</Role>
<Rule><ID>logs</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix>logs/</Prefix></Filter>
  <SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
  <Destination><Bucket>arn:aws:s3:::dst1</Bucket><EncryptionConfiguration><ReplicaKmsKeyID>%s</ReplicaKmsKeyID></EncryptionConfiguration></Destination>
  <DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication></Rule>
<Rule><ID>tagged</ID><Priority>2</Priority><Status>Enabled</Status><Filter><Tag><Key>copy</Key><Value>yes</Value></Tag></Filter>
  <SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>
  <Destination><Bucket>arn:aws:s3:::dst1</Bucket><EncryptionConfiguration><ReplicaKmsKeyID>%s</ReplicaKmsKeyID></EncryptionConfiguration></Destination>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>
<Rule><ID>all</ID><Priority>3</Priority><Status>Enabled</Status><Filter><Prefix></Prefix></Filter>
  <Destination><Bucket>arn:aws:s3:::dst2</Bucket><StorageClass>STANDARD_IA</StorageClass></Destination>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>`, w.role, w.replicaKey.arn(), w.replicaKey.arn())
	w.buckets = []fakeBucket{
		{name: "src", region: w.srcRegion, owner: testAccount, versioning: "Enabled", replication: cfg, policy: testDoc, encryption: "alias/src"},
		{name: "dst1", region: w.dst1Region, owner: testAccount, versioning: "Enabled", encryption: w.replicaKey.arn()},
		{name: "dst2", region: "eu-west-1", owner: testAccount, versioning: "Suspended", encryption: "AES256"},
	}
	fakeS3(t, w.f, w.buckets)
	fakeIAM(w.f, []fakeRole{{name: "replication", trust: trustDoc,
		inline: map[string]string{"replication": inlineDoc},
		// A listing may repeat an entry across pages when attachments
		// change between pages; the boundary is the same policy.
		attached: [][]string{{w.managed, w.other}, {w.managed}},
		boundary: w.managed,
	}}, map[string]string{w.managed: managedDoc, w.other: boundDoc}, false)
	fakeKMS(t, w.f, []fakeKey{w.srcKey, w.replicaKey})
	fakeNoOrganization(w.f)
	w.f.on("sts:GetCallerIdentity", callerIdentity(testAccount))
	return w
}

// questions are the permission questions of the world's role: replication
// reads on the source, writes to both destinations, and the KMS
// operations, with a request context.
func (w *world) questions() []Question {
	kmsCtx := map[string][]string{"kms:ViaService": {"s3." + w.srcRegion + ".amazonaws.com"}}
	return []Question{
		{Principal: w.role, Action: "s3:GetReplicationConfiguration", Resource: "arn:aws:s3:::src"},
		{Principal: w.role, Action: "s3:ListBucket", Resource: "arn:aws:s3:::src"},
		{Principal: w.role, Action: "s3:GetObjectVersionForReplication", Resource: "arn:aws:s3:::src/*"},
		{Principal: w.role, Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::dst1/*"},
		{Principal: w.role, Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::dst2/*"},
		{Principal: w.role, Action: "kms:Decrypt", Resource: w.srcKey.arn(), Context: kmsCtx},
		{Principal: w.role, Action: "kms:Encrypt", Resource: w.replicaKey.arn(), Context: kmsCtx},
	}
}
