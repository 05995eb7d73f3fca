package gather

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// TestCredentialEndpointFailure: when the endpoint a credential provider
// fetches from is wrong (not AWS, a 5xx after retries, unreachable), the
// run stops with an *EndpointError that names the credential operation,
// the endpoint, and a hint about the setting that chose it, on one short
// line, not with "no AWS credentials". An answer AWS gives about the
// credentials themselves, or no credential source at all, stays a
// *NoCredentialsError.
func TestCredentialEndpointFailure(t *testing.T) {
	html := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html;charset=utf-8")
			w.WriteHeader(status)
			fmt.Fprint(w, "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<title>Error response</title>\n</head>\n<body>\n"+
				"<h1>Error response</h1>\n<p>Error code: 404</p>\n<p>Message: File not found.</p>\n"+
				"<p>Error code explanation: 404 - Nothing matches the given URI, and this sentence is long.</p>\n</body>\n</html>\n")
		}
	}
	closed := func() string { // a port nothing listens on
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return "http://" + l.Addr().String()
	}()
	webIdentity := func(t *testing.T, url string) Access {
		token := filepath.Join(t.TempDir(), "token")
		writeFile(t, token, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
		t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", token)
		t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::"+testAccount+":role/ci")
		return Access{EndpointURL: url}
	}
	container := func(path string) func(*testing.T, string) Access {
		return func(t *testing.T, url string) Access {
			t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url+path)
			return Access{EndpointURL: closed} // never reached: the credentials fail first
		}
	}
	cases := []struct {
		name    string
		handler http.HandlerFunc // nil: the URL is a closed port
		setup   func(t *testing.T, url string) Access
		// want is the operation, problem and message of the *EndpointError;
		// an empty op wants a *NoCredentialsError.
		op, endpointPath string
		problem          EndpointProblem
		message, hint    string
	}{
		{name: "web identity, plain web server at --endpoint-url", handler: html(http.StatusNotImplemented), setup: webIdentity,
			op: "sts:AssumeRoleWithWebIdentity", problem: NotAWS,
			message: "(fetching credentials from web identity): {url} is not an AWS endpoint: the endpoint answered HTTP 501 (text/html;charset=utf-8) whose body does not parse",
			hint:    "--endpoint-url also receives the credential providers' STS requests (web identity), and {url} does not answer as AWS does"},
		{name: "web identity, 503 after retries", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("x-amzn-RequestId", "r1")
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, "<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>try later</Message></Error><RequestId>r1</RequestId></ErrorResponse>")
		}, setup: webIdentity, op: "sts:AssumeRoleWithWebIdentity", problem: ServerError,
			message: "{url} kept failing after retries: HTTP 503 try later", hint: "{url} kept failing after retries"},
		{name: "web identity, STS unreachable, without --endpoint-url", setup: func(t *testing.T, url string) Access {
			a := webIdentity(t, "")
			t.Setenv("AWS_ENDPOINT_URL_STS", url)
			return a
		}, op: "sts:AssumeRoleWithWebIdentity", problem: Unreachable, message: "cannot reach {url}",
			hint: "the credential providers send their STS requests (web identity) to {url}, which cannot be reached: check AWS_ENDPOINT_URL_STS"},
		{name: "web identity, token refused by STS", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("x-amzn-RequestId", "r2")
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>bad token</Message></Error><RequestId>r2</RequestId></ErrorResponse>")
		}, setup: webIdentity, message: "no AWS credentials: "},
		{name: "container endpoint, HTML 404", handler: html(http.StatusNotFound), setup: container("/v2/credentials/x"),
			op: "endpoint-credentials:GetCredentials", endpointPath: "/v2/credentials/x", problem: NotAWS,
			message: "(fetching credentials from the container credentials endpoint): {url} is not a container credentials endpoint: " +
				"the endpoint answered HTTP 404 (text/html;charset=utf-8) without an AWS error code or request ID: Error response Error response",
			hint: "{url} (from AWS_CONTAINER_CREDENTIALS_FULL_URI) does not answer as AWS does: point it at the container credentials endpoint"},
		{name: "container endpoint, HTML 200", handler: html(http.StatusOK), setup: container("/creds"),
			op: "endpoint-credentials:GetCredentials", endpointPath: "/creds", problem: NotAWS,
			message: "the endpoint answered HTTP 200 (text/html;charset=utf-8) whose body does not parse as an AWS answer"},
		{name: "container endpoint, 500 with an error document", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"code": "InternalError", "message": "agent\nrestarting"}`)
		}, setup: container("/creds"), op: "endpoint-credentials:GetCredentials", endpointPath: "/creds", problem: ServerError,
			message: "{url} kept failing after retries: HTTP 500 agent restarting"},
		{name: "container endpoint unreachable", setup: container("/creds"),
			op: "endpoint-credentials:GetCredentials", endpointPath: "/creds", problem: Unreachable, message: "cannot reach {url}"},
		{name: "container endpoint refuses the token", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"code": "AccessDenied", "message": "bad token"}`)
		}, setup: container("/creds"), message: "no AWS credentials: "},
		{name: "no credential source", setup: func(*testing.T, string) Access { return Access{EndpointURL: closed} },
			message: "no AWS credentials: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
				"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
				"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"} {
				t.Setenv(k, "")
			}
			t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
			url := closed
			if tc.handler != nil {
				srv := httptest.NewServer(tc.handler)
				defer srv.Close()
				url = srv.URL
			}
			a := tc.setup(t, url)
			a.MaxBackoff = time.Millisecond
			rec := &Recorder{}
			snap, err := Gather(context.Background(), Options{Access: a, Source: "src", Recorder: rec,
				Questions: func(*snapshot.Snapshot) []Question { return nil }})
			if snap != nil || err == nil {
				t.Fatalf("Gather = %v, %v; want an error and no snapshot", snap, err)
			}
			if len(rec.Calls()) != 0 {
				t.Errorf("calls %v: nothing may be read without credentials", rec.Calls())
			}
			msg := strings.ReplaceAll(tc.message, "{url}", url+tc.endpointPath)
			var ee *EndpointError
			var nc *NoCredentialsError
			if tc.op == "" {
				if !errors.As(err, &nc) || errors.As(err, &ee) || !strings.HasPrefix(err.Error(), msg) {
					t.Errorf("error %q (%T), want a *NoCredentialsError", err, err)
				}
				return
			}
			if !errors.As(err, &ee) || errors.As(err, &nc) {
				t.Fatalf("error %q (%T), want an *EndpointError", err, err)
			}
			if ee.Operation != tc.op || ee.Problem != tc.problem || ee.Endpoint != url+tc.endpointPath || ee.CredentialSource == "" {
				t.Errorf("EndpointError{%q, %q, problem %d, source %q}, want {%q, %q, problem %d, a credential source}",
					ee.Operation, ee.Endpoint, ee.Problem, ee.CredentialSource, tc.op, url+tc.endpointPath, tc.problem)
			}
			if !strings.HasPrefix(err.Error(), tc.op+" (fetching credentials from ") || !strings.Contains(err.Error(), msg) {
				t.Errorf("error %q, want it to start with %s and say %q", err, tc.op, msg)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "<html") || len(err.Error()) > 400 {
				t.Errorf("error %q: want one short line, without the page's markup", err)
			}
			hint := strings.ReplaceAll(tc.hint, "{url}", url+tc.endpointPath)
			if !strings.Contains(ee.Hint(), url) || !strings.Contains(ee.Hint(), hint) || strings.Contains(ee.Hint(), "credential_process") {
				t.Errorf("hint %q, want one about the endpoint saying %q", ee.Hint(), hint)
			}
		})
	}
}
