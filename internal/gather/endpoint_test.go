package gather

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// plainWebServer answers as `python3 -m http.server` does in an empty
// directory: an HTML listing for GET /, an HTML 404 page for any other
// GET, a bare 404 for HEAD, and an HTML 501 for POST. It sends no AWS
// request ID.
func plainWebServer(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Server", "SimpleHTTP/0.6 Python/3.11.7")
	page := func(status int, body string) {
		w.Header().Set("Content-Type", "text/html;charset=utf-8")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			fmt.Fprintf(w, "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n</head>\n<body>\n<h1>%s</h1>\n</body>\n</html>\n", body, body)
		}
	}
	switch {
	case r.Method == http.MethodPost:
		page(http.StatusNotImplemented, "Error response: Unsupported method ('POST')")
	case r.URL.Path == "/":
		page(http.StatusOK, "Directory listing for /")
	default:
		page(http.StatusNotFound, "Error response: File not found")
	}
}

// TestWrongEndpoint: an endpoint that is not AWS stops the run with an
// *EndpointError naming the operation and the endpoint, and no snapshot:
// no check ever sees its answers as facts.
func TestWrongEndpoint(t *testing.T) {
	var attempts atomic.Int32
	cases := []struct {
		name    string
		handler http.HandlerFunc
		tls     bool   // the server speaks https
		scheme  string // the scheme replcheck is given
		problem EndpointProblem
		message string
	}{
		{"plain web server", plainWebServer, false, "http", NotAWS, "is not an AWS endpoint: the endpoint answered HTTP"},
		{"500 to everything", func(w http.ResponseWriter, _ *http.Request) {
			attempts.Add(1)
			http.Error(w, "<html><body>Internal Server Error</body></html>", http.StatusInternalServerError)
		}, false, "http", NotAWS, "HTTP 500"},
		{"xhtml 404 that parses as XML", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
		}, false, "http", NotAWS, "HTTP 404"},
		{"empty 200 to everything", func(w http.ResponseWriter, _ *http.Request) {}, false, "http", NotAWS,
			"HTTP 200 without the request ID that every AWS answer carries"},
		{"https to an http server", plainWebServer, false, "https", Unreachable, "cannot reach https://"},
		{"http to an https server", plainWebServer, true, "http", NotAWS, "HTTP 400"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(tc.handler)
			if tc.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			endpoint := tc.scheme + "://" + strings.SplitN(srv.URL, "://", 2)[1]
			attempts.Store(0)
			rec := &Recorder{}
			snap, err := Gather(context.Background(), Options{Access: Access{EndpointURL: endpoint, MaxBackoff: time.Millisecond},
				Source: "src", Recorder: rec, Questions: func(*snapshot.Snapshot) []Question { return nil }})
			var ee *EndpointError
			if !errors.As(err, &ee) {
				t.Fatalf("Gather = %v, %v; want an *EndpointError", snap, err)
			}
			if snap != nil {
				t.Errorf("Gather returned a snapshot with its error")
			}
			if ee.Problem != tc.problem || ee.Endpoint != endpoint || !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q (problem %d, endpoint %q), want problem %d at %s saying %q", err, ee.Problem, ee.Endpoint, tc.problem, endpoint, tc.message)
			}
			if !probeOperations[ee.Operation] || !strings.HasPrefix(err.Error(), ee.Operation+": ") {
				t.Errorf("error %q should name the probe that failed first, not %q", err, ee.Operation)
			}
			if ee.Hint() == "" || !strings.Contains(ee.Hint(), endpoint) {
				t.Errorf("hint %q does not name %s", ee.Hint(), endpoint)
			}
			for op := range rec.Calls() {
				if !probeOperations[op] {
					t.Errorf("%s was called after a probe failed", op)
				}
			}
			if tc.name == "500 to everything" && attempts.Load() < 5 {
				t.Errorf("%d requests, want every probe retried (5 attempts)", attempts.Load())
			}
		})
	}
}

// TestNotAWSLaterAnswer: an endpoint whose probes answer as AWS does, but
// which answers a later read with an HTML page, a 5xx after retries, or a
// body that does not parse, stops the run naming that read.
func TestNotAWSLaterAnswer(t *testing.T) {
	cases := []struct {
		name, op string
		answer   func(*fakeReq)
		problem  EndpointProblem
		message  string
	}{
		{"html 404", "s3:GetBucketVersioning", func(q *fakeReq) {
			q.w.Header().Del("x-amzn-RequestId")
			q.w.Header().Set("Content-Type", "text/html")
			q.w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(q.w, "<html><body><h1>Not Found</h1></body></html>")
		}, NotAWS, "without an AWS error code or request ID"},
		{"body that does not parse", "iam:GetRole", func(q *fakeReq) {
			q.w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(q.w, "<GetRoleResponse><GetRoleResult><Role>")
		}, NotAWS, "whose body does not parse as an AWS answer"},
		{"kms 503 after retries", "kms:DescribeKey", func(q *fakeReq) {
			q.fail(http.StatusServiceUnavailable, "KMSInternalException", "try later")
		}, ServerError, "kept failing after retries: HTTP 503"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.f.on(tc.op, tc.answer)
			_, err := Gather(context.Background(), Options{Access: w.f.access(), Source: "src"})
			var ee *EndpointError
			if !errors.As(err, &ee) || ee.Operation != tc.op || ee.Problem != tc.problem || !strings.Contains(err.Error(), tc.message) ||
				ee.Endpoint != w.f.srv.URL {
				t.Errorf("Gather error = %v, want a problem %d of %s at %s saying %q", err, tc.problem, tc.op, w.f.srv.URL, tc.message)
			}
		})
	}
}

// TestEndpointLackingOptionalOperations: an AWS-compatible endpoint that
// lacks Organizations and the simulator (HTML 500s, as moto answers for
// the simulator) still gives a snapshot: the organization's policies are
// unknown and the simulator unavailable. A HEAD of an object answered 404
// without a request ID (a version deleted meanwhile, through a proxy) is
// an answer too: the probes vouched for the endpoint.
func TestEndpointLackingOptionalOperations(t *testing.T) {
	w := newWorld(t)
	html500 := func(q *fakeReq) {
		q.w.Header().Del("x-amzn-RequestId")
		q.w.Header().Set("Content-Type", "text/html")
		q.w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(q.w, "<!doctype html>\n<html lang=en><title>500 Internal Server Error</title>\n")
	}
	w.f.on("organizations:DescribeOrganization", html500)
	w.f.on("iam:SimulatePrincipalPolicy", html500)
	snap, err := Gather(context.Background(), Options{Access: w.f.access(), Source: "src",
		Questions: func(*snapshot.Snapshot) []Question { return w.questions() }})
	if err != nil {
		t.Fatalf("Gather: %v", err)
	}
	if len(snap.Accounts) != 1 || !snap.Accounts[0].SCPs.IsUnknown() || snap.Accounts[0].SCPs.Error.Operation != "organizations:DescribeOrganization" {
		t.Errorf("accounts = %+v, want SCPs unknown from organizations:DescribeOrganization", snap.Accounts)
	}
	if snap.SimulatorUnavailable == nil {
		t.Error("the simulator is not marked unavailable")
	}

	f := newFake(t)
	f.on("s3:HeadObject", func(q *fakeReq) {
		q.w.Header().Del("x-amzn-RequestId")
		q.w.WriteHeader(http.StatusNotFound)
	})
	f.on("s3:GetObjectTagging", func(q *fakeReq) { q.fail(http.StatusNotFound, "NoSuchKey", "gone") })
	r := newTestRun(t, f, f.access(), nil)
	o := snapshot.ObjectVersion{Key: "gone.txt", VersionID: "v1"}
	r.describeObject(r.base.S3("us-east-1"), "b", &o)
	if !o.Exists.IsKnown() || o.Exists.Value || r.fatal != nil {
		t.Errorf("exists = %+v, run error %v; want known false and the run going on", o.Exists, r.fatal)
	}
}
