package e2e

import (
	"crypto/sha1"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/credserver"
	"github.com/replcheck/replcheck/internal/motoserver"
)

// TestCredentialSources runs a live preflight of a healthy pair against
// moto with credentials from each source a CI pipeline uses, served by a
// real local server: the EC2 instance metadata service (IMDSv2, and
// IMDSv1 after the token request is refused), the container endpoint
// (ECS, Fargate, CodeBuild), web identity (EKS IRSA, GitHub Actions OIDC)
// against moto's STS, a profile that assumes a role from a source
// profile, IAM Identity Center, and credential_process. Each run passes
// every check, and its call log holds only reads of the user's resources:
// fetching credentials is not one.
//
// moto files credentials it does not know under 123456789012, the source
// account; the roles that moto's STS hands credentials for are in the
// source account too, and moto makes their credentials act in the role's
// account (aws-emulation.md §2).
func TestCredentialSources(t *testing.T) {
	const ciRole = "arn:aws:iam::" + srcAccount + ":role/ci"
	keys := credserver.Credentials{AccessKeyID: "ASIACREDSERVER", SecretAccessKey: "credserver-secret", SessionToken: "credserver-session"}
	noKeys := map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}
	cases := []struct {
		name string
		opt  credserver.Options
		// env returns the environment of the run; endpointFlag says whether
		// moto is given with --endpoint-url (else with AWS_ENDPOINT_URL).
		env          func(w *world, cs *credserver.Server, moto string) map[string]string
		endpointFlag bool
		served       []string // what the credential server answered, in order
		atMoto       string   // the credential operation moto must have answered
	}{
		{name: "EC2 instance role, IMDSv2", endpointFlag: true,
			env: func(_ *world, cs *credserver.Server, _ string) map[string]string {
				return with(noKeys, "AWS_EC2_METADATA_DISABLED", "", "AWS_EC2_METADATA_SERVICE_ENDPOINT", cs.URL)
			},
			served: []string{"imds:token", "imds:role", "imds:credentials"}},
		{name: "EC2 instance role, IMDSv1 fallback", opt: credserver.Options{IMDSv1Only: true}, endpointFlag: true,
			env: func(_ *world, cs *credserver.Server, _ string) map[string]string {
				return with(noKeys, "AWS_EC2_METADATA_DISABLED", "", "AWS_EC2_METADATA_SERVICE_ENDPOINT", cs.URL)
			},
			served: []string{"imds:role", "imds:credentials"}},
		{name: "container endpoint", opt: credserver.Options{ContainerToken: "container-secret"}, endpointFlag: true,
			env: func(w *world, cs *credserver.Server, _ string) map[string]string {
				token := filepath.Join(w.dir, "container-token")
				w.must("write token", os.WriteFile(token, []byte("container-secret"), 0o600))
				return with(noKeys, "AWS_CONTAINER_CREDENTIALS_FULL_URI", cs.URL+credserver.ContainerPath,
					"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token)
			},
			served: []string{"container"}},
		{name: "web identity", endpointFlag: true,
			env: func(w *world, _ *credserver.Server, _ string) map[string]string {
				token := filepath.Join(w.dir, "web-identity-token")
				w.must("write token", os.WriteFile(token, []byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmNpIn0.c2ln"), 0o600))
				return with(noKeys, "AWS_WEB_IDENTITY_TOKEN_FILE", token, "AWS_ROLE_ARN", ciRole, "AWS_ROLE_SESSION_NAME", "replcheck-ci")
			},
			atMoto: "AssumeRoleWithWebIdentity"},
		{name: "profile role from a source profile", endpointFlag: true,
			env: func(w *world, _ *credserver.Server, _ string) map[string]string {
				return with(noKeys, "AWS_PROFILE", "ci", "AWS_CONFIG_FILE", w.file("config",
					"[profile ci]\nrole_arn = "+ciRole+"\nsource_profile = base\n\n[profile base]\nregion = us-east-1\n"),
					"AWS_SHARED_CREDENTIALS_FILE", w.file("credentials", "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret\n"))
			},
			atMoto: "AssumeRole"},
		{name: "IAM Identity Center", opt: credserver.Options{SSOToken: "sso-access-token"},
			env: func(w *world, cs *credserver.Server, moto string) map[string]string {
				sum := sha1.Sum([]byte("corp"))
				w.file(filepath.Join("home", ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"),
					`{"accessToken": "sso-access-token", "expiresAt": "2099-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}`)
				// The portal is not moto: AWS_ENDPOINT_URL_SSO sends it to
				// the credential server (--endpoint-url would override it).
				return with(noKeys, "AWS_PROFILE", "sso", "AWS_ENDPOINT_URL", moto, "AWS_ENDPOINT_URL_SSO", cs.URL,
					"AWS_CONFIG_FILE", w.file("config", "[profile sso]\nsso_session = corp\nsso_account_id = "+srcAccount+
						"\nsso_role_name = Reader\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"))
			},
			served: []string{"sso:GetRoleCredentials"}},
		{name: "credential_process", endpointFlag: true,
			env: func(w *world, _ *credserver.Server, _ string) map[string]string {
				script := w.file("creds.sh", "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS\", \"SecretAccessKey\": \"process-secret\"}'\n")
				w.must("chmod", os.Chmod(script, 0o755))
				return with(noKeys, "AWS_PROFILE", "proc", "AWS_CONFIG_FILE", w.file("config", "[profile proc]\ncredential_process = "+script+"\n"))
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			args := w.build(pair{})
			cs := credserver.Start(tc.opt, keys)
			defer cs.Close()
			// A tracing proxy in front of moto shows the STS credential
			// requests, which the call log does not hold.
			p, err := motoserver.NewProxy(w.endpoint, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			p.Trace(true)
			env := tc.env(w, cs, p.URL)
			endpoint := ""
			if tc.endpointFlag {
				endpoint = p.URL
			}

			r := w.preflightEnv(env, endpoint, args...)
			checkCalls(t, r)
			if r.code != 0 || r.doc == nil {
				t.Fatalf("exit %d, want 0 with a report\n%s", r.code, r.dump())
			}
			if got := r.decided(); len(got) != 0 {
				t.Errorf("fail/warn/unknown findings %q, want none", got)
			}
			for _, reason := range append([]string{"DstBucketNotFound", "DstBucketUnversioned"}, rolePasses...) {
				if st := r.status(reason); len(st) == 0 || slices.ContainsFunc(st, func(s string) bool { return s != "pass" }) {
					t.Errorf("%s: statuses %q, want pass", reason, st)
				}
			}
			if r.doc.Source.Account != srcAccount {
				t.Errorf("source account %q, want %s", r.doc.Source.Account, srcAccount)
			}
			if n := r.calls["sts:AssumeRole"]; n != 0 {
				t.Errorf("the call log holds sts:AssumeRole ×%d: a credential provider's call is not replcheck's", n)
			}

			var served []string
			for _, req := range cs.Requests() {
				if !req.Refused {
					served = append(served, req.What)
				}
				if strings.HasPrefix(req.What, "imds:") && req.What != "imds:token" && req.WithIMDSToken == tc.opt.IMDSv1Only {
					t.Errorf("%s with the IMDSv2 token: %v, want %v", req.What, req.WithIMDSToken, !tc.opt.IMDSv1Only)
				}
			}
			if !slices.Equal(served, tc.served) {
				t.Errorf("the credential server answered %q, want %q", served, tc.served)
			}
			n := 0
			for _, sp := range p.Spans() {
				if strings.HasSuffix(sp.Operation, ":AssumeRoleWithWebIdentity") || strings.HasSuffix(sp.Operation, ":AssumeRole") {
					if tc.atMoto == "" || !strings.HasSuffix(sp.Operation, ":"+tc.atMoto) {
						t.Errorf("moto answered %s", sp.Operation)
					}
					n++
				}
			}
			if tc.atMoto != "" && n != 1 {
				t.Errorf("moto answered %s %d times, want once", tc.atMoto, n)
			}
			if t.Failed() {
				t.Log(r.dump())
			}
		})
	}
}

// with returns env plus the key-value pairs kv.
func with(env map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range env {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// file writes content to name under the test's directory and returns its
// path.
func (w *world) file(name, content string) string {
	w.t.Helper()
	path := filepath.Join(w.dir, name)
	w.must("mkdir", os.MkdirAll(filepath.Dir(path), 0o755))
	w.must("write "+name, os.WriteFile(path, []byte(content), 0o644))
	return path
}
