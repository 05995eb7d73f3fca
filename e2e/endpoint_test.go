package e2e

import (
	"context"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/replcheck/replcheck/internal/gather"
	"github.com/replcheck/replcheck/internal/motoserver"
)

// TestWrongEndpoint points --endpoint-url at servers that are not AWS: a
// plain web server (python3 -m http.server, as a new user tried), a server
// that answers 500 to everything, an http server named with https, and an
// https server named with http. Each run exits 2 with an error naming the
// operation and the endpoint and a hint, and prints no findings, in text
// and in JSON: what such a server answers is never a fact.
func TestWrongEndpoint(t *testing.T) {
	trackSources()
	plain := pythonHTTPServer(t)
	always500 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "<html><body><h1>500 Internal Server Error</h1></body></html>")
	}))
	defer always500.Close()
	plainGo := httptest.NewServer(http.NotFoundHandler())
	defer plainGo.Close()
	tlsServer := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsServer.Config.ErrorLog = log.New(io.Discard, "", 0) // http spoken to it is the point
	tlsServer.StartTLS()
	defer tlsServer.Close()

	cases := []struct {
		name, endpoint string
		message        string // a regexp of the error line, with the operation and the endpoint
	}{
		{"python3 -m http.server", plain, `is not an AWS endpoint: the endpoint answered HTTP `},
		{"500 to everything", always500.URL, `is not an AWS endpoint: the endpoint answered HTTP 500`},
		{"https to an http server", strings.Replace(plainGo.URL, "http://", "https://", 1), `cannot reach https://`},
		// Go's TLS server answers plain HTTP with a 400 and hangs up; a
		// request sent while it hangs up sees the connection reset. Both
		// say the endpoint is wrong.
		{"http to an https server", strings.Replace(tlsServer.URL, "https://", "http://", 1),
			`(is not an AWS endpoint: the endpoint answered HTTP 400|cannot reach http://.*connection reset by peer)`},
	}
	w := &world{t: t, ctx: context.Background(), dir: t.TempDir()}
	for _, tc := range cases {
		for _, format := range []string{"text", "json"} {
			t.Run(tc.name+" "+format, func(t *testing.T) {
				w.t = t
				r := w.execEnv(map[string]string{"AWS_MAX_ATTEMPTS": "2"},
					"preflight", "--source", "src-bucket", "--endpoint-url", tc.endpoint, "--format", format)
				if r.code != 2 {
					t.Errorf("exit %d, want 2", r.code)
				}
				if r.stdout != "" {
					t.Errorf("stdout %q, want no findings", r.stdout)
				}
				if strings.Contains(r.stderr, "SDK ") {
					t.Errorf("the SDK's own log lines reach stderr")
				}
				errLine := regexp.MustCompile(`(?m)^replcheck: error: (sts|s3):[A-Za-z]+: .*` + tc.message + `.*$`)
				if line := errLine.FindString(r.stderr); !strings.Contains(line, tc.endpoint) {
					t.Errorf("stderr lacks an error line naming the operation, %s and %q", tc.endpoint, tc.message)
				}
				if !strings.Contains(r.stderr, "\nreplcheck: hint: ") || !strings.Contains(r.stderr, tc.endpoint) {
					t.Errorf("stderr lacks a hint line")
				}
				for _, op := range slices.Sorted(maps.Keys(r.calls)) {
					if !gather.ReadOnly(op) || !preflightOps[op] {
						t.Errorf("the run called %s", op)
					}
				}
				if t.Failed() {
					t.Log(r.dump())
				}
			})
		}
	}
}

// pythonHTTPServer starts `python3 -m http.server` on a free loopback
// port, serving an empty directory, and returns its URL. Without python3
// the test skips (fails with CI=true).
func pythonHTTPServer(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if motoserver.Required() {
			t.Fatalf("CI=true and python3 is missing: %v", err)
		}
		t.Skipf("skipping: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(py, "-m", "http.server", fmt.Sprint(port), "--bind", "127.0.0.1", "--directory", t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(25 * time.Millisecond) {
		if resp, err := http.Get(url + "/"); err == nil {
			resp.Body.Close()
			return url
		}
	}
	t.Fatalf("python3 -m http.server did not answer on %s", url)
	return ""
}

// TestWrongCredentialEndpoint: credentials whose source's endpoint is not
// what it should be (web identity with --endpoint-url at a plain web
// server, which also receives the STS request; a container credentials URI
// at a server that answers HTML) exit 2 with one error line naming the
// credential operation and the endpoint, and a hint about that endpoint:
// not "no AWS credentials", and not the HTML page line by line.
func TestWrongCredentialEndpoint(t *testing.T) {
	trackSources()
	plain := pythonHTTPServer(t)
	html200 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html>\n<html>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n")
	}))
	defer html200.Close()
	w := &world{t: t, ctx: context.Background(), dir: t.TempDir()}
	token := w.file("web-identity-token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmNpIn0.c2ln")
	noKeys := map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_MAX_ATTEMPTS": "2"}
	cases := []struct {
		name     string
		env      map[string]string
		endpoint string // the endpoint the error and the hint must name
		message  string // a regexp of the error line after the endpoint
		hint     string
	}{
		{"web identity, --endpoint-url at python3 -m http.server",
			with(noKeys, "AWS_WEB_IDENTITY_TOKEN_FILE", token, "AWS_ROLE_ARN", "arn:aws:iam::"+srcAccount+":role/ci"),
			plain, `^sts:AssumeRoleWithWebIdentity \(fetching credentials from web identity\): ENDPOINT is not an AWS endpoint: the endpoint answered HTTP 501 `,
			"--endpoint-url also receives the credential providers' STS requests"},
		{"container credentials URI at python3 -m http.server",
			with(noKeys, "AWS_CONTAINER_CREDENTIALS_FULL_URI", plain+"/v2/credentials/ci"),
			plain + "/v2/credentials/ci", `^endpoint-credentials:GetCredentials \(fetching credentials from the container credentials endpoint\): ENDPOINT is not a container credentials endpoint: the endpoint answered HTTP 404 .*: Error response`,
			"(from AWS_CONTAINER_CREDENTIALS_FULL_URI) does not answer as AWS does"},
		{"container credentials URI at a server answering an HTML page",
			with(noKeys, "AWS_CONTAINER_CREDENTIALS_FULL_URI", html200.URL+"/creds"),
			html200.URL + "/creds", `^endpoint-credentials:GetCredentials \(fetching credentials from the container credentials endpoint\): ENDPOINT is not a container credentials endpoint: the endpoint answered HTTP 200 \(text/html\) whose body does not parse`,
			"(from AWS_CONTAINER_CREDENTIALS_FULL_URI) does not answer as AWS does"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w.t = t
			r := w.execEnv(tc.env, "preflight", "--source", "src-bucket", "--endpoint-url", plain)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want no findings", r.stdout)
			}
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "replcheck: error: ") || !strings.HasPrefix(lines[1], "replcheck: hint: ") {
				t.Fatalf("stderr has %d lines, want one error line and one hint line:\n%s", len(lines), r.stderr)
			}
			errLine := strings.TrimPrefix(lines[0], "replcheck: error: ")
			re := regexp.MustCompile(strings.ReplaceAll(tc.message, "ENDPOINT", regexp.QuoteMeta(tc.endpoint)))
			if !re.MatchString(errLine) || strings.Contains(errLine, "no AWS credentials") || len(errLine) > 400 {
				t.Errorf("error line %q, want one short line matching %q", errLine, re)
			}
			if hint := lines[1]; !strings.Contains(hint, tc.endpoint) || !strings.Contains(hint, tc.hint) || strings.Contains(hint, "credential_process") {
				t.Errorf("%s, want a hint about %s saying %q", hint, tc.endpoint, tc.hint)
			}
			if len(r.calls) != 0 {
				t.Errorf("the run called %v without credentials", r.calls)
			}
		})
	}
}
