package gather

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	"github.com/replcheck/replcheck/internal/credserver"
)

// TestCredentialSources: every credential source of the SDK's chain
// works, through the credential guard, and the credentials it yields sign
// replcheck's reads. The credential operations are recorded apart from
// the reads of the user's resources.
func TestCredentialSources(t *testing.T) {
	const role = "arn:aws:iam::" + testAccount + ":role/ci"
	cases := []struct {
		name  string
		opt   credserver.Options
		setup func(t *testing.T, cs *credserver.Server, dir string) (profile string)
		want  map[string]int // credential operations
		serve []string       // what the server answered, in order
	}{
		{"imds-v2", credserver.Options{}, func(t *testing.T, cs *credserver.Server, _ string) string {
			t.Setenv("AWS_EC2_METADATA_DISABLED", "")
			t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", cs.URL)
			return ""
		}, map[string]int{"ec2imds:GetToken": 1, "ec2imds:GetMetadata": 2}, []string{"imds:token", "imds:role", "imds:credentials"}},
		{"imds-v1-fallback", credserver.Options{IMDSv1Only: true}, func(t *testing.T, cs *credserver.Server, _ string) string {
			t.Setenv("AWS_EC2_METADATA_DISABLED", "")
			t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", cs.URL)
			return ""
		}, map[string]int{"ec2imds:GetToken": 1, "ec2imds:GetMetadata": 2}, []string{"imds:role", "imds:credentials"}},
		{"container", credserver.Options{ContainerToken: "container-secret"}, func(t *testing.T, cs *credserver.Server, _ string) string {
			t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", cs.URL+credserver.ContainerPath)
			t.Setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-secret")
			return ""
		}, map[string]int{"endpoint-credentials:GetCredentials": 1}, []string{"container"}},
		{"web-identity", credserver.Options{}, func(t *testing.T, cs *credserver.Server, dir string) string {
			token := filepath.Join(dir, "token")
			writeFile(t, token, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
			t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", token)
			t.Setenv("AWS_ROLE_ARN", role)
			t.Setenv("AWS_ENDPOINT_URL_STS", cs.URL)
			return ""
		}, map[string]int{"sts:AssumeRoleWithWebIdentity": 1}, []string{"sts:AssumeRoleWithWebIdentity"}},
		{"profile-role-chain", credserver.Options{}, func(t *testing.T, cs *credserver.Server, dir string) string {
			writeFile(t, os.Getenv("AWS_CONFIG_FILE"), "[profile chain]\nrole_arn = "+role+"\nsource_profile = base\n\n[profile base]\nregion = us-east-1\n")
			writeFile(t, os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n")
			t.Setenv("AWS_ENDPOINT_URL_STS", cs.URL)
			return "chain"
		}, map[string]int{"sts:AssumeRole": 1}, []string{"sts:AssumeRole"}},
		{"sso", credserver.Options{SSOToken: "sso-access-token"}, func(t *testing.T, cs *credserver.Server, dir string) string {
			writeFile(t, os.Getenv("AWS_CONFIG_FILE"), "[profile sso]\nsso_session = corp\nsso_account_id = "+testAccount+
				"\nsso_role_name = Reader\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n")
			sum := sha1.Sum([]byte("corp"))
			writeFile(t, filepath.Join(dir, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"),
				`{"accessToken": "sso-access-token", "expiresAt": "2099-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}`)
			t.Setenv("HOME", dir)
			t.Setenv("AWS_ENDPOINT_URL_SSO", cs.URL)
			return "sso"
		}, map[string]int{"sso:GetRoleCredentials": 1}, []string{"sso:GetRoleCredentials"}},
		{"credential-process", credserver.Options{}, func(t *testing.T, _ *credserver.Server, dir string) string {
			script := filepath.Join(dir, "creds.sh")
			writeFile(t, script, "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDSOURCE\", \"SecretAccessKey\": \"process-secret\"}'\n")
			if err := os.Chmod(script, 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, os.Getenv("AWS_CONFIG_FILE"), "[profile proc]\ncredential_process = "+script+"\n")
			return "proc"
		}, map[string]int{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("AWS_ACCESS_KEY_ID", "")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "")
			t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
			cs := credserver.Start(tc.opt, credserver.Credentials{AccessKeyID: "AKIDSOURCE", SecretAccessKey: "source-secret", SessionToken: "session"})
			defer cs.Close()
			// AWS_ENDPOINT_URL, not --endpoint-url: that one would also
			// send STS and SSO credential requests to the fake, overriding
			// AWS_ENDPOINT_URL_STS and _SSO (config.WithBaseEndpoint).
			f := newFake(t)
			t.Setenv("AWS_ENDPOINT_URL", f.srv.URL)
			var signedWith string
			f.on("s3:ListBuckets", func(q *fakeReq) {
				signedWith = q.r.Header.Get("Authorization")
				q.s3("ListAllMyBucketsResult", "<Owner><ID>o</ID></Owner><Buckets></Buckets>")
			})
			a := Access{Profile: tc.setup(t, cs, dir), MaxBackoff: f.access().MaxBackoff}
			rec := &Recorder{}
			r := newTestRun(t, f, a, rec)
			if _, err := r.base.cfg.Credentials.Retrieve(context.Background()); err != nil {
				t.Fatalf("no credentials: %v", err)
			}
			if names := r.bucketNames(r.base); !names.IsKnown() {
				t.Fatalf("ListBuckets: %+v", names.Error)
			}
			if !strings.Contains(signedWith, "Credential=AKIDSOURCE/") {
				t.Errorf("ListBuckets signed with %q, want the source's credentials", signedWith)
			}
			if got := rec.CredentialCalls(); !maps.Equal(got, tc.want) {
				t.Errorf("credential calls %v, want %v", got, tc.want)
			}
			if got, want := rec.Calls(), map[string]int{"s3:ListBuckets": 1}; !maps.Equal(got, want) {
				t.Errorf("calls %v, want %v: credential fetches are not reads of the user's resources", got, want)
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
			if strings.Join(served, " ") != strings.Join(tc.serve, " ") {
				t.Errorf("the credential server answered %q, want %q", served, tc.serve)
			}
		})
	}
}

// TestCredentialGuard: a client with the credential guard calls the
// credential operations and refuses anything else, reads included,
// before anything is sent.
func TestCredentialGuard(t *testing.T) {
	cs := credserver.Start(credserver.Options{}, credserver.Credentials{AccessKeyID: "AKID", SecretAccessKey: "s"})
	defer cs.Close()
	rec := &Recorder{}
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(cs.URL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "s", ""),
		APIOptions:  []func(*middleware.Stack) error{rec.credentialMiddleware()}}
	ctx := context.Background()
	if _, err := sts.NewFromConfig(cfg).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String("arn:aws:iam::" + testAccount + ":role/ci"), RoleSessionName: aws.String("s"), WebIdentityToken: aws.String("token")}); err != nil {
		t.Errorf("AssumeRoleWithWebIdentity: %v", err)
	}
	refused := map[string]func() error{
		"sts:GetSessionToken": func() error {
			_, err := sts.NewFromConfig(cfg).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
			return err
		},
		"sts:GetCallerIdentity": func() error {
			_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		},
		"s3:GetBucketPolicy": func() error {
			_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("b")})
			return err
		},
		"iam:CreateRole": func() error {
			_, err := iam.NewFromConfig(cfg).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("{}")})
			return err
		},
	}
	for op, do := range refused {
		if err := do(); err == nil || !strings.Contains(err.Error(), "refuses to call "+op+": it does not fetch credentials") {
			t.Errorf("%s: error %v, want a refusal naming it", op, err)
		}
	}
	if got := cs.Requests(); len(got) != 1 || got[0].What != "sts:AssumeRoleWithWebIdentity" {
		t.Errorf("the server saw %+v, want only the AssumeRoleWithWebIdentity", got)
	}
	if got, want := rec.CredentialCalls(), map[string]int{"sts:AssumeRoleWithWebIdentity": 1}; !maps.Equal(got, want) {
		t.Errorf("credential calls %v, want %v", got, want)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
