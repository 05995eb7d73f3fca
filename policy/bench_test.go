package policy_test

import (
	"testing"

	"github.com/replcheck/replcheck/policy"
)

// replicationRolePolicy is the six-statement role policy AWS documents for a
// cross-account replication role with SSE-KMS objects
// (setting-repl-config-perm-overview.html, replication-config-for-kms-objects.html).
const replicationRolePolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "SourceBucket", "Effect": "Allow",
     "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
     "Resource": "arn:aws:s3:::src-bucket"},
    {"Sid": "SourceObjects", "Effect": "Allow",
     "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
     "Resource": "arn:aws:s3:::src-bucket/*"},
    {"Sid": "Replicate", "Effect": "Allow",
     "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
     "Resource": "arn:aws:s3:::dst-bucket/*",
     "Condition": {"StringLikeIfExists": {"s3:x-amz-server-side-encryption": ["aws:kms", "AES256"]}}},
    {"Sid": "DecryptSource", "Effect": "Allow", "Action": "kms:Decrypt",
     "Resource": "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
     "Condition": {"StringLike": {"kms:ViaService": "s3.us-east-1.amazonaws.com",
                                  "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::src-bucket/*"}}},
    {"Sid": "EncryptReplica", "Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
     "Resource": "arn:aws:kms:us-west-2:222222222222:key/abcd1234-ab12-cd34-ef56-abcdef123456",
     "Condition": {"StringLike": {"kms:ViaService": "s3.us-west-2.amazonaws.com",
                                  "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::dst-bucket/*"}}},
    {"Sid": "DenyInsecure", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
  ]
}`

const destinationBucketPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReplicaWrites", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111111111111:role/service-role/replication-role"},
     "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
     "Resource": "arn:aws:s3:::dst-bucket/*"},
    {"Sid": "Versioning", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111111111111:role/service-role/replication-role"},
     "Action": ["s3:GetBucketVersioning", "s3:PutBucketVersioning"],
     "Resource": "arn:aws:s3:::dst-bucket"},
    {"Sid": "DenyOtherAccounts", "Effect": "Deny", "Principal": "*", "Action": "s3:Replicate*",
     "Resource": "arn:aws:s3:::dst-bucket/*",
     "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ["111111111111", "222222222222"]}}}
  ]
}`

const permissionsBoundary = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:*", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}
  ]
}`

// BenchmarkEvaluate measures one cross-account replication decision:
// s3:ReplicateObject by the source role on a destination object, against a
// six-statement role policy, the destination bucket policy and a
// permissions boundary, all parsed once.
func BenchmarkEvaluate(b *testing.B) {
	in := &policy.Input{
		Identity: []*policy.Document{parseForBench(b, replicationRolePolicy)},
		Resource: parseForBench(b, destinationBucketPolicy),
		Boundary: parseForBench(b, permissionsBoundary),
	}
	req := &policy.Request{
		Principal:       "arn:aws:iam::111111111111:role/service-role/replication-role",
		Action:          "s3:ReplicateObject",
		Resource:        "arn:aws:s3:::dst-bucket/photos/2026/a.jpg",
		ResourceAccount: "222222222222",
		Context: policy.NewContext(map[string][]string{
			"aws:SecureTransport":             {"true"},
			"s3:x-amz-server-side-encryption": {"aws:kms"},
			"s3:ResourceAccount":              {"222222222222"},
		}),
	}
	if got := policy.Evaluate(in, req); got.Decision != policy.Allowed {
		b.Fatalf("Evaluate = %+v, want allowed", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		policy.Evaluate(in, req)
	}
}

func parseForBench(tb testing.TB, doc string) *policy.Document {
	tb.Helper()
	d, err := policy.Parse([]byte(doc))
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return d
}
