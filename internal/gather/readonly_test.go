package gather

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestReadOnly is the allowlist: reads and the two STS calls replcheck
// needs are allowed, anything else is refused.
func TestReadOnly(t *testing.T) {
	allowed := []string{"s3:GetBucketPolicy", "s3:ListBuckets", "s3:HeadBucket", "s3:HeadObject", "kms:DescribeKey",
		"iam:SimulatePrincipalPolicy", "iam:ListAttachedRolePolicies", "organizations:DescribeOrganization",
		"sts:AssumeRole", "sts:GetCallerIdentity", "kms:GetKeyPolicy"}
	refused := []string{"s3:PutBucketVersioning", "s3:PutBucketReplication", "s3:DeleteBucket", "s3:DeleteBucketPolicy",
		"s3:CreateBucket", "s3:PutObject", "s3:CopyObject", "s3:RestoreObject", "s3:UpdateBucketMetadataJournalTableConfiguration",
		"iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:AttachRolePolicy", "iam:PutRolePolicy",
		"kms:Encrypt", "kms:Decrypt", "kms:ScheduleKeyDeletion", "kms:TagResource",
		"kms:GenerateDataKey", "sts:AssumeRoleWithWebIdentity", "sts:GetSessionToken", "sts:GetFederationToken",
		"organizations:AttachPolicy", "GetBucketPolicy", "s3:", "",
		// Reads of other services, and credential fetches, are not
		// operations on the user's resources.
		"ec2:DescribeInstances", "ec2imds:GetMetadata", "endpoint-credentials:GetCredentials", "sso:GetRoleCredentials",
		"sso oidc:CreateToken", "unnamed:GetMetadata"}
	for _, op := range allowed {
		if !ReadOnly(op) {
			t.Errorf("ReadOnly(%q) = false, want true", op)
		}
	}
	for _, op := range refused {
		if ReadOnly(op) {
			t.Errorf("ReadOnly(%q) = true, want false", op)
		}
	}
}

// TestClientsRefuseMutations: every client the package builds, for every
// identity (the base credentials, a destination role, an audit's role in
// another account), refuses a mutating operation before anything is sent;
// not even the roles are assumed.
func TestClientsRefuseMutations(t *testing.T) {
	f := newFake(t)
	rec := &Recorder{}
	a := f.access()
	a.DestinationRole = "arn:aws:iam::" + otherAccount + ":role/reader"
	r, err := buildRun(context.Background(), runOptions{Access: a, Recorder: rec, RoleName: "auditor", Audited: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.cancel)
	ctx := context.Background()
	calls := map[string]func(s *identity) error{
		"s3:PutBucketVersioning": func(s *identity) error {
			_, err := s.S3("eu-west-1").PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("b"),
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
			return err
		},
		"s3:DeleteBucketPolicy": func(s *identity) error {
			_, err := s.S3("us-east-1").DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("b")})
			return err
		},
		"iam:PutRolePolicy": func(s *identity) error {
			_, err := s.IAM().PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p"), PolicyDocument: aws.String(testDoc)})
			return err
		},
		"kms:ScheduleKeyDeletion": func(s *identity) error {
			_, err := s.KMS("us-east-1").ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String("k")})
			return err
		},
		"organizations:DetachPolicy": func(s *identity) error {
			_, err := s.Organizations().DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-1"), TargetId: aws.String("r-1")})
			return err
		},
		"sts:GetSessionToken": func(s *identity) error {
			_, err := s.STS().GetSessionToken(ctx, &sts.GetSessionTokenInput{})
			return err
		},
	}
	for _, s := range []*identity{r.base, r.fixed[0], r.assumedIn("777788889999")} {
		for op, do := range calls {
			err := do(s)
			if err == nil || !strings.Contains(err.Error(), "refuses to call "+op) || !strings.Contains(err.Error(), "not a read-only operation") {
				t.Errorf("%s %s: error %v, want a refusal naming it", s.label, op, err)
			}
		}
	}
	if n := f.total(); n != 0 {
		t.Errorf("the server saw %d requests, want none", n)
	}
	if n := rec.Total(); n != 0 {
		t.Errorf("recorded %d calls (%v), want none", n, rec.Calls())
	}
}
