package policy_test

// Shared helpers for the rule-based (documentation-derived) test suite in
// rules_*_test.go. Every case in those files carries a comment naming the
// AWS documentation rule it rests on; see /work/shared/reference/iam-evaluation.md.

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/policy"
)

const (
	acctA    = "111122223333"
	acctB    = "444455556666"
	rootA    = "arn:aws:iam::111122223333:root"
	rootB    = "arn:aws:iam::444455556666:root"
	roleA    = "arn:aws:iam::111122223333:role/repl"
	role2A   = "arn:aws:iam::111122223333:role/other"
	sessA    = "arn:aws:sts::111122223333:assumed-role/repl/sess1"
	userA    = "arn:aws:iam::111122223333:user/alice"
	roleB    = "arn:aws:iam::444455556666:role/dst-role"
	objDst   = "arn:aws:s3:::dst/photos/a.jpg"
	bktDst   = "arn:aws:s3:::dst"
	keyA     = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	keyB     = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	svcS3    = "s3.amazonaws.com"
	v2012    = `"Version":"2012-10-17",`
	allowAll = `{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}`
	rcpAll   = `{"Version":"2012-10-17","Statement":[{"Sid":"RCPAll","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
	emptyDoc = `{"Version":"2012-10-17","Statement":[]}`
)

// rulesMustParse parses a policy document given as a JSON string.
func rulesMustParse(t testing.TB, s string) *policy.Document {
	t.Helper()
	d, err := policy.Parse([]byte(s))
	if err != nil {
		t.Fatalf("Parse(%s): %v", s, err)
	}
	if d == nil {
		t.Fatalf("Parse(%s) returned nil document and nil error", s)
	}
	return d
}

// jstr JSON-encodes a Go string (with quotes).
func jstr(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// stmt renders one statement. principal is raw JSON ("" = none); cond raw JSON ("" = none).
func stmt(sid, effect, principal, action, resource, cond string) string {
	var b strings.Builder
	b.WriteString("{")
	if sid != "" {
		b.WriteString(`"Sid":` + jstr(sid) + ",")
	}
	b.WriteString(`"Effect":` + jstr(effect))
	if principal != "" {
		b.WriteString(`,"Principal":` + principal)
	}
	b.WriteString(`,"Action":` + jlist(action))
	if resource != "" {
		b.WriteString(`,"Resource":` + jlist(resource))
	}
	if cond != "" {
		b.WriteString(`,"Condition":` + cond)
	}
	b.WriteString("}")
	return b.String()
}

// jlist renders "a" as a JSON string and "a|b" as a JSON array; a value
// starting with '[' or '{' or '"' is taken as raw JSON.
func jlist(s string) string {
	if strings.HasPrefix(s, "[") || strings.HasPrefix(s, "{") || strings.HasPrefix(s, `"`) {
		return s
	}
	if strings.Contains(s, "|") {
		parts := strings.Split(s, "|")
		q := make([]string, len(parts))
		for i, p := range parts {
			q[i] = jstr(p)
		}
		return "[" + strings.Join(q, ",") + "]"
	}
	return jstr(s)
}

// doc renders a 2012-10-17 document with the given statements.
func doc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// allow / deny: identity-policy statement documents.
func allow(sid, action, resource string) string {
	return doc(stmt(sid, "Allow", "", action, resource, ""))
}
func deny(sid, action, resource string) string {
	return doc(stmt(sid, "Deny", "", action, resource, ""))
}

// pAWS renders {"AWS": ...}.
func pAWS(v string) string { return `{"AWS":` + jlist(v) + `}` }

// rAllow renders a resource-policy document with one Allow statement.
func rAllow(sid, principal, action, resource string) string {
	return doc(stmt(sid, "Allow", principal, action, resource, ""))
}

// Matched-statement constructors.
func mID(p, s int, sid string, e policy.Effect) policy.MatchedStatement {
	return policy.MatchedStatement{Kind: policy.KindIdentity, Policy: p, Statement: s, Sid: sid, Effect: e}
}
func mRes(s int, sid string, e policy.Effect) policy.MatchedStatement {
	return policy.MatchedStatement{Kind: policy.KindResource, Statement: s, Sid: sid, Effect: e}
}
func mBnd(s int, sid string, e policy.Effect) policy.MatchedStatement {
	return policy.MatchedStatement{Kind: policy.KindBoundary, Statement: s, Sid: sid, Effect: e}
}
func mSes(s int, sid string, e policy.Effect) policy.MatchedStatement {
	return policy.MatchedStatement{Kind: policy.KindSession, Statement: s, Sid: sid, Effect: e}
}
func mSCP(level, member, s int, sid string, e policy.Effect) policy.MatchedStatement {
	return policy.MatchedStatement{Kind: policy.KindSCP, Policy: level, Member: member, Statement: s, Sid: sid, Effect: e}
}
func mRCP(level, member, s int, sid string, e policy.Effect) policy.MatchedStatement {
	return policy.MatchedStatement{Kind: policy.KindRCP, Policy: level, Member: member, Statement: s, Sid: sid, Effect: e}
}

const (
	A = policy.Allow
	D = policy.Deny
)

// evalCase is one table-driven evaluation case. Policies are JSON strings
// ("" = absent). matched: for ExplicitDeny the exact set of matching Deny
// statements (order-insensitive); for Allowed, statements that must appear
// among Result.Matched; nil = not asserted.
type evalCase struct {
	name     string
	identity []string
	resource string
	boundary string
	scps     [][]string
	rcps     [][]string
	session  string
	req      policy.Request
	ctx      map[string][]string
	want     policy.Decision
	matched  []policy.MatchedStatement
}

// rq builds a request.
func rq(principal, action, resource string) policy.Request {
	return policy.Request{Principal: principal, Action: action, Resource: resource}
}

// rqx builds a request with an explicit resource account (cross-account S3).
func rqx(principal, action, resource, resourceAccount string) policy.Request {
	return policy.Request{Principal: principal, Action: action, Resource: resource, ResourceAccount: resourceAccount}
}

func buildInput(t *testing.T, c *evalCase) *policy.Input {
	t.Helper()
	in := &policy.Input{}
	for _, s := range c.identity {
		in.Identity = append(in.Identity, rulesMustParse(t, s))
	}
	if c.resource != "" {
		in.Resource = rulesMustParse(t, c.resource)
	}
	if c.boundary != "" {
		in.Boundary = rulesMustParse(t, c.boundary)
	}
	if c.session != "" {
		in.Session = rulesMustParse(t, c.session)
	}
	for _, lvl := range c.scps {
		var l []*policy.Document
		for _, s := range lvl {
			l = append(l, rulesMustParse(t, s))
		}
		in.SCPs = append(in.SCPs, l)
	}
	for _, lvl := range c.rcps {
		var l []*policy.Document
		for _, s := range lvl {
			l = append(l, rulesMustParse(t, s))
		}
		in.RCPs = append(in.RCPs, l)
	}
	return in
}

func msKey(m policy.MatchedStatement) string {
	return fmt.Sprintf("%s/p%d/m%d/s%d/%q/%s", m.Kind, m.Policy, m.Member, m.Statement, m.Sid, m.Effect)
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	seen := map[string]bool{}
	for i := range cases {
		c := cases[i]
		if seen[c.name] {
			t.Fatalf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			in := buildInput(t, &c)
			req := c.req
			if c.ctx != nil {
				req.Context = policy.NewContext(c.ctx)
			}
			got := policy.Evaluate(in, &req)
			if got.Decision != c.want {
				t.Errorf("decision = %v, want %v (reason %q, matched %v)", got.Decision, c.want, got.Reason, got.Matched)
				return
			}
			// result.go: Matched lists Deny statements for an explicit deny and allowing statements for an allow
			for _, m := range got.Matched {
				if (c.want == policy.ExplicitDeny && m.Effect != policy.Deny) || (c.want == policy.Allowed && m.Effect != policy.Allow) {
					t.Errorf("matched statement %v has the wrong effect for %v", m, c.want)
				}
			}
			// result.go: Reason "says in one line why"
			if got.Reason == "" {
				t.Errorf("empty Reason for %v", got.Decision)
			}
			checkMatched(t, c.want, c.matched, got)
		})
	}
}

func checkMatched(t *testing.T, want policy.Decision, exp []policy.MatchedStatement, got policy.Result) {
	t.Helper()
	if exp == nil {
		return
	}
	gotKeys := make([]string, len(got.Matched))
	for i, m := range got.Matched {
		gotKeys[i] = msKey(m)
	}
	expKeys := make([]string, len(exp))
	for i, m := range exp {
		expKeys[i] = msKey(m)
	}
	sort.Strings(gotKeys)
	sort.Strings(expKeys)
	if want == policy.ExplicitDeny {
		if strings.Join(gotKeys, " ") != strings.Join(expKeys, " ") {
			t.Errorf("matched deny statements = %v, want exactly %v", gotKeys, expKeys)
		}
		return
	}
	have := map[string]bool{}
	for _, k := range gotKeys {
		have[k] = true
	}
	for _, k := range expKeys {
		if !have[k] {
			t.Errorf("matched = %v, missing %s", gotKeys, k)
		}
	}
}
