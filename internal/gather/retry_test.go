package gather

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// throttleThen answers the first n attempts with a throttling error, then
// with ok.
func throttleThen(n int, status int, code string, ok func(*fakeReq)) func(*fakeReq) {
	var mu sync.Mutex
	seen := 0
	return func(q *fakeReq) {
		mu.Lock()
		seen++
		throttled := seen <= n
		mu.Unlock()
		if throttled {
			q.fail(status, code, "Rate exceeded")
			return
		}
		ok(q)
	}
}

// TestThrottlingRetried: throttled and 5xx answers are retried until the
// call succeeds, in every protocol.
func TestThrottlingRetried(t *testing.T) {
	key := fakeKey{id: "k", account: testAccount, region: "us-east-1", state: "Enabled", usage: "ENCRYPT_DECRYPT", policy: testDoc}
	cases := []struct {
		name, op, code string
		status         int
		ok             func(*fakeReq)
		read           func(r *run) snapshot.State
	}{
		{"s3-503-slowdown", "s3:GetBucketVersioning", "SlowDown", http.StatusServiceUnavailable,
			func(q *fakeReq) { q.s3("VersioningConfiguration", "<Status>Enabled</Status>") },
			func(r *run) snapshot.State { return r.versioning(r.base.S3("us-east-1"), "b").State }},
		{"s3-500-internal", "s3:GetBucketPolicy", "InternalError", http.StatusInternalServerError,
			func(q *fakeReq) { q.w.Write([]byte(testDoc)) },
			func(r *run) snapshot.State { return r.bucketPolicy(r.base.S3("us-east-1"), "b").State }},
		{"iam-400-throttling", "iam:GetRole", "Throttling", http.StatusBadRequest,
			func(q *fakeReq) { q.fail(http.StatusNotFound, "NoSuchEntity", "no role") },
			func(r *run) snapshot.State { return r.role("arn:aws:iam::" + testAccount + ":role/r").Exists.State }},
		{"kms-400-throttling", "kms:DescribeKey", "ThrottlingException", http.StatusBadRequest, nil,
			func(r *run) snapshot.State { return r.key(key.arn(), "", "").Metadata.State }},
		{"sts-400-throttling", "sts:GetCallerIdentity", "Throttling", http.StatusBadRequest, callerIdentity(testAccount),
			func(r *run) snapshot.State { return r.account(r.base).State }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			fakeKMS(t, f, []fakeKey{key})
			fakeIAM(f, nil, nil, false)
			r := newTestRun(t, f, f.access(), nil)
			ok := tc.ok
			if ok == nil {
				ok = f.handlers[tc.op]
			}
			f.on(tc.op, throttleThen(2, tc.status, tc.code, ok))
			if got := tc.read(r); got != snapshot.Known {
				t.Errorf("state %s after two throttles, want known", got)
			}
			if n := f.count(tc.op); n != 3 {
				t.Errorf("%s sent %d times, want 3 (two throttled, one answered)", tc.op, n)
			}
		})
	}
}

// TestRetryLimit: a call that is always throttled is sent MaxAttempts
// times (default 5) by the SDK, and that again in each of throttleRounds
// more rounds; then, as a server that never stops throttling is no source
// of facts, the run stops with an *EndpointError that names the operation.
// Its fact is Unknown with the throttling code, but no report is written.
func TestRetryLimit(t *testing.T) {
	for _, attempts := range []int{0, 2} {
		t.Run(fmt.Sprint(attempts), func(t *testing.T) {
			f := newFake(t)
			f.on("s3:GetBucketVersioning", func(q *fakeReq) {
				q.fail(http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
			})
			a := f.access()
			a.MaxAttempts = attempts
			r := newTestRun(t, f, a, nil)
			v := r.versioning(r.base.S3("us-east-1"), "b")
			if !v.IsUnknown() || v.Error.Code != "SlowDown" {
				t.Errorf("versioning = %+v (%+v), want unknown SlowDown", v, v.Error)
			}
			want := attempts
			if want == 0 {
				want = 5
			}
			want *= throttleRounds + 1
			if n := f.count("s3:GetBucketVersioning"); n != want {
				t.Errorf("sent %d times, want %d", n, want)
			}
			var ee *EndpointError
			if !errors.As(r.fatal, &ee) || ee.Problem != Throttled || !strings.HasPrefix(ee.Error(), "s3:GetBucketVersioning: ") ||
				!strings.Contains(ee.Error(), "kept throttling") || ee.Endpoint != f.srv.URL {
				t.Errorf("run stopped with %v, want throttling of s3:GetBucketVersioning at %s", r.fatal, f.srv.URL)
			}
		})
	}
}

// TestThrottlingOutlastsTheSDK: throttling that outlasts the SDK's own
// attempts is sent again until it is answered: it never becomes an
// unknown fact.
func TestThrottlingOutlastsTheSDK(t *testing.T) {
	f := newFake(t)
	f.on("s3:GetBucketVersioning", throttleThen(12, http.StatusServiceUnavailable, "SlowDown", func(q *fakeReq) {
		q.s3("VersioningConfiguration", "<Status>Enabled</Status>")
	}))
	r := newTestRun(t, f, f.access(), nil)
	if v := r.versioning(r.base.S3("us-east-1"), "b"); !v.IsKnown() || v.Value != "Enabled" {
		t.Errorf("versioning = %+v (%v), want Enabled after 12 throttles", v, v.Error)
	}
	if n := f.count("s3:GetBucketVersioning"); n != 13 {
		t.Errorf("sent %d times, want 13", n)
	}
	if r.fatal != nil {
		t.Errorf("the run stopped: %v", r.fatal)
	}
}

// TestDeniedNotRetried: AccessDenied is an answer, not a transient
// failure, in every protocol.
func TestDeniedNotRetried(t *testing.T) {
	f := newFake(t)
	fakeIAM(f, nil, nil, false)
	for _, op := range []string{"s3:GetBucketVersioning", "iam:GetRole", "kms:DescribeKey", "kms:GetKeyPolicy"} {
		f.on(op, (*fakeReq).denied)
	}
	r := newTestRun(t, f, f.access(), nil)
	r.versioning(r.base.S3("us-east-1"), "b")
	r.role("arn:aws:iam::" + testAccount + ":role/r")
	r.key("arn:aws:kms:us-east-1:"+testAccount+":key/k", "", "")
	for _, op := range []string{"s3:GetBucketVersioning", "iam:GetRole", "kms:DescribeKey", "kms:GetKeyPolicy"} {
		if n := f.count(op); n != 1 {
			t.Errorf("%s sent %d times, want 1", op, n)
		}
	}
}

// TestRetryQuotaDoesNotDrain: 200 concurrent calls on one client, each
// throttled once and then answered, all succeed. With the SDK's default
// retry token bucket (500 tokens, 5 per retry) the 101st concurrent retry
// would fail with "retry quota exceeded" (performance.md §2.1). The second
// attempts are held until every first attempt has been throttled, so that
// all 200 retries are outstanding at once.
func TestRetryQuotaDoesNotDrain(t *testing.T) {
	const n = 200
	f := newFake(t)
	var first sync.Map
	var throttled atomic.Int32
	allThrottled := make(chan struct{})
	f.on("s3:GetBucketVersioning", func(q *fakeReq) {
		if _, again := first.LoadOrStore(q.bucket, true); !again {
			if throttled.Add(1) == n {
				close(allThrottled)
			}
			q.fail(http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
			return
		}
		select {
		case <-allThrottled:
		case <-time.After(10 * time.Second):
			t.Error("not every first attempt arrived")
		}
		q.s3("VersioningConfiguration", "<Status>Enabled</Status>")
	})
	r := newTestRun(t, f, f.access(), nil)
	r.sem = make(chan struct{}, n)
	r.lim.perService = n
	c := r.base.S3("us-east-1")
	results := make([]snapshot.Fact[string], n)
	fs := make([]func(), n)
	for i := range n {
		fs[i] = func() { results[i] = r.versioning(c, fmt.Sprintf("bucket-%03d", i)) }
	}
	parallel(fs...)
	failed := 0
	for i, v := range results {
		if !v.IsKnown() {
			if failed++; failed <= 3 {
				t.Errorf("call %d: %+v (%v)", i, v, v.Error)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d throttled-then-answered calls failed", failed, n)
	}
	if got := f.count("s3:GetBucketVersioning"); got != 2*n {
		t.Errorf("%d requests, want %d", got, 2*n)
	}
}

// TestConnectionRefused: an endpoint that refuses connections stops the
// run with an *EndpointError that names the operation and the endpoint.
func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	start := time.Now()
	_, err = Gather(context.Background(), Options{Access: Access{EndpointURL: "http://" + addr, MaxBackoff: time.Millisecond}, Source: "src"})
	var ee *EndpointError
	if !errors.As(err, &ee) || !IsEndpointError(err) {
		t.Fatalf("Gather error = %v (%T), want *EndpointError", err, err)
	}
	if !strings.Contains(ee.Operation, ":") || !strings.Contains(err.Error(), ee.Operation) || !strings.Contains(err.Error(), addr) {
		t.Errorf("error %q should name the operation (%q) and the endpoint %s", err, ee.Operation, addr)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// hangingServer accepts requests and never answers until the client goes
// away.
func hangingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		io.Copy(io.Discard, r.Body) // the server notices a closed connection only after the body
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first
	return srv, &n
}

// TestCallTimeout: a server that never answers fails each call after
// CallTimeout, and the run stops with an error naming the operation.
func TestCallTimeout(t *testing.T) {
	srv, n := hangingServer(t)
	start := time.Now()
	_, err := Gather(context.Background(), Options{Access: Access{EndpointURL: srv.URL, MaxBackoff: time.Millisecond},
		Source: "src", CallTimeout: 200 * time.Millisecond})
	d := time.Since(start)
	var ee *EndpointError
	if !errors.As(err, &ee) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Gather error = %v, want an *EndpointError for a deadline", err)
	}
	if !strings.Contains(err.Error(), ee.Operation) {
		t.Errorf("error %q does not name the operation", err)
	}
	if d > 3*time.Second {
		t.Errorf("took %v with a 200 ms call timeout", d)
	}
	if n.Load() == 0 {
		t.Error("no request reached the server")
	}
}

// TestCancel: cancelling the context (Ctrl-C) stops a run promptly with
// context.Canceled, not an endpoint error.
func TestCancel(t *testing.T) {
	srv, n := hangingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for n.Load() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	_, err := Gather(ctx, Options{Access: Access{EndpointURL: srv.URL}, Source: "src"})
	d := time.Since(start)
	if !errors.Is(err, context.Canceled) || IsEndpointError(err) {
		t.Fatalf("Gather error = %v, want context.Canceled", err)
	}
	if d > 2*time.Second {
		t.Errorf("took %v to stop after cancel", d)
	}
}
