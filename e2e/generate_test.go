package e2e

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/generate"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// generateCase builds buckets and keys but no role and no policy, and
// returns the configuration to generate the policies for and the
// arguments that read the facts.
type generateCase struct {
	name  string
	setup func(w *world) (snapshot.ReplicationConfiguration, []string)
	// grants are actions the generated role policy must hold, and
	// never those it must not.
	grants, never []string
	// viaCLI applies the policies by running the aws commands that
	// --format cli prints, instead of with the SDK.
	viaCLI bool
}

var generateCases = []generateCase{
	{
		name: "same account",
		setup: func(w *world) (snapshot.ReplicationConfiguration, []string) {
			w.bucket(srcBucket)
			w.bucket(dstBucket, in(srcAccount, away))
			r := rule("replicate-logs", dstBucket)
			r.Filter.Prefix = ptr("logs/")
			return snapshot.ReplicationConfiguration{Role: roleARN, Rules: []snapshot.ReplicationRule{r}}, nil
		},
		grants: []string{"s3:GetObjectVersionForReplication", "s3:ReplicateObject"},
		never:  []string{"s3:ReplicateDelete", "s3:ObjectOwnerOverrideToBucketOwner", "s3:PutObjectLegalHold", "kms:Encrypt"},
		viaCLI: true,
	},
	{
		name: "cross account",
		setup: func(w *world) (snapshot.ReplicationConfiguration, []string) {
			w.bucket(srcBucket)
			w.bucket(dstBucket, in(dstAccount, home))
			r := rule("replicate-all", dstBucket)
			return snapshot.ReplicationConfiguration{Role: roleARN, Rules: []snapshot.ReplicationRule{r}}, []string{"--destination-role", readerRole}
		},
		grants: []string{"s3:ReplicateObject"},
		never:  []string{"s3:ReplicateDelete", "kms:Decrypt"},
	},
	{
		name: "SSE-KMS with a replica key of the destination account",
		setup: func(w *world) (snapshot.ReplicationConfiguration, []string) {
			sourceKey := w.key()
			replica := w.key(keyIn(dstAccount, home))
			w.bucket(srcBucket, defaultKMS(sourceKey))
			w.bucket(dstBucket, in(dstAccount, home))
			r := rule("replicate-tax", dstBucket)
			r.Filter.Prefix = ptr("Tax")
			replicaKey(replica)(&r)
			return snapshot.ReplicationConfiguration{Role: roleARN, Rules: []snapshot.ReplicationRule{r}}, []string{"--destination-role", readerRole}
		},
		grants: []string{"kms:Decrypt", "kms:Encrypt", "s3:ReplicateObject"},
		never:  []string{"s3:ReplicateDelete"},
	},
	{
		name: "Object Lock with delete marker replication",
		setup: func(w *world) (snapshot.ReplicationConfiguration, []string) {
			w.bucket(srcBucket, objectLocked())
			w.bucket(dstBucket, objectLocked())
			r := rule("replicate-all", dstBucket)
			r.DeleteMarkerReplication = &snapshot.StatusElement{Status: "Enabled"}
			return snapshot.ReplicationConfiguration{Role: roleARN, Rules: []snapshot.ReplicationRule{r}}, nil
		},
		grants: []string{"s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:ReplicateDelete", "s3:ListBucket"},
		never:  []string{"kms:Encrypt", "s3:ObjectOwnerOverrideToBucketOwner"},
	},
}

// TestGeneratedPoliciesPassLive generates the policies for a
// configuration whose role does not exist yet, proves them (--verify),
// creates them in moto from the test, outside replcheck, and runs a live
// preflight: it exits 0. The one warning is the trust policy's
// confused-deputy conditions, which AWS does not document S3 to send.
func TestGeneratedPoliciesPassLive(t *testing.T) {
	for _, c := range generateCases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			cfg, extra := c.setup(w)
			args := append([]string{"--endpoint-url", w.endpoint, "--source", srcBucket, "--config", w.configFile(cfg)}, extra...)

			gen := w.exec(append([]string{"policy", "generate", "--verify"}, args...)...)
			if gen.code != 0 {
				t.Fatalf("policy generate --verify: exit %d\n%s\n%s", gen.code, gen.stdout, gen.stderr)
			}
			checkCalls(t, gen)
			var p generate.Policies
			if err := json.Unmarshal([]byte(gen.stdout), &p); err != nil {
				t.Fatalf("the policies are not JSON: %v\n%s", err, gen.stdout)
			}
			if p.Verification == nil || !p.Verification.Verified {
				t.Fatalf("not verified: %+v", p.Verification)
			}
			granted := actions(p.RolePolicy)
			for _, a := range c.grants {
				if !slices.Contains(granted, a) {
					t.Errorf("the role policy does not grant %s: %v", a, granted)
				}
			}
			for _, a := range c.never {
				if slices.Contains(granted, a) {
					t.Errorf("the role policy grants %s: %v", a, granted)
				}
			}

			before := w.preflight("", args...)
			if before.code == 0 {
				t.Fatalf("preflight passes before the policies exist:\n%s", before.dump())
			}
			if c.viaCLI {
				w.applyWithCLI(append([]string{"policy", "generate", "--format", "cli"}, args...))
			} else {
				w.applyGenerated(&p)
			}

			after := w.preflight("", args...)
			checkCalls(t, after)
			if after.code != 0 {
				t.Fatalf("preflight with the generated policies: exit %d\n%s", after.code, after.dump())
			}
			if got := after.decided(); !slices.Equal(got, []string{"AssumeRoleNotPermitted warn"}) {
				t.Errorf("preflight with the generated policies reports %v, want only the trust conditions' warning\n%s", got, after.dump())
			}
		})
	}
}

// actions lists the actions a policy grants.
func actions(doc *checks.IAMPolicy) []string {
	var out []string
	if doc == nil {
		return out
	}
	for _, st := range doc.Statement {
		out = append(out, st.Action...)
	}
	return out
}

// applyGenerated creates the generated policies with the SDK: the role
// (created, or its trust policy replaced) with its inline policy, and the
// statements added to the bucket and key policies of today.
func (w *world) applyGenerated(p *generate.Policies) {
	w.t.Helper()
	name := p.Role[strings.LastIndexByte(p.Role, '/')+1:]
	c := w.iam(arn.Account(p.Role))
	trust := jsonOf(w, p.RoleTrustPolicy)
	_, err := c.GetRole(w.ctx, &iam.GetRoleInput{RoleName: &name})
	var missing *iamtypes.NoSuchEntityException
	switch {
	case errors.As(err, &missing):
		_, err = c.CreateRole(w.ctx, &iam.CreateRoleInput{RoleName: &name, AssumeRolePolicyDocument: &trust})
		w.must("create role "+name, err)
	case err != nil:
		w.must("get role "+name, err)
	default:
		_, err = c.UpdateAssumeRolePolicy(w.ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: &name, PolicyDocument: &trust})
		w.must("trust policy of "+name, err)
	}
	doc := jsonOf(w, p.RolePolicy)
	_, err = c.PutRolePolicy(w.ctx, &iam.PutRolePolicyInput{RoleName: &name, PolicyName: aws.String("replcheck-replication"), PolicyDocument: &doc})
	w.must("role policy of "+name, err)

	for _, b := range p.DestinationBucketPolicies {
		bucket := strings.TrimPrefix(b.Bucket, "arn:aws:s3:::")
		s := w.s3(b.Account, home)
		today := ""
		out, err := s.GetBucketPolicy(w.ctx, &s3.GetBucketPolicyInput{Bucket: &bucket})
		var ae smithy.APIError
		switch {
		case errors.As(err, &ae) && ae.ErrorCode() == "NoSuchBucketPolicy":
		case err != nil:
			w.must("get policy of "+bucket, err)
		default:
			today = *out.Policy
		}
		merged := withStatements(w, today, b.Statements)
		_, err = s.PutBucketPolicy(w.ctx, &s3.PutBucketPolicyInput{Bucket: &bucket, Policy: &merged})
		w.must("policy of "+bucket, err)
	}
	for _, k := range p.KeyPolicyStatements {
		a, _ := arn.Parse(k.Key)
		c := w.kms(a.Account, a.Region)
		out, err := c.GetKeyPolicy(w.ctx, &kms.GetKeyPolicyInput{KeyId: &k.Key, PolicyName: aws.String("default")})
		w.must("get key policy of "+k.Key, err)
		merged := withStatements(w, *out.Policy, k.Statements)
		_, err = c.PutKeyPolicy(w.ctx, &kms.PutKeyPolicyInput{KeyId: &k.Key, PolicyName: aws.String("default"), Policy: &merged})
		w.must("key policy of "+k.Key, err)
	}
}

// applyWithCLI runs the aws CLI commands that 'replcheck policy generate
// --format cli' prints, against moto, in the source account.
func (w *world) applyWithCLI(args []string) {
	w.t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		w.t.Skipf("skipping: the aws CLI is not installed: %v", err)
	}
	gen := w.exec(args...)
	if gen.code != 0 {
		w.t.Fatalf("policy generate --format cli: exit %d\n%s", gen.code, gen.stderr)
	}
	script := filepath.Join(w.dir, "apply.sh")
	w.must("write the commands", os.WriteFile(script, []byte("set -e\n"+gen.stdout), 0o644))
	cmd := exec.CommandContext(w.ctx, "bash", script)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION="+home,
		"AWS_ENDPOINT_URL="+w.endpoint, "AWS_EC2_METADATA_DISABLED=true", "HOME="+w.dir, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		w.t.Fatalf("the printed aws commands failed: %v\n%s\n%s", err, out, gen.stdout)
	}
}

// jsonOf renders a policy.
func jsonOf(w *world, doc *checks.IAMPolicy) string {
	data, err := json.Marshal(doc)
	w.must("encode policy", err)
	return string(data)
}

// withStatements adds statements to a policy of today ("" for none).
func withStatements(w *world, today string, stmts []checks.Statement) string {
	doc := map[string]any{"Version": "2012-10-17", "Statement": []any{}}
	if today != "" {
		w.must("decode policy", json.Unmarshal([]byte(today), &doc))
	}
	list, ok := doc["Statement"].([]any)
	if !ok {
		list = []any{doc["Statement"]}
	}
	for _, s := range stmts {
		list = append(list, s)
	}
	doc["Statement"] = list
	data, err := json.Marshal(doc)
	w.must("encode policy", err)
	return string(data)
}
