package e2e

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/replcheck/replcheck/internal/motoserver"
)

// failBucketOperation answers an S3 operation on one bucket (its
// sub-resource, such as "replication" or "versioning") with 500
// InternalError, every time, as S3 does when it fails: the SDK's retries
// and replcheck's get the same answer. target holds the bucket; "" turns
// the injection off.
func failBucketOperation(target *atomic.Pointer[[2]string]) motoserver.Injection {
	return motoserver.Injection{
		Match: func(r *http.Request) bool {
			t := target.Load()
			return t != nil && signingService(r) == "s3" && r.Method == http.MethodGet &&
				r.URL.Path == "/"+t[0] && r.URL.Query().Has(t[1])
		},
		Respond: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("x-amz-request-id", "e2e-internal-error")
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>`+
				`<Message>We encountered an internal error. Please try again.</Message><RequestId>e2e-internal-error</RequestId></Error>`)
		},
	}
}

// TestAuditOneBucketFailing: a call about one bucket that keeps answering
// HTTP 500 (after the endpoint has answered the audit's first calls as AWS
// does) does not stop the audit: that bucket's findings that depend on the
// call are unknown and name the operation, the bucket and the status, and
// every other bucket gets its findings as without the failure. The audit
// exits 1 (the world has failures), never 2, and writes nothing to
// standard error.
func TestAuditOneBucketFailing(t *testing.T) {
	w := newWorld(t)
	aw := w.buildAuditWorld()
	var target atomic.Pointer[[2]string]
	aw.Proxy.Inject(failBucketOperation(&target))
	a := func(name string) string { return auditAccountA + "/" + name }
	for _, tc := range []struct {
		name             string
		bucket, resource string // the failing call's bucket and sub-resource
		op               string
		source           string // the bucket whose findings change
		// want are its fail, warn and unknown findings; nil: every check
		// is unknown (its configuration could not be read), and
		// SrcBucketReplicationConfigMissing says why.
		want []string
		rule string // the rule the unknown findings are about, if one
		// unread: the source's configuration cannot be read, so the audit
		// does not count it as a bucket with replication.
		unread bool
	}{
		{name: "source replication", bucket: "ok-03", resource: "replication", op: "s3:GetBucketReplication",
			source: a("ok-03"), unread: true},
		{name: "destination versioning", bucket: "dr-two", resource: "versioning", op: "s3:GetBucketVersioning",
			source: a("multi"), want: []string{"DstBucketUnversioned unknown"}, rule: "to-two"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target.Store(&[2]string{tc.bucket, tc.resource})
			defer target.Store(nil)
			r, doc := w.audit(aw.Endpoint, aw.Args...)
			if r.code == 2 {
				t.Fatalf("the audit stopped (exit 2):\n%s", r.dump())
			}
			if r.stderr != "" {
				t.Errorf("the audit wrote to standard error:\n%s", r.stderr)
			}
			wantHere := tc.want
			for _, f := range doc.Findings {
				if f.Source.Account+"/"+f.Source.Bucket != tc.source || f.Status == "pass" || f.Status == "skip" {
					continue
				}
				if f.Status != "unknown" {
					t.Errorf("%s: %s %s, want only unknown findings besides the ones without the failure", tc.source, f.Reason, f.Status)
					continue
				}
				if tc.want == nil {
					wantHere = append(wantHere, f.key())
				}
				text := f.Message + " " + strings.Join(f.Evidence, " ")
				for _, s := range []string{tc.op, "arn:aws:s3:::" + tc.bucket, "HTTP 500"} {
					if !strings.Contains(text, s) {
						t.Errorf("%s unknown does not name %q: %s %q", f.Reason, s, f.Message, f.Evidence)
					}
				}
				if tc.rule != "" && f.Rule != tc.rule {
					t.Errorf("%s unknown is about rule %q, want %q", f.Reason, f.Rule, tc.rule)
				}
			}
			slices.Sort(wantHere)
			wantHere = slices.Compact(wantHere)
			if tc.want == nil && !slices.Contains(wantHere, "SrcBucketReplicationConfigMissing unknown") {
				t.Errorf("%s: unknown findings %q lack SrcBucketReplicationConfigMissing", tc.source, wantHere)
			}
			// Every other bucket's findings, and the audit's counts, are as
			// without the failure.
			want := *aw
			want.Want = maps.Clone(aw.Want)
			want.Want[tc.source] = wantHere
			want.RuleCount = maps.Clone(aw.RuleCount)
			if tc.unread {
				want.RuleCount[tc.source] = 0
			}
			checkAudit(t, &want, r, doc)
			if len(wantHere) == 0 {
				t.Errorf("%s has no unknown finding", tc.source)
			}
			if t.Failed() {
				t.Logf("%s\n%s", r.dump(), doc.raw)
			}
		})
	}
}

// TestAuditUnprovenEndpoint: an endpoint that answers 500 to everything,
// with AWS's error document and request ID, has not proven itself, so the
// audit does not make unknowns of it: it exits 2 with an error naming the
// operation and the endpoint, and prints no report (issue 8).
func TestAuditUnprovenEndpoint(t *testing.T) {
	always500 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amz-request-id", "e2e-internal-error")
		w.Header().Set("x-amzn-RequestId", "e2e-internal-error")
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>internal failure</Message></Error>`+
			`<RequestId>e2e-internal-error</RequestId></ErrorResponse>`)
	}))
	defer always500.Close()
	w := &world{t: t, ctx: context.Background(), dir: t.TempDir()}
	for _, format := range []string{"text", "json"} {
		r := w.execEnv(map[string]string{"AWS_MAX_ATTEMPTS": "2"}, "audit", "--endpoint-url", always500.URL, "--format", format)
		if r.code != 2 || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q; want 2 and no report", format, r.code, r.stdout)
		}
		errLine := regexp.MustCompile(`(?m)^replcheck: error: (sts:GetCallerIdentity|s3:ListBuckets): ` + regexp.QuoteMeta(always500.URL) + ` kept failing after retries: HTTP 500`)
		if !errLine.MatchString(r.stderr) || !strings.Contains(r.stderr, "\nreplcheck: hint: ") {
			t.Errorf("%s: stderr lacks the endpoint error and its hint:\n%s", format, r.stderr)
		}
	}
}
