package pipeline

import (
	"testing"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/snapshot"
)

func TestAddressNamesTheSubjectElseTheConfiguration(t *testing.T) {
	o := &snapshot.Origins{
		Replication: "aws_s3_bucket_replication_configuration.this",
		Buckets: map[string]snapshot.BucketOrigins{
			"dst": {Bucket: "aws_s3_bucket.dst", Versioning: "aws_s3_bucket_versioning.dst"},
		},
		Roles: map[string]snapshot.RoleOrigins{
			"arn:aws:iam::111111111111:role/r": {Role: "aws_iam_role.r", Policies: map[string]string{"replication": "aws_iam_role_policy.r"}},
		},
		Keys:      map[string]string{"arn:aws:kms:us-east-1:111111111111:key/k": "aws_kms_key.k"},
		Locations: map[string]snapshot.Location{"aws_s3_bucket_versioning.dst": {File: "main.tf", Line: 7}},
	}
	role := "arn:aws:iam::111111111111:role/r"
	for _, tc := range []struct {
		s    checks.Subject
		want string
	}{
		{checks.Subject{Kind: checks.SubjectBucket, Name: "dst", Part: "versioning"}, "aws_s3_bucket_versioning.dst"},
		{checks.Subject{Kind: checks.SubjectBucket, Name: "dst", Part: "policy"}, "aws_s3_bucket.dst"},
		{checks.Subject{Kind: checks.SubjectBucket, Name: "elsewhere", Part: "versioning"}, "aws_s3_bucket_replication_configuration.this"},
		{checks.Subject{Kind: checks.SubjectRole, Name: role, Part: "replication"}, "aws_iam_role_policy.r"},
		{checks.Subject{Kind: checks.SubjectRole, Name: role}, "aws_iam_role.r"},
		{checks.Subject{Kind: checks.SubjectKey, Name: "arn:aws:kms:us-east-1:111111111111:key/k"}, "aws_kms_key.k"},
		{checks.Subject{Kind: checks.SubjectReplication}, "aws_s3_bucket_replication_configuration.this"},
	} {
		if got := address(o, tc.s); got != tc.want {
			t.Errorf("address(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
	if address(nil, checks.Subject{Kind: checks.SubjectReplication}) != "" {
		t.Error("a source without origins has no addresses")
	}
	f := report.Finding{Finding: checks.Finding{Subject: checks.Subject{Kind: checks.SubjectBucket, Name: "dst", Part: "versioning"}}}
	locate(&f, o)
	if f.Location == nil || f.Location.File != "main.tf" || f.Location.Line != 7 {
		t.Errorf("location = %+v", f.Location)
	}
}
