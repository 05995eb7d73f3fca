package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/generate"
	"github.com/replcheck/replcheck/internal/motoserver"
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
	// sections are the accounts that the sections of the --format cli
	// commands name, in order: each runs with credentials of its account.
	sections []string
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
		grants:   []string{"s3:GetObjectVersionForReplication", "s3:ReplicateObject"},
		never:    []string{"s3:ReplicateDelete", "s3:ObjectOwnerOverrideToBucketOwner", "s3:PutObjectLegalHold", "kms:Encrypt"},
		sections: []string{srcAccount},
	},
	{
		name: "cross account",
		setup: func(w *world) (snapshot.ReplicationConfiguration, []string) {
			w.bucket(srcBucket)
			w.bucket(dstBucket, in(dstAccount, home))
			r := rule("replicate-all", dstBucket)
			return snapshot.ReplicationConfiguration{Role: roleARN, Rules: []snapshot.ReplicationRule{r}}, []string{"--destination-role", readerRole}
		},
		grants:   []string{"s3:ReplicateObject"},
		never:    []string{"s3:ReplicateDelete", "kms:Decrypt"},
		sections: []string{srcAccount, dstAccount},
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
		grants:   []string{"kms:Decrypt", "kms:Encrypt", "s3:ReplicateObject"},
		never:    []string{"s3:ReplicateDelete"},
		sections: []string{srcAccount, dstAccount, dstAccount},
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
		grants:   []string{"s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:ReplicateDelete", "s3:ListBucket"},
		never:    []string{"kms:Encrypt", "s3:ObjectOwnerOverrideToBucketOwner"},
		sections: []string{srcAccount},
	},
}

// TestGeneratedPoliciesPassLive generates the policies for a
// configuration whose role does not exist yet, proves them (--verify),
// creates them in moto by running, from the test and outside replcheck,
// the aws CLI commands that --format cli prints, each account's with that
// account's credentials, and runs a live preflight: it exits 0, where it
// did not before. The one warning is the trust policy's
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
			ran := w.applyWithCLI(append([]string{"policy", "generate", "--format", "cli"}, args...))
			if !slices.Equal(ran, c.sections) {
				t.Errorf("the printed commands have sections for accounts %v, want %v", ran, c.sections)
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

// applyWithCLI runs, outside replcheck, the aws CLI commands that
// 'replcheck policy generate --format cli' prints for review: each
// section ("# Account N: ...") as it is printed, with credentials of the
// account it names. It returns the accounts of the sections it ran.
// Without the aws CLI the test skips, or fails in CI.
func (w *world) applyWithCLI(args []string) []string {
	w.t.Helper()
	awsCLI, err := exec.LookPath("aws")
	if err != nil {
		if motoserver.Required() {
			w.t.Fatalf("CI=true and the aws CLI is missing: %v", err)
		}
		w.t.Skipf("skipping: the aws CLI is not installed: %v", err)
	}
	gen := w.exec(args...)
	if gen.code != 0 {
		w.t.Fatalf("policy generate --format cli: exit %d\n%s", gen.code, gen.stderr)
	}
	sections := cliSections(w.t, gen.stdout)
	if len(sections) == 0 {
		w.t.Fatalf("policy generate --format cli printed no account section:\n%s", gen.stdout)
	}
	creds := map[string][]string{}
	var ran []string
	for i, s := range sections {
		if !accountID.MatchString(s.account) {
			w.t.Fatalf("section %d names no account (%q):\n%s", i, s.account, s.script)
		}
		if creds[s.account] == nil {
			creds[s.account] = w.cliCredentials(awsCLI, s.account)
		}
		script := filepath.Join(w.dir, fmt.Sprintf("apply-%d.sh", i))
		w.must("write the commands", os.WriteFile(script, []byte(s.script), 0o644))
		cmd := exec.CommandContext(w.ctx, "bash", "-e", script)
		cmd.Env = w.cliEnv(creds[s.account])
		if out, err := cmd.CombinedOutput(); err != nil {
			w.t.Fatalf("the printed aws commands of account %s failed: %v\n%s\n%s", s.account, err, out, s.script)
		}
		ran = append(ran, s.account)
	}
	return ran
}

// cliSection is the part of the printed commands for one account.
type cliSection struct{ account, script string }

var (
	sectionHead = regexp.MustCompile(`(?m)^# Account ([^:]*):`)
	accountID   = regexp.MustCompile(`^[0-9]{12}$`)
)

// cliSections splits the printed commands at each "# Account N:" line.
// What comes before the first one must be comments only: no command may
// run without an account.
func cliSections(t *testing.T, out string) []cliSection {
	t.Helper()
	heads := sectionHead.FindAllStringSubmatchIndex(out, -1)
	if len(heads) > 0 {
		for _, line := range strings.Split(out[:heads[0][0]], "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				t.Fatalf("a command outside any account section: %q\n%s", line, out)
			}
		}
	}
	var sections []cliSection
	for i, h := range heads {
		end := len(out)
		if i+1 < len(heads) {
			end = heads[i+1][0]
		}
		sections = append(sections, cliSection{account: out[h[2]:h[3]], script: out[h[0]:end]})
	}
	return sections
}

// cliCredentials are environment variables of credentials acting in
// account: the CLI's static ones land in moto's default account, the
// source account; another account's come from assuming a role there
// (moto maps an assumed role's access key to the role's account).
func (w *world) cliCredentials(awsCLI, account string) []string {
	w.t.Helper()
	static := []string{"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test"}
	if account == srcAccount {
		return static
	}
	cmd := exec.CommandContext(w.ctx, awsCLI, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+account+":role/policy-applier",
		"--role-session-name", "apply", "--query", "Credentials", "--output", "json")
	cmd.Env = w.cliEnv(static)
	out, err := cmd.Output()
	w.must("aws sts assume-role into "+account, err)
	var c struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	w.must("decode the credentials of "+account, json.Unmarshal(out, &c))
	return []string{"AWS_ACCESS_KEY_ID=" + c.AccessKeyId, "AWS_SECRET_ACCESS_KEY=" + c.SecretAccessKey, "AWS_SESSION_TOKEN=" + c.SessionToken}
}

// cliEnv is the aws CLI's environment: the test's own without its AWS
// variables and HOME, moto's endpoint, no shared configuration, and
// credentials.
func (w *world) cliEnv(creds []string) []string {
	env := []string{"HOME=" + w.dir}
	for _, v := range os.Environ() {
		if !strings.HasPrefix(v, "AWS_") && !strings.HasPrefix(v, "HOME=") {
			env = append(env, v)
		}
	}
	env = append(env, "AWS_DEFAULT_REGION="+home, "AWS_ENDPOINT_URL="+w.endpoint, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	return append(env, creds...)
}
