package gather

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// simRequest is one SimulatePrincipalPolicy request as the fake read it.
type simRequest struct {
	principal string
	actions   []string
	resources []string
	context   map[string][]string
	types     map[string]string
	marker    string
}

// fakeSimulator answers iam:SimulatePrincipalPolicy with a decision per
// action and resource, one page of at most pageSize results at a time. It
// answers in the classic shape (one result per action and resource) or,
// with perResource, in the shape with ResourceSpecificResults (one result
// per action).
type fakeSimulator struct {
	mu          sync.Mutex
	requests    []simRequest
	perResource bool
	pageSize    int
	decide      func(action, resource string, ctx map[string][]string) string
}

func (s *fakeSimulator) handle(q *fakeReq) {
	req := simRequest{principal: q.form.Get("PolicySourceArn"), actions: q.members("ActionNames"),
		resources: q.members("ResourceArns"), context: map[string][]string{}, types: map[string]string{}, marker: q.form.Get("Marker")}
	for i := 1; ; i++ {
		p := fmt.Sprintf("ContextEntries.member.%d.", i)
		name := q.form.Get(p + "ContextKeyName")
		if name == "" {
			break
		}
		req.context[name] = q.members(p + "ContextKeyValues")
		req.types[name] = q.form.Get(p + "ContextKeyType")
	}
	s.mu.Lock()
	// A transport retry repeats a request the server already answered
	// (the SDK retries a connection closed under a read): record what was
	// asked, once.
	if !slices.ContainsFunc(s.requests, func(x simRequest) bool { return reflect.DeepEqual(x, req) }) {
		s.requests = append(s.requests, req)
	}
	s.mu.Unlock()

	var results []string
	matched := `<MatchedStatements><member><SourcePolicyId>inline</SourcePolicyId><SourcePolicyType>role</SourcePolicyType><StartPosition><Line>1</Line><Column>1</Column></StartPosition><EndPosition><Line>1</Line><Column>9</Column></EndPosition></member></MatchedStatements>`
	missing := func(ctx map[string][]string) string {
		if _, ok := ctx["aws:SourceAccount"]; ok {
			return "<MissingContextValues/>"
		}
		return "<MissingContextValues><member>aws:SourceAccount</member></MissingContextValues>"
	}
	for _, a := range req.actions {
		if s.perResource {
			var rs strings.Builder
			for _, res := range req.resources {
				fmt.Fprintf(&rs, "<member><EvalResourceName>%s</EvalResourceName><EvalResourceDecision>%s</EvalResourceDecision>%s%s</member>",
					res, s.decide(a, res, req.context), matched, missing(req.context))
			}
			results = append(results, fmt.Sprintf("<member><EvalActionName>%s</EvalActionName><EvalResourceName>*</EvalResourceName><EvalDecision>implicitDeny</EvalDecision><MatchedStatements/><MissingContextValues/><ResourceSpecificResults>%s</ResourceSpecificResults></member>", a, rs.String()))
			continue
		}
		for _, res := range req.resources {
			results = append(results, fmt.Sprintf("<member><EvalActionName>%s</EvalActionName><EvalResourceName>%s</EvalResourceName><EvalDecision>%s</EvalDecision>%s%s</member>",
				a, res, s.decide(a, res, req.context), matched, missing(req.context)))
		}
	}
	start := 0
	fmt.Sscanf(req.marker, "m%d", &start)
	size := s.pageSize
	if size == 0 {
		size = len(results)
	}
	end := min(start+size, len(results))
	tail := "<IsTruncated>false</IsTruncated>"
	if end < len(results) {
		tail = fmt.Sprintf("<IsTruncated>true</IsTruncated><Marker>m%d</Marker>", end)
	}
	q.query("<EvaluationResults>" + strings.Join(results[start:end], "") + "</EvaluationResults>" + tail)
}

const simRole = "arn:aws:iam::" + testAccount + ":role/replication"

// allowReplicate allows every action but s3:ReplicateDelete, and
// kms:Encrypt only with aws:SourceAccount in the context.
func allowReplicate(action, _ string, ctx map[string][]string) string {
	switch {
	case action == "s3:ReplicateDelete":
		return "explicitDeny"
	case action == "kms:Encrypt" && ctx["aws:SourceAccount"] == nil:
		return "implicitDeny"
	}
	return "allowed"
}

// TestSimulateGrouping: questions become one call per principal and
// context with every action and resource of the group; only the asked
// pairs are recorded, each with its context; resources of other accounts
// and principals without credentials are not asked.
func TestSimulateGrouping(t *testing.T) {
	for _, perResource := range []bool{false, true} {
		t.Run(map[bool]string{false: "per-pair-results", true: "resource-specific-results"}[perResource], func(t *testing.T) {
			f := newFake(t)
			sim := &fakeSimulator{perResource: perResource, decide: allowReplicate, pageSize: 3}
			f.on("iam:SimulatePrincipalPolicy", sim.handle)
			r := newTestRun(t, f, f.access(), nil)
			srcKey := "arn:aws:kms:us-east-1:" + testAccount + ":key/src"
			dstKey := "arn:aws:kms:eu-west-1:" + otherAccount + ":key/dst"
			kmsCtx := map[string][]string{"kms:ViaService": {"s3.us-east-1.amazonaws.com"}, "aws:SecureTransport": {"true"},
				"kms:EncryptionContextKeys": {"aws:s3:arn"}}
			qs := []Question{
				{Principal: simRole, Action: "s3:GetReplicationConfiguration", Resource: "arn:aws:s3:::src"},
				{Principal: simRole, Action: "s3:ListBucket", Resource: "arn:aws:s3:::src"},
				{Principal: simRole, Action: "s3:GetObjectVersionForReplication", Resource: "arn:aws:s3:::src/*"},
				{Principal: simRole, Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::dst/*"},
				{Principal: simRole, Action: "s3:ReplicateDelete", Resource: "arn:aws:s3:::dst/*"},
				{Principal: simRole, Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::dst/*"}, // asked twice
				{Principal: simRole, Action: "kms:Decrypt", Resource: srcKey, Context: kmsCtx},
				{Principal: simRole, Action: "kms:Encrypt", Resource: dstKey, Context: kmsCtx},                                 // other account: not asked
				{Principal: "arn:aws:iam::" + otherAccount + ":role/r", Action: "s3:ListBucket", Resource: "arn:aws:s3:::src"}, // no credentials
				{Principal: simRole, Action: "kms:Encrypt", Resource: srcKey, Context: map[string][]string{"aws:SourceAccount": {testAccount}}},
			}
			got, why := r.simulate(qs)
			if why != nil {
				t.Fatalf("simulator unavailable: %+v", why)
			}

			// Three groups: no context, the KMS context, the SourceAccount
			// context. The first has 4 actions × 3 resources = 12 results,
			// in pages of 3.
			sim.mu.Lock()
			reqs := sim.requests
			sim.mu.Unlock()
			type groupCall struct {
				actions, resources string
				context            string
			}
			var calls []groupCall
			for _, q := range reqs {
				if q.principal != simRole {
					t.Errorf("simulated principal %s", q.principal)
				}
				for _, res := range q.resources {
					if strings.Contains(res, otherAccount) {
						t.Errorf("asked about another account's resource %s", res)
					}
				}
				if q.marker != "" {
					continue
				}
				calls = append(calls, groupCall{strings.Join(q.actions, " "), strings.Join(q.resources, " "), contextKey(q.context)})
			}
			wantCalls := []groupCall{
				{"s3:GetReplicationConfiguration s3:ListBucket s3:GetObjectVersionForReplication s3:ReplicateObject s3:ReplicateDelete",
					"arn:aws:s3:::src arn:aws:s3:::src/* arn:aws:s3:::dst/*", ""},
				{"kms:Decrypt", srcKey, contextKey(kmsCtx)},
				{"kms:Encrypt", srcKey, "aws:SourceAccount=" + testAccount + ";"},
			}
			// The groups are sent together, so in any order.
			sortCalls := func(cs []groupCall) {
				sort.Slice(cs, func(i, j int) bool { return cs[i].actions+cs[i].context < cs[j].actions+cs[j].context })
			}
			sortCalls(calls)
			sortCalls(wantCalls)
			if !reflect.DeepEqual(calls, wantCalls) {
				t.Errorf("calls:\n got %+v\nwant %+v", calls, wantCalls)
			}
			pages := 0
			for _, q := range reqs {
				if contextKey(q.context) == "" {
					pages++
				}
			}
			results := 5 * 3 // actions × resources of the first group
			if perResource {
				results = 5 // one result per action
			}
			if want := (results + 2) / 3; pages != want {
				t.Errorf("first group took %d pages, want %d", pages, want)
			}
			for _, q := range reqs {
				if len(q.context) == 0 {
					continue
				}
				for k, typ := range q.types {
					want := "string"
					switch k {
					case "aws:SecureTransport":
						want = "boolean"
					case "kms:EncryptionContextKeys":
						want = "stringList"
					}
					if typ != want {
						t.Errorf("context key %s sent as %s, want %s", k, typ, want)
					}
				}
			}

			key := func(s snapshot.Simulation) string { return s.Action + " " + s.Resource + " " + contextKey(s.Context) }
			var gotKeys []string
			for _, s := range got {
				gotKeys = append(gotKeys, key(s))
				if s.Principal != simRole {
					t.Errorf("simulation principal %s", s.Principal)
				}
				if want := allowReplicate(s.Action, s.Resource, s.Context); s.Decision != want {
					t.Errorf("%s: decision %s, want %s", key(s), s.Decision, want)
				}
				wantMissing := []string{"aws:SourceAccount"}
				if s.Context["aws:SourceAccount"] != nil {
					wantMissing = nil
				}
				if !slices.Equal(s.MissingContextValues, wantMissing) {
					t.Errorf("%s: missing context %v, want %v", key(s), s.MissingContextValues, wantMissing)
				}
				if !slices.Equal(s.MatchedStatements, []string{"inline (role)"}) {
					t.Errorf("%s: matched %v", key(s), s.MatchedStatements)
				}
			}
			wantKeys := []string{
				"s3:GetReplicationConfiguration arn:aws:s3:::src ",
				"s3:ListBucket arn:aws:s3:::src ",
				"s3:GetObjectVersionForReplication arn:aws:s3:::src/* ",
				"s3:ReplicateObject arn:aws:s3:::dst/* ",
				"s3:ReplicateDelete arn:aws:s3:::dst/* ",
				"kms:Decrypt " + srcKey + " " + contextKey(kmsCtx),
				"kms:Encrypt " + srcKey + " aws:SourceAccount=" + testAccount + ";",
			}
			sort.Strings(gotKeys)
			sort.Strings(wantKeys)
			if !slices.Equal(gotKeys, wantKeys) {
				t.Errorf("simulations (only the pairs asked):\n got %q\nwant %q", gotKeys, wantKeys)
			}
		})
	}
}

// TestSimulateChunks: at most 20 resources per call, every action in each.
func TestSimulateChunks(t *testing.T) {
	f := newFake(t)
	sim := &fakeSimulator{decide: allowReplicate}
	f.on("iam:SimulatePrincipalPolicy", sim.handle)
	r := newTestRun(t, f, f.access(), nil)
	var qs []Question
	for i := range 45 {
		res := fmt.Sprintf("arn:aws:s3:::dst%d/*", i)
		qs = append(qs, Question{Principal: simRole, Action: "s3:ReplicateObject", Resource: res},
			Question{Principal: simRole, Action: "s3:ObjectOwnerOverrideToBucketOwner", Resource: res})
	}
	got, why := r.simulate(qs)
	if why != nil {
		t.Fatal(why)
	}
	var sizes []int
	for _, q := range sim.requests {
		sizes = append(sizes, len(q.resources))
		if len(q.actions) != 2 {
			t.Errorf("call with actions %v, want both", q.actions)
		}
	}
	slices.Sort(sizes) // the chunks are sent together, in any order
	if !slices.Equal(sizes, []int{5, 20, 20}) {
		t.Errorf("resources per call = %v, want 20, 20 and 5", sizes)
	}
	if len(got) != 90 {
		t.Errorf("%d simulations, want 90", len(got))
	}
}

// TestSimulateUnavailable: an HTML 500 (an emulator without the
// operation) or AccessDenied makes the simulator unavailable at once,
// without retries and without further calls; nothing is recorded, so the
// local engine decides.
func TestSimulateUnavailable(t *testing.T) {
	cases := []struct {
		name       string
		answer     func(*fakeReq)
		code, perm string
	}{
		{"html-500", func(q *fakeReq) {
			q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
			q.w.WriteHeader(http.StatusInternalServerError)
			q.w.Write([]byte("<!doctype html>\n<html lang=en><title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error.</p>\n"))
		}, "NotImplemented", ""},
		{"html-500-parses-as-xml", func(q *fakeReq) {
			q.w.Header().Set("Content-Type", "text/html")
			q.w.WriteHeader(http.StatusBadGateway)
			q.w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
		}, "NotImplemented", ""},
		{"access-denied", (*fakeReq).denied, "AccessDenied", "iam:SimulatePrincipalPolicy"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on("iam:SimulatePrincipalPolicy", tc.answer)
			r := newTestRun(t, f, f.access(), nil)
			qs := []Question{
				{Principal: simRole, Action: "s3:ListBucket", Resource: "arn:aws:s3:::src"},
				{Principal: simRole, Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:" + testAccount + ":key/k", Context: map[string][]string{"kms:ViaService": {"s3.us-east-1.amazonaws.com"}}},
			}
			got, why := r.simulate(qs)
			if got != nil || why == nil {
				t.Fatalf("simulations %v, unavailable %v: want none and a reason", got, why)
			}
			if why.Operation != "iam:SimulatePrincipalPolicy" || why.Code != tc.code || why.Permission != tc.perm || why.Message == "" {
				t.Errorf("reason = %+v, want code %s permission %q", why, tc.code, tc.perm)
			}
			// The two groups go out together, each once: no retries.
			if n := f.count("iam:SimulatePrincipalPolicy"); n != 2 {
				t.Errorf("SimulatePrincipalPolicy sent %d times, want 2 (one per group, no retry)", n)
			}
		})
	}
}
