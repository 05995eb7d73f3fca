package checks

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

// Question asks whether a role may perform an action on a resource, with
// the request context S3 sends when it replicates.
type Question struct {
	Role   *RoleFacts
	Action string
	// Resource is the ARN acted on.
	Resource string
	// ResourceAccount owns the resource; Unknown makes the answer depend
	// on whether the request is cross-account.
	ResourceAccount snapshot.Fact[string]
	// ResourcePolicy is the bucket or key policy; nil when the resource
	// has none by nature.
	ResourcePolicy *PolicyFact
	// Context holds the condition keys S3 sets. aws:PrincipalArn and
	// aws:PrincipalAccount are derived from the role.
	Context map[string][]string
	// KeyPrefix is the key prefix of the objects the question stands for
	// (the rule's filter prefix): a grant scopes object ARNs, in the
	// resource and in the KMS encryption context, to it.
	KeyPrefix string
}

// Answer is a decided or undecided permission.
type Answer struct {
	// Decided is false when an unreadable fact could change the outcome.
	Decided bool
	// Allowed is the decision when Decided.
	Allowed bool
	// Result is the evaluation that explains the answer: the best case for
	// a denial, the worst case for an allow.
	Result policy.Result
	// Evaluator says who decided the identity side: "local" (replcheck's
	// policy engine) or "simulator" (iam:SimulatePrincipalPolicy).
	Evaluator string
	// Evidence lists what decided, for findings.
	Evidence []string
	// Statements names the statements that decided, for remediation.
	Statements []string
	// Missing names the unreadable facts when not Decided.
	Missing []string
	// Disagreement is set when a recorded simulator decision and the local
	// engine, both with every identity-side fact, disagree.
	Disagreement string
	// Cause is the fact that decided a denial, or that kept the answer
	// undecided: a policy, or the role when its policies lack an Allow.
	Cause Subject
}

// Summary is one line for a finding's evidence, such as
// `s3:ReplicateObject on arn:aws:s3:::dst/k: implicitDeny (local evaluator)`.
func (q *Question) Summary(a Answer) string {
	verdict := "undecided"
	if a.Decided {
		verdict = a.Result.Decision.String()
	}
	with := ""
	for _, k := range []string{"s3:x-amz-server-side-encryption", "kms:EncryptionContext:aws:s3:arn"} {
		if v := q.Context[k]; len(v) > 0 {
			with = fmt.Sprintf(" with %s=%s", k, strings.Join(v, ","))
			break
		}
	}
	return fmt.Sprintf("%s on %s%s by %s: %s (%s evaluator)", q.Action, q.Resource, with, q.Role.ARN, verdict, a.Evaluator)
}

// Placeholders stand in for unreadable policies: the best case allows
// everything, the worst case denies everything. Policy evaluation is
// monotonic in both, so when the two cases agree, the real policy could not
// have changed the answer.
var (
	allowAll = mustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)
	denyAll  = mustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}`)
)

func mustParse(doc string) *policy.Document {
	d, err := policy.Parse([]byte(doc))
	if err != nil {
		panic(err) // a constant document
	}
	return d
}

// Can answers a question, once per distinct question in a run.
func (f *Facts) Can(q Question) Answer {
	key := q.key()
	if a, ok := f.answers[key]; ok {
		return a
	}
	a := f.decide(q)
	f.answers[key] = a
	f.asked = append(f.asked, q)
	return a
}

// Asked returns every distinct question the checks asked, in order; live
// gathering sends their identity side to iam:SimulatePrincipalPolicy.
func (f *Facts) Asked() []Question { return f.asked }

func (q *Question) key() string {
	var b strings.Builder
	for _, part := range []string{q.Role.ARN, q.Action, q.Resource, q.ResourceAccount.Value, string(q.ResourceAccount.State)} {
		b.WriteString(part)
		b.WriteByte('|')
	}
	if q.ResourcePolicy != nil {
		b.WriteString(q.ResourcePolicy.Name)
	}
	for _, k := range slices.Sorted(maps.Keys(q.Context)) {
		b.WriteByte('|')
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strings.Join(q.Context[k], ","))
	}
	return b.String()
}

// layerNames records which policy each input slot holds, to name matched
// statements in evidence.
type layerNames struct {
	identity []string
	resource string
	boundary string
	scps     [][]string
	rcps     [][]string
}

func (f *Facts) decide(q Question) Answer {
	var missing []string
	resourceAccount := q.ResourceAccount.Value
	if !q.ResourceAccount.IsKnown() {
		missing = append(missing, "owner account of "+q.Resource+": "+q.ResourceAccount.Why())
	}
	req := &policy.Request{
		Principal:       q.Role.ARN,
		Action:          q.Action,
		Resource:        q.Resource,
		ResourceAccount: resourceAccount,
		Context:         policy.NewContext(q.Context),
	}
	best, worst := &policy.Input{}, &policy.Input{}
	var names layerNames
	evaluator := "local"

	var disagreement string
	if sim := f.simulation(q); sim != nil {
		// The simulator decided the identity side, boundary and SCPs
		// included.
		evaluator = "simulator"
		disagreement = f.crossCheck(q, req, sim)
		names.identity = []string{"iam:SimulatePrincipalPolicy"}
		switch sim.Decision {
		case "allowed":
			best.Identity, worst.Identity = []*policy.Document{allowAll}, []*policy.Document{allowAll}
		case "explicitDeny":
			best.Identity, worst.Identity = []*policy.Document{denyAll}, []*policy.Document{denyAll}
		}
	} else {
		for _, p := range q.Role.Identity {
			names.identity = append(names.identity, p.Name)
			if p.Unknown() {
				missing = append(missing, p.Name+": "+p.Why)
				best.Identity, worst.Identity = append(best.Identity, allowAll), append(worst.Identity, denyAll)
				continue
			}
			best.Identity, worst.Identity = append(best.Identity, p.Doc), append(worst.Identity, p.Doc)
		}
		names.boundary = q.Role.Boundary.Name
		best.Boundary, worst.Boundary = placeholder(q.Role.Boundary, &missing)
		scps := f.levels(q.Role.Account, func(a *AccountFacts) LevelsFact { return a.SCPs }, "service control policies", &missing)
		best.SCPs, worst.SCPs, names.scps = scps.best, scps.worst, scps.names
	}
	if q.ResourcePolicy != nil {
		names.resource = q.ResourcePolicy.Name
		best.Resource, worst.Resource = placeholder(*q.ResourcePolicy, &missing)
	}
	if q.ResourceAccount.IsKnown() {
		rcps := f.levels(resourceAccount, func(a *AccountFacts) LevelsFact { return a.RCPs }, "resource control policies", &missing)
		best.RCPs, worst.RCPs, names.rcps = rcps.best, rcps.worst, rcps.names
	}

	pendingCause := guardPending(q, req, best, worst, &names, &missing)

	a := Answer{Evaluator: evaluator, Missing: missing, Disagreement: disagreement}
	if !q.ResourceAccount.IsKnown() {
		// Try both: same account, and another account.
		bestSame, bestCross := policy.Evaluate(best, withAccount(req, q.Role.Account)), policy.Evaluate(best, withAccount(req, "000000000000"))
		worstSame, worstCross := policy.Evaluate(worst, withAccount(req, q.Role.Account)), policy.Evaluate(worst, withAccount(req, "000000000000"))
		a.fromCases(bestSame, bestCross, worstSame, worstCross)
	} else {
		a.fromCases(policy.Evaluate(best, req), policy.Evaluate(worst, req))
	}
	a.Cause = q.cause(a)
	if !a.Decided && pendingCause != nil && pendingCause.Subject.Kind != "" && a.Cause.Kind == SubjectRole {
		// No policy is unreadable: the one whose grant depends on a
		// name not known yet keeps the answer undecided.
		a.Cause = pendingCause.Subject
	}
	a.Evidence = append(a.Evidence, q.Summary(a))
	for _, m := range a.Result.Matched {
		a.Statements = append(a.Statements, names.describe(m))
		a.Evidence = append(a.Evidence, "  "+names.describe(m))
	}
	if a.Result.Decision != policy.Allowed && a.Decided {
		a.Evidence = append(a.Evidence, "  "+a.Result.Reason)
	}
	if disagreement != "" {
		a.Evidence = append(a.Evidence, "  "+disagreement)
	}
	return a
}

// crossCheck compares a simulator decision with the local engine's
// identity-side decision, when every identity-side fact is known. It
// returns a description of a disagreement, or "".
func (f *Facts) crossCheck(q Question, req *policy.Request, sim *snapshot.Simulation) string {
	in := &policy.Input{}
	for _, p := range q.Role.Identity {
		if p.Unknown() {
			return ""
		}
		in.Identity = append(in.Identity, p.Doc)
	}
	if q.Role.Boundary.Unknown() {
		return ""
	}
	in.Boundary = q.Role.Boundary.Doc
	acct := f.Account(q.Role.Account)
	if acct == nil || (acct.SCPs.State != snapshot.Known && acct.SCPs.State != snapshot.Absent) {
		return ""
	}
	in.SCPs = acct.SCPs.Levels
	local := policy.Evaluate(in, withAccount(req, q.Role.Account))
	if (local.Decision == policy.Allowed) == (sim.Decision == "allowed") {
		return ""
	}
	return fmt.Sprintf("iam:SimulatePrincipalPolicy decided %s but replcheck's local engine decides %s for the identity side (%s)", sim.Decision, local.Decision, local.Reason)
}

// fromCases decides from best-case and worst-case evaluations: any best case
// that denies decides a denial; all worst cases allowing decides an allow.
func (a *Answer) fromCases(results ...policy.Result) {
	half := len(results) / 2
	bests, worsts := results[:half], results[half:]
	for _, r := range bests {
		if r.Decision != policy.Allowed {
			a.Decided, a.Allowed, a.Result = true, false, r
			return
		}
	}
	for _, r := range worsts {
		if r.Decision != policy.Allowed {
			a.Result = bests[0]
			return
		}
	}
	a.Decided, a.Allowed, a.Result = true, true, worsts[0]
}

func withAccount(req *policy.Request, account string) *policy.Request {
	r := *req
	r.ResourceAccount = account
	return &r
}

// placeholder returns the best-case and worst-case documents for a policy.
func placeholder(p PolicyFact, missing *[]string) (best, worst *policy.Document) {
	switch {
	case p.State == snapshot.Known:
		return p.Doc, p.Doc
	case p.State == snapshot.Absent:
		return nil, nil
	}
	*missing = append(*missing, p.Name+": "+p.Why)
	return allowAll, denyAll
}

type levelCases struct {
	best, worst [][]*policy.Document
	names       [][]string
}

// levels returns an account's organization policies for both cases. An
// account the snapshot says nothing about is Unknown.
func (f *Facts) levels(account string, pick func(*AccountFacts) LevelsFact, what string, missing *[]string) levelCases {
	acct := f.Account(account)
	if acct == nil {
		*missing = append(*missing, fmt.Sprintf("%s of account %s: not gathered", what, account))
		return levelCases{worst: [][]*policy.Document{{denyAll}}}
	}
	l := pick(acct)
	switch l.State {
	case snapshot.Known:
		return levelCases{best: l.Levels, worst: l.Levels, names: l.Names}
	case snapshot.Absent:
		return levelCases{}
	}
	*missing = append(*missing, fmt.Sprintf("%s of account %s: %s", what, account, l.Why))
	return levelCases{worst: [][]*policy.Document{{denyAll}}}
}

// describe names a matched statement by its policy.
func (n *layerNames) describe(m policy.MatchedStatement) string {
	name := m.Kind.String() + " policy"
	switch m.Kind {
	case policy.KindIdentity:
		if m.Policy < len(n.identity) {
			name = n.identity[m.Policy]
		}
	case policy.KindResource:
		name = n.resource
	case policy.KindBoundary:
		name = n.boundary
	case policy.KindSCP:
		if m.Policy < len(n.scps) && m.Member < len(n.scps[m.Policy]) {
			name = n.scps[m.Policy][m.Member]
		}
	case policy.KindRCP:
		if m.Policy < len(n.rcps) && m.Member < len(n.rcps[m.Policy]) {
			name = n.rcps[m.Policy][m.Member]
		}
	}
	verb := "allows"
	if m.Effect == policy.Deny {
		verb = "denies"
	}
	if m.Sid != "" {
		return fmt.Sprintf("%s statement %d (Sid %q) %s", name, m.Statement, m.Sid, verb)
	}
	return fmt.Sprintf("%s statement %d %s", name, m.Statement, verb)
}

// simulation returns a usable recorded simulator decision: one for this
// question's context (or recorded without a context) whose request
// supplied every context key the policies needed.
func (f *Facts) simulation(q Question) *snapshot.Simulation {
	for _, sim := range f.sims[simKey{q.Role.ARN, strings.ToLower(q.Action), q.Resource}] {
		if len(sim.MissingContextValues) == 0 && (sim.Context == nil || sameContext(sim.Context, q.Context)) {
			return sim
		}
	}
	return nil
}

// sameContext compares request contexts, ignoring key case.
func sameContext(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	lower := make(map[string][]string, len(b))
	for k, v := range b {
		lower[strings.ToLower(k)] = v
	}
	for k, v := range a {
		w, ok := lower[strings.ToLower(k)]
		if !ok || strings.Join(v, "\x00") != strings.Join(w, "\x00") {
			return false
		}
	}
	return true
}

// joinMissing renders the unreadable facts of an answer.
func joinMissing(missing []string) string { return strings.Join(dedupe(missing), "; ") }

// cause names the fact behind an answer: the policy whose Deny decided, the
// resource policy that lacks a grant across accounts, the first policy
// that could not be read, or else the role (its policies lack an Allow).
func (q *Question) cause(a Answer) Subject {
	role := Subject{Kind: SubjectRole, Name: q.Role.ARN}
	pick := func(p *PolicyFact) Subject {
		if p == nil || p.Subject.Kind == "" {
			return role
		}
		return p.Subject
	}
	if a.Evaluator != "local" {
		return role
	}
	if !a.Decided {
		for i := range q.Role.Identity {
			if q.Role.Identity[i].Unknown() {
				return pick(&q.Role.Identity[i])
			}
		}
		if q.ResourcePolicy != nil && q.ResourcePolicy.Unknown() {
			return pick(q.ResourcePolicy)
		}
		return role
	}
	if a.Allowed {
		return role
	}
	for _, m := range a.Result.Matched {
		if m.Effect != policy.Deny {
			continue
		}
		switch {
		case m.Kind == policy.KindIdentity && m.Policy < len(q.Role.Identity):
			return pick(&q.Role.Identity[m.Policy])
		case m.Kind == policy.KindResource:
			return pick(q.ResourcePolicy)
		case m.Kind == policy.KindBoundary:
			return pick(&q.Role.Boundary)
		}
	}
	switch a.Result.Reason {
	case policy.ReasonNoResourceCross, policy.ReasonNoKeyPolicy, policy.ReasonNoResourcePolicy:
		return pick(q.ResourcePolicy)
	case policy.ReasonBoundary:
		return pick(&q.Role.Boundary)
	}
	return role
}
