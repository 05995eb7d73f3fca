package generate

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/fixtures"
	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/internal/source"
)

// unproven are the fixtures whose generated policies the proof rejects,
// each because of something the generated policies cannot change: the
// test fails when one of them is proven, or when another is not, and it
// checks that every failure is beyond the policies.
var unproven = map[string]string{
	"AssumeRoleNotPermitted/path-mismatch.json":                            "the configuration names the role without its path",
	"DeleteMarkerReplicationWithTagFilter/tag-filter-and-enabled.json":     "every rule is Disabled, which no policy fixes",
	"SrcBucketReplicationConfigMissing/all-rules-disabled.json":            "every rule is Disabled, which no policy fixes",
	"DstDelObjNotPermitted/v2-enabled-dst-policy-unreadable.json":          "the destination bucket policy could not be read",
	"DstMultipartCompleteNotPermitted/dst-region-unknown.json":             "the destination's Region, which kms:ViaService names, could not be read",
	"DstMultipartInitNotPermitted/replica-key-policy-unreadable.json":      "the replica key's policy could not be read",
	"DstMultipartInitNotPermitted/s3-denied-replica-key-not-gathered.json": "the snapshot has no facts for the replica key",
	"DstMultipartPartUploadNotPermitted/replica-key-not-gathered.json":     "the snapshot has no facts for the replica key",
	"DstPutAclNotPermitted/object-writer-dst-policy-unreadable.json":       "the destination bucket policy could not be read",
	"DstPutLegalHoldNotPermitted/source-object-lock-unreadable.json":       "the source's Object Lock configuration could not be read",
	"DstPutObjNotPermitted/b-boundary-caps-role-arn-grant.json":            "a permissions boundary caps the role",
	"DstPutObjNotPermitted/b-dst-policy-requires-kms-rejects-sse-s3.json":  "a Deny in the destination bucket policy refuses SSE-S3 replicas",
	"DstPutObjNotPermitted/b-dst-rcp-denies-external-principals.json":      "a resource control policy denies other accounts",
	"DstPutObjNotPermitted/b-scp-without-allow.json":                       "a service control policy allows nothing of S3",
	"DstPutObjNotPermitted/dst-policy-unreadable.json":                     "the destination bucket policy could not be read",
	"DstPutObjNotPermitted/vpce-deny.json":                                 "a Deny in the destination bucket policy demands a VPC endpoint",
	"DstPutRetentionNotPermitted/cross-account-dst-policy-unreadable.json": "the destination bucket policy could not be read",
	"SrcGetAclNotPermitted/foreign-owned-object.json":                      "a sampled object is owned by another account",
	"SrcGetAclNotPermitted/object-owner-unread.json":                       "a sampled object's owner could not be read",
	"SrcGetAclNotPermitted/ownership-unreadable.json":                      "the source's Object Ownership could not be read",
	"SrcGetAclNotPermitted/scp-denies-acl-read.json":                       "a service control policy denies s3:GetObjectVersionAcl",
	"SrcGetLegalHoldNotPermitted/object-lock-unreadable.json":              "the source's Object Lock configuration could not be read",
	"SrcGetObjNotPermitted/aws-s3-default-key-not-gathered.json":           "the snapshot has no facts for the source's aws/s3 key",
	"SrcGetObjNotPermitted/key-policy-unreadable.json":                     "the source key's policy could not be read",
	"SrcGetObjNotPermitted/vpce-deny.json":                                 "a Deny in the source bucket policy demands a VPC endpoint",
	"SrcGetTaggingNotPermitted/tags-unread.json":                           "a sampled object's tags could not be read",
	"SrcHeadObjectNotPermitted/src-policy-unreadable.json":                 "the source bucket policy could not be read",
	"StalePolicyPrincipal/replica-key-policy-unreadable.json":              "the replica key's policy could not be read",
}

// taggingOnly is the one action granted although no check fails or warns
// without it on most configurations: AWS's access policy grants it, and
// without it S3 replicates objects without their tags (its permission
// page) or fails them (its failure table); SrcGetTaggingNotPermitted warns
// only when the objects are known to carry tags.
const taggingOnly = "s3:GetObjectVersionTagging"

// TestProofOverEveryFixture generates the policies for every scenario and
// base snapshot with a replication configuration, and proves them:
// sufficient (no permission check fails or is undecided with them in
// place) and necessary (without any one statement, a check fails, or warns
// where it passed), and, one level finer, every action of every statement
// is needed too. The configurations S3 would refuse are proven as well:
// the policies are for their rules as written.
func TestProofOverEveryFixture(t *testing.T) {
	files, err := filepath.Glob("../../fixtures/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	proven, without := 0, 0
	seen := map[string]bool{}
	for _, file := range files {
		name := strings.TrimPrefix(file, "../../fixtures/")
		snap, opt := loadFixture(t, file)
		if !snap.Replication.IsKnown() {
			without++
			continue
		}
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			p, err := Generate(snap, Options{Batch: opt.Batch})
			if err != nil {
				t.Fatal(err)
			}
			proof, err := Verify(snap, p, opt)
			if err != nil {
				t.Fatal(err)
			}
			why, expected := unproven[name]
			seen[name] = true
			switch {
			case proof.Verified && expected:
				t.Errorf("proven, but listed as unproven (%s): take it off the list", why)
			case !proof.Verified && !expected:
				t.Errorf("not proven:\n%s", describe(proof))
			case !proof.Verified && proof.Sufficient:
				t.Errorf("listed as unproven (%s), but sufficient; a statement is not needed:\n%s", why, describe(proof))
			}
			for _, f := range proof.Findings {
				if (f.Status == checks.StatusFail || f.Status == checks.StatusUnknown) && !f.BeyondPolicies {
					t.Errorf("%s %s could be fixed by the policies, yet they do not: %s", f.Reason, f.Status, f.Message)
				}
			}
			if proof.Verified {
				proven++
				checkEveryActionNeeded(t, snap, p, opt)
			}
		})
	}
	for name := range unproven {
		if !seen[name] {
			t.Errorf("%s is listed as unproven but is no fixture with a replication configuration", name)
		}
	}
	t.Logf("%d fixtures proven, %d not (beyond the policies), %d without a replication configuration", proven, len(unproven), without)
	if proven < 250 {
		t.Errorf("only %d fixtures proven", proven)
	}
}

// unprovenPlans are the plan fixtures whose generated policies the proof
// rejects, each because of a fact the plan leaves unknown.
var unprovenPlans = map[string]string{
	"bucket-prefix-destination":           "the destination's name is known only after apply: whether a grant covers it is unknown",
	"bucket-prefix-source":                "the source's name is known only after apply: whether a grant covers it is unknown",
	"brownfield-disable-key":              "the source bucket exists, and its Object Ownership is not in the plan",
	"brownfield-suspend-versioning":       "the source bucket exists, and its Object Ownership is not in the plan",
	"brownfield-unauthorised-destination": "the source bucket exists, and its Object Ownership is not in the plan",
	"sse-kms-new-replica-key":             "the replica key is created by the apply: its ARN and policy are unknown",
	"unmanaged-destination":               "the destination bucket is not in the plan: its owner and policy are unknown",
}

// TestProofOverEveryPlan proves the policies generated for every source
// bucket of every Terraform plan fixture, as 'policy generate --plan'
// does.
func TestProofOverEveryPlan(t *testing.T) {
	dirs, err := filepath.Glob("../../fixtures/plans/*/plan.json")
	if err != nil || len(dirs) < 14 {
		t.Fatalf("want the plan fixtures, found %d (%v)", len(dirs), err)
	}
	for _, file := range dirs {
		name := filepath.Base(filepath.Dir(file))
		t.Run(name, func(t *testing.T) {
			var snaps []*snapshot.Snapshot
			err := source.Plan{Path: file, Dir: filepath.Dir(file)}.Snapshots(context.Background(), func(s *snapshot.Snapshot) error {
				snaps = append(snaps, s)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			why, expected := unprovenPlans[name]
			verified := true
			for _, snap := range snaps {
				p, err := Generate(snap, Options{})
				if err != nil {
					t.Fatal(err)
				}
				proof, err := Verify(snap, p, checks.Options{})
				if err != nil {
					t.Fatal(err)
				}
				verified = verified && proof.Verified
				if !proof.Verified && !expected {
					t.Errorf("%s: not proven:\n%s", snap.Source.Name, describe(proof))
				}
				for _, f := range proof.Findings {
					if (f.Status == checks.StatusFail || f.Status == checks.StatusUnknown) && !f.BeyondPolicies {
						t.Errorf("%s %s could be fixed by the policies, yet they do not: %s", f.Reason, f.Status, f.Message)
					}
				}
			}
			if verified && expected {
				t.Errorf("proven, but listed as unproven (%s): take it off the list", why)
			}
		})
	}
}

// loadFixture reads a scenario, or a base snapshot.
func loadFixture(t *testing.T, file string) (*snapshot.Snapshot, checks.Options) {
	t.Helper()
	if filepath.Base(filepath.Dir(file)) == "base" {
		snap, err := snapshot.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		return snap, checks.Options{Batch: snap.Batch != nil}
	}
	sc, snap, err := fixtures.Load("../../fixtures", file)
	if err != nil {
		t.Fatal(err)
	}
	return snap, checks.Options{Batch: sc.Options.Batch}
}

// checkEveryActionNeeded drops each action of each statement with more
// than one, and requires a check to get worse, s3:GetObjectVersionTagging
// excepted (taggingOnly).
func checkEveryActionNeeded(t *testing.T, snap *snapshot.Snapshot, p *Policies, opt checks.Options) {
	t.Helper()
	base, err := permissionFindings(snap, p, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range p.statementRefs() {
		st := ref.statement()
		if len(st.Action) < 2 {
			continue
		}
		for i, action := range slices.Clone(st.Action) {
			if action == taggingOnly {
				continue
			}
			all := st.Action
			st.Action = slices.Delete(slices.Clone(all), i, i+1)
			w, err := permissionFindings(snap, p, opt)
			st.Action = all
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(w.order, func(k string) bool { return worse(base.byKey[k].Status, w.byKey[k].Status) }) {
				t.Errorf("%s statement %s: without %s no check gets worse", ref.policy, ref.sid, action)
			}
		}
	}
}

// describe renders a proof for test failures.
func describe(p *Proof) string {
	var b strings.Builder
	for _, f := range p.Findings {
		b.WriteString("  " + f.Reason + " " + string(f.Status) + ": " + f.Message + "\n")
	}
	for _, s := range p.Statements {
		if !s.Necessary {
			b.WriteString("  not needed: " + s.Policy + " " + s.Sid + " (" + strings.Join(s.WithoutIt, ", ") + ")\n")
		}
	}
	return b.String()
}
