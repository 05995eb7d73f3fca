package gather

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// auditWorld is the world with one more replicating bucket, "other", whose
// one rule replicates to dst2 with the world's role.
func auditWorld(t *testing.T) *world {
	w := newWorld(t)
	w.buckets = append(w.buckets, fakeBucket{name: "other", region: "eu-west-1", owner: testAccount, versioning: "Enabled",
		replication: `<Role>` + w.role + `</Role><Rule><ID>all</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix></Prefix></Filter>` +
			`<Destination><Bucket>arn:aws:s3:::dst2</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>`})
	fakeS3(t, w.f, w.buckets)
	return w
}

// failFor makes op answer with fail for bucket, every time, and as before
// for the other buckets.
func failFor(w *world, op, bucket string, fail func(*fakeReq)) {
	w.f.mu.Lock()
	prev := w.f.handlers[op]
	w.f.mu.Unlock()
	w.f.on(op, func(q *fakeReq) {
		if q.bucket == bucket {
			fail(q)
			return
		}
		prev(q)
	})
}

// internalError answers 500 InternalError, as S3 does when it fails.
func internalError(q *fakeReq) {
	q.fail(http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
}

// hang never answers: the client gives up.
func hang(q *fakeReq) { <-q.r.Context().Done() }

// auditSession reads every bucket of testAccount as an audit does
// (source.Audit): its replication configuration, then, unless it has
// none, its snapshot, forgetting its own facts once read. It returns the
// snapshots by bucket, and the session's error.
func auditSession(t *testing.T, w *world, timeout time.Duration) (map[string]*snapshot.Snapshot, error) {
	t.Helper()
	s, err := NewSession(context.Background(), SessionOptions{Access: w.f.access(), CallTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	acct, err := s.BaseAccount()
	if err != nil {
		return nil, err
	}
	s.SetAudited([]string{acct})
	entries, why := s.Buckets(acct)
	if err := s.Err(); err != nil {
		return nil, err
	}
	if why != nil {
		t.Fatalf("buckets: %v", why)
	}
	out := map[string]*snapshot.Snapshot{}
	for _, e := range entries {
		repl := s.Replication(acct, e.Name, e.Region)
		if err := s.Err(); err != nil {
			return out, err
		}
		if !repl.IsAbsent() {
			out[e.Name] = s.Gather(acct, e.Name, repl, BucketOptions{})
		}
		if err := s.Err(); err != nil {
			return out, err
		}
		s.Forget(e.Name)
	}
	return out, nil
}

// jsonOf renders v for comparison.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAuditSurvivesOneBucketFailing: in an audit, once the endpoint has
// answered the first calls, a call about one bucket that keeps answering
// 500 (or never answers) stops nothing: the facts it gives are Unknown,
// naming the operation, the bucket and the status, and every other fact
// of every bucket is what an audit without the failure reads.
func TestAuditSurvivesOneBucketFailing(t *testing.T) {
	clean, err := auditSession(t, auditWorld(t), 0)
	if err != nil || len(clean) != 2 || clean["src"] == nil || clean["other"] == nil {
		t.Fatalf("the clean audit: %v, %d snapshots", err, len(clean))
	}
	for _, tc := range []struct {
		name, op, bucket string
		fail             func(*fakeReq)
		timeout          time.Duration
		// broken makes a clean snapshot into what the failure leaves.
		broken   func(snaps map[string]*snapshot.Snapshot, why *snapshot.FactError)
		code     string
		contains []string
	}{
		{name: "source replication", op: "s3:GetBucketReplication", bucket: "other", fail: internalError,
			broken: func(snaps map[string]*snapshot.Snapshot, why *snapshot.FactError) {
				// Without a configuration, nothing it names is read.
				o := snaps["other"]
				*o = snapshot.Snapshot{SchemaVersion: o.SchemaVersion, Source: o.Source, Accounts: o.Accounts,
					Replication: snapshot.UnknownFact[snapshot.ReplicationConfiguration](why)}
			},
			code: "InternalError", contains: []string{"HTTP 500", "for arn:aws:s3:::other,", "still after retries", "internal error"}},
		{name: "destination versioning", op: "s3:GetBucketVersioning", bucket: "dst1", fail: internalError,
			broken: func(snaps map[string]*snapshot.Snapshot, why *snapshot.FactError) {
				for i := range snaps["src"].Destinations {
					if d := &snaps["src"].Destinations[i]; d.Name == "dst1" {
						d.Versioning = snapshot.UnknownFact[string](why)
					}
				}
			},
			code: "InternalError", contains: []string{"HTTP 500", "for arn:aws:s3:::dst1,"}},
		{name: "source policy timeout", op: "s3:GetBucketPolicy", bucket: "other", fail: hang, timeout: 300 * time.Millisecond,
			broken: func(snaps map[string]*snapshot.Snapshot, why *snapshot.FactError) {
				snaps["other"].Source.Policy = snapshot.UnknownFact[snapshot.PolicyDocument](why)
			},
			code: "Timeout", contains: []string{"gave no answer for arn:aws:s3:::other within 300ms"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := auditWorld(t)
			failFor(w, tc.op, tc.bucket, tc.fail)
			got, err := auditSession(t, w, tc.timeout)
			if err != nil {
				t.Fatalf("the audit stopped: %v", err)
			}
			if w.f.count(tc.op) == 0 {
				t.Fatalf("%s was never called", tc.op)
			}
			why := findUnknown(got, tc.op)
			if why == nil {
				t.Fatalf("no fact is unknown through %s:\n%s", tc.op, jsonOf(t, got))
			}
			t.Logf("%s", why)
			if why.Code != tc.code || !strings.Contains(why.Message, w.f.srv.URL) {
				t.Errorf("the unknown fact's error %q: want code %s, naming the endpoint %s", why, tc.code, w.f.srv.URL)
			}
			for _, s := range tc.contains {
				if !strings.Contains(why.String(), s) {
					t.Errorf("the unknown fact's error %q does not say %q", why, s)
				}
			}
			want := map[string]*snapshot.Snapshot{}
			if err := json.Unmarshal([]byte(jsonOf(t, clean)), &want); err != nil {
				t.Fatal(err)
			}
			tc.broken(want, why)
			if g, wnt := jsonOf(t, got), jsonOf(t, want); g != wnt {
				t.Errorf("snapshots\n%s\nwant\n%s", g, wnt)
			}
		})
	}
}

// findUnknown returns the error of a fact of snaps that op could not
// read, by its JSON.
func findUnknown(snaps map[string]*snapshot.Snapshot, op string) *snapshot.FactError {
	b, _ := json.Marshal(snaps)
	var walk func(v any) *snapshot.FactError
	walk = func(v any) *snapshot.FactError {
		switch x := v.(type) {
		case map[string]any:
			if x["state"] == string(snapshot.Unknown) {
				if e, ok := x["error"].(map[string]any); ok && e["operation"] == op {
					eb, _ := json.Marshal(e)
					var fe snapshot.FactError
					_ = json.Unmarshal(eb, &fe)
					return &fe
				}
			}
			for _, c := range x {
				if fe := walk(c); fe != nil {
					return fe
				}
			}
		case []any:
			for _, c := range x {
				if fe := walk(c); fe != nil {
					return fe
				}
			}
		}
		return nil
	}
	var v any
	_ = json.Unmarshal(b, &v)
	return walk(v)
}

// TestAuditUnprovenEndpoint: a 500 on the audit's first calls, before the
// endpoint has answered as AWS does, still stops the audit with an
// *EndpointError (issue 8: a wrong endpoint is an error, not a finding).
func TestAuditUnprovenEndpoint(t *testing.T) {
	for _, op := range []string{"s3:ListBuckets", "sts:GetCallerIdentity"} {
		t.Run(op, func(t *testing.T) {
			w := auditWorld(t)
			w.f.on(op, internalError)
			_, err := auditSession(t, w, 0)
			var ee *EndpointError
			if !errors.As(err, &ee) || ee.Problem != ServerError || ee.Operation != op {
				t.Errorf("the audit ended with %v, want an endpoint error naming %s", err, op)
			}
		})
	}
}
