package gather

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// The tests in this file measure, at the fake, what the limits of
// limits.go promise AWS: no more IAM requests per second than the rate
// limit allows, and no more requests in flight per service, or in all,
// than the bounds. Each test injects small limits (SessionOptions.limits)
// so that it can exceed them in about a second.

// traffic is what the fake saw of the requests' timing: each request is
// held for a delay before its handler runs, and counts as in flight
// during it (so a request counted in flight has not been answered yet,
// and the client still holds its slot).
type traffic struct {
	mu       sync.Mutex
	inflight map[string]int         // by service; "" is every service
	max      map[string]int         // the most in flight at once
	arrivals map[string][]time.Time // by service
}

// instrument wraps every handler f has so far.
func instrument(f *fakeAWS, delay time.Duration) *traffic {
	tr := &traffic{inflight: map[string]int{}, max: map[string]int{}, arrivals: map[string][]time.Time{}}
	f.mu.Lock()
	defer f.mu.Unlock()
	for op, h := range f.handlers {
		f.handlers[op] = func(q *fakeReq) {
			tr.enter(q.service)
			time.Sleep(delay)
			tr.leave(q.service)
			h(q)
		}
	}
	return tr
}

func (tr *traffic) enter(service string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.arrivals[service] = append(tr.arrivals[service], time.Now())
	for _, k := range []string{service, ""} {
		tr.inflight[k]++
		tr.max[k] = max(tr.max[k], tr.inflight[k])
	}
}

func (tr *traffic) leave(service string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.inflight[service]--
	tr.inflight[""]--
}

// manyRoles is an account with n source buckets, each replicating to the
// shared bucket dst with a role of its own (one inline policy, one managed
// policy of its own): six IAM reads per role.
func manyRoles(t *testing.T, n int) *fakeAWS {
	f := newFake(t)
	buckets := []fakeBucket{{name: "dst", region: "us-west-2", owner: testAccount, versioning: "Enabled", encryption: "AES256"}}
	var roles []fakeRole
	policies := map[string]string{}
	for i := range n {
		role := fmt.Sprintf("role-%02d", i)
		managed := "arn:aws:iam::" + testAccount + ":policy/" + role
		policies[managed] = managedDoc
		roles = append(roles, fakeRole{name: role, trust: trustDoc, inline: map[string]string{"inline": inlineDoc}, attached: [][]string{{managed}}})
		buckets = append(buckets, fakeBucket{name: fmt.Sprintf("src-%02d", i), region: "eu-west-1", owner: testAccount, versioning: "Enabled", encryption: "AES256",
			replication: `<Role>arn:aws:iam::` + testAccount + `:role/` + role + `</Role><Rule><ID>all</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix></Prefix></Filter>` +
				`<Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>`})
	}
	fakeS3(t, f, buckets)
	fakeIAM(f, roles, policies, false)
	fakeNoOrganization(f)
	f.on("sts:GetCallerIdentity", callerIdentity(testAccount))
	return f
}

// testLimits are limits with the given bounds.
func testLimits(perService int, iamRate rate.Limit, iamBurst int) *limits {
	l := newLimits()
	l.perService, l.iamRate, l.iamBurst = perService, iamRate, iamBurst
	return l
}

// auditAll reads every bucket of testAccount as source.Audit does, with
// workers buckets at a time: the replication configuration, then, unless
// it has none, the snapshot; each bucket is forgotten in listing order
// once it and every bucket before it are read. It returns the snapshots
// by bucket.
func auditAll(t *testing.T, opt SessionOptions, workers int, bopt func(bucket string) BucketOptions) map[string]*snapshot.Snapshot {
	t.Helper()
	s, err := NewSession(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	acct, err := s.BaseAccount()
	if err != nil {
		t.Fatal(err)
	}
	s.SetAudited([]string{acct})
	entries, why := s.Buckets(acct)
	if why != nil {
		t.Fatalf("buckets: %v", why)
	}
	snaps := make([]*snapshot.Snapshot, len(entries))
	done := make([]chan struct{}, len(entries))
	for i := range done {
		done[i] = make(chan struct{})
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				e := entries[i]
				if repl := s.Replication(acct, e.Name, e.Region); !repl.IsAbsent() {
					snaps[i] = s.Gather(acct, e.Name, repl, bopt(e.Name))
				}
				close(done[i])
			}
		}()
	}
	go func() {
		for i := range entries {
			jobs <- i
		}
		close(jobs)
	}()
	for i, e := range entries { // reported, and forgotten, in order
		<-done[i]
		s.Forget(e.Name)
	}
	wg.Wait()
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string]*snapshot.Snapshot{}
	for i, e := range entries {
		if snaps[i] != nil {
			out[e.Name] = snaps[i]
		}
	}
	return out
}

// checkRoles fails unless every snapshot read its role in full: a
// limit must slow the reads, not lose them.
func checkRoles(t *testing.T, snaps map[string]*snapshot.Snapshot, n int) {
	t.Helper()
	if len(snaps) != n {
		t.Fatalf("%d snapshots, want %d", len(snaps), n)
	}
	for name, s := range snaps {
		if len(s.Roles) != 1 || !s.Roles[0].Exists.IsKnown() || !s.Roles[0].InlinePolicies.IsKnown() || !s.Roles[0].ManagedPolicies.IsKnown() ||
			len(s.Destinations) != 1 || !s.Destinations[0].Versioning.IsKnown() {
			t.Errorf("%s: facts not read: roles %+v destinations %+v", name, s.Roles, s.Destinations)
		}
	}
}

// TestIAMRateLimit: an audit with many roles to read sends IAM no more
// requests than its token bucket allows: in any span of time d, at most
// burst + rate·d requests, with an allowance for the varying time from
// the limiter to the fake's handler (on a loaded machine under -race,
// over a hundred milliseconds). Without the limiter the fake sees the 96
// requests at 180 to 2,000 a second (with and without -race).
func TestIAMRateLimit(t *testing.T) {
	const (
		roles = 16
		limit = 50 // requests per second
		burst = 4
		// jitter is how much later than its token a request may reach
		// the fake: up to 150 ms were seen under -race on a busy machine,
		// and CI runs every package at once. A limiter at twice the rate
		// would still fail (96 requests in about 0.95 s, where 77 are
		// allowed), and none at all by far (96 in 0.1 s, 34 allowed).
		jitter = 500 * time.Millisecond
	)
	f := manyRoles(t, roles)
	tr := instrument(f, 2*time.Millisecond)
	snaps := auditAll(t, SessionOptions{Access: f.access(), limits: testLimits(perService, limit, burst)}, 16,
		func(string) BucketOptions { return BucketOptions{} })
	checkRoles(t, snaps, roles)

	times := tr.arrivals["iam"]
	if want := 6 * roles; len(times) < want {
		t.Fatalf("the fake saw %d IAM requests, want at least %d", len(times), want)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	worst, worstSpan, worstN := 0.0, time.Duration(0), 0
	for i := range times {
		for j := i; j < len(times); j++ {
			d := times[j].Sub(times[i])
			n := j - i + 1
			if excess := float64(n) - (burst + limit*(d+jitter).Seconds()); excess > worst {
				worst, worstSpan, worstN = excess, d, n
			}
		}
	}
	if worst > 0 {
		t.Errorf("%d IAM requests within %v: %.1f more than the limit of %d per second with a burst of %d allows (with %v for jitter)",
			worstN, worstSpan, worst, limit, burst, jitter)
	}
	span := times[len(times)-1].Sub(times[0])
	t.Logf("%d IAM requests in %v (%.0f per second)", len(times), span, float64(len(times)-1)/span.Seconds())
}

// TestInFlightLimits: the fake never sees more requests in flight to one
// service than the per-service bound, nor more in all than the run's
// concurrency; with enough work, each bound is reached (the test measures
// a bound, not an idle audit).
func TestInFlightLimits(t *testing.T) {
	const roles = 12
	for _, tc := range []struct {
		name        string
		perService  int
		concurrency int
		// bound is the most in flight allowed by service ("" all).
		bound map[string]int
	}{
		{"per-service", 3, 64, map[string]int{"s3": 3, "iam": 3, "": 64}},
		{"overall", perService, 5, map[string]int{"s3": 5, "iam": 5, "": 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := manyRoles(t, roles)
			tr := instrument(f, 15*time.Millisecond)
			snaps := auditAll(t, SessionOptions{Access: f.access(), Concurrency: tc.concurrency,
				limits: testLimits(tc.perService, rate.Inf, 0)}, 16, func(string) BucketOptions { return BucketOptions{} })
			checkRoles(t, snaps, roles)
			tr.mu.Lock()
			defer tr.mu.Unlock()
			for service, bound := range tc.bound {
				if got := tr.max[service]; got > bound {
					t.Errorf("%d requests to %q in flight at once, want at most %d", got, service, bound)
				}
			}
			// The tightest bound was reached: the audit had work to
			// exceed it.
			tight := "s3"
			if tc.name == "overall" {
				tight = ""
			}
			if got := tr.max[tight]; got < tc.bound[tight] {
				t.Errorf("at most %d requests to %q in flight, want the bound %d reached", got, tight, tc.bound[tight])
			}
			t.Logf("most in flight: %v", tr.max)
		})
	}
}
