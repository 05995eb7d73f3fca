package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// planFinding is a finding of replcheck plan's JSON output.
type planFinding struct {
	Reason  string `json:"reason"`
	Status  string `json:"status"`
	Address string `json:"address"`
}

// planLive runs 'replcheck plan --live' on the unmanaged-destination
// fixture, whose destination bucket ud-elsewhere the plan does not manage.
func planLive(w *world) (result, map[string]planFinding) {
	w.t.Helper()
	r := w.exec("plan", "../fixtures/plans/unmanaged-destination/plan.json", "--live", "--endpoint-url", w.endpoint, "--format", "json")
	var doc struct {
		Findings []planFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		w.t.Fatalf("replcheck plan: exit %d, output is not JSON: %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	by := map[string]planFinding{}
	for _, f := range doc.Findings {
		by[f.Reason] = f
	}
	return r, by
}

// TestPlanLiveReadsOnlyWhatThePlanDoesNotDecide: --live reads the
// destination bucket the plan does not manage, and the organization, and
// nothing the plan decides (the role, the source bucket's settings).
func TestPlanLiveReadsOnlyWhatThePlanDoesNotDecide(t *testing.T) {
	w := newWorld(t)
	r, by := planLive(w)
	if r.code != 1 || by["DstBucketNotFound"].Status != "fail" {
		t.Fatalf("with no bucket ud-elsewhere in AWS: exit %d, DstBucketNotFound %+v, want exit 1 and fail\n%s", r.code, by["DstBucketNotFound"], r.stderr)
	}
	if by["DstBucketNotFound"].Address != "aws_s3_bucket_replication_configuration.this" {
		t.Errorf("address %q", by["DstBucketNotFound"].Address)
	}
	for op := range r.calls {
		if !preflightOps[op] {
			t.Errorf("replcheck plan --live called %s", op)
		}
	}
	for _, op := range []string{"iam:GetRole", "s3:GetBucketReplication", "kms:DescribeKey"} {
		if r.calls[op] > 0 {
			t.Errorf("replcheck plan --live called %s, which the plan decides: %v", op, r.calls)
		}
	}
	if r.calls["s3:HeadBucket"] != 1 || r.calls["organizations:DescribeOrganization"] == 0 {
		t.Errorf("want one HeadBucket (the unmanaged destination) and the organization read: %v", r.calls)
	}

	// Once the bucket exists, versioned, its facts come from AWS.
	c := w.s3(srcAccount, home)
	_, err := c.CreateBucket(w.ctx, &s3.CreateBucketInput{Bucket: aws.String("ud-elsewhere")})
	w.must("create ud-elsewhere", err)
	_, err = c.PutBucketVersioning(w.ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("ud-elsewhere"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	w.must("version ud-elsewhere", err)
	r, by = planLive(w)
	for _, reason := range []string{"DstBucketNotFound", "DstBucketUnversioned", "DstPutObjNotPermitted"} {
		if by[reason].Status != "pass" {
			t.Errorf("%s = %+v, want pass\n%s", reason, by[reason], r.stderr)
		}
	}
	if strings.Contains(r.stderr, "organization policies") {
		t.Errorf("--live reads the organization policies; the offline note must not show: %s", r.stderr)
	}
	if !slices.Contains([]int{0, 3}, r.code) {
		t.Errorf("exit %d", r.code)
	}
}
