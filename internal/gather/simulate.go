package gather

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Question is an identity-side permission question for
// iam:SimulatePrincipalPolicy.
type Question struct {
	Principal string
	Action    string
	Resource  string
	Context   map[string][]string
}

// maxResourcesPerCall chunks ResourceArns as PMapper does: the API has no
// documented limit, but large products fail.
const maxResourcesPerCall = 20

// simAnswer is the simulator's answer to one question: its decisions, or
// why it could not answer.
type simAnswer struct {
	sims []snapshot.Simulation
	why  *snapshot.FactError
}

// simulate asks the simulator every question it can answer that the run
// has not asked yet (an audit asks many buckets' questions about one
// role: each distinct question is sent once), in as few calls as the API
// allows: one per principal and request context, with every action and
// resource of that group (actions × resources), all sent together. Any
// sign that the simulator is unavailable (not implemented, an HTML 5xx, or
// AccessDenied on iam:SimulatePrincipalPolicy) discards its answers; the
// local engine then decides, and the findings say so.
func (r *run) simulate(qs []Question) ([]snapshot.Simulation, *snapshot.FactError) {
	type group struct {
		principal string
		context   map[string][]string
		actions   []string
		resources []string
		asked     map[[2]string]*memoEntry
	}
	var groups []*group
	index := map[string]*group{}
	var entries []*memoEntry
	for _, q := range qs {
		r.identityFor(arn.Account(q.Principal)) // known by now: the role was read
	}
	r.mu.Lock()
	for _, q := range qs {
		if r.identityForNow(arn.Account(q.Principal)) == nil || !sameAccountResource(q) {
			continue // cross-account resources: the simulator cannot see their policies
		}
		key := simKey(q)
		e, asked := r.memo[key]
		if !asked {
			e = &memoEntry{done: make(chan struct{})}
			r.memo[key] = e
			gk := q.Principal + "|" + contextKey(q.Context)
			g := index[gk]
			if g == nil {
				g = &group{principal: q.Principal, context: q.Context, asked: map[[2]string]*memoEntry{}}
				index[gk] = g
				groups = append(groups, g)
			}
			if !slices.Contains(g.actions, q.Action) {
				g.actions = append(g.actions, q.Action)
			}
			if !slices.Contains(g.resources, q.Resource) {
				g.resources = append(g.resources, q.Resource)
			}
			g.asked[[2]string{q.Action, q.Resource}] = e
		}
		if !slices.Contains(entries, e) {
			entries = append(entries, e)
		}
	}
	r.mu.Unlock()

	// Every call is independent: send them together.
	type batch struct {
		g         *group
		resources []string
		sims      []snapshot.Simulation
		why       *snapshot.FactError
	}
	var batches []*batch
	for _, g := range groups {
		for start := 0; start < len(g.resources); start += maxResourcesPerCall {
			batches = append(batches, &batch{g: g, resources: g.resources[start:min(start+maxResourcesPerCall, len(g.resources))]})
		}
	}
	fs := make([]func(), len(batches))
	for i, bt := range batches {
		fs[i] = func() {
			s := r.identityFor(arn.Account(bt.g.principal))
			bt.sims, bt.why = r.simulateGroup(s, bt.g.principal, bt.g.actions, bt.resources, bt.g.context)
		}
	}
	parallel(fs...)
	for _, bt := range batches {
		answers := map[*memoEntry]*simAnswer{}
		for k, e := range bt.g.asked {
			if slices.Contains(bt.resources, k[1]) {
				answers[e] = &simAnswer{why: bt.why}
			}
		}
		for _, sim := range bt.sims {
			if e := bt.g.asked[[2]string{sim.Action, sim.Resource}]; e != nil && answers[e] != nil {
				answers[e].sims = append(answers[e].sims, sim)
			}
		}
		for e, a := range answers {
			e.val = *a
			close(e.done)
		}
	}
	var out []snapshot.Simulation
	for _, e := range entries {
		<-e.done
		a := e.val.(simAnswer)
		if a.why != nil {
			return nil, a.why
		}
		out = append(out, a.sims...)
	}
	return out, nil
}

// identityForNow is identityFor when it is already known, without
// waiting (the caller holds r.mu); nil otherwise.
func (r *run) identityForNow(account string) *identity {
	e, ok := r.memo["identity/"+account]
	if !ok {
		return nil
	}
	select {
	case <-e.done:
		id, _ := e.val.(*identity)
		return id
	default:
		return nil
	}
}

// simKey is the memo key of a question's answer.
func simKey(q Question) string {
	return "sim/" + q.Principal + "|" + q.Action + "|" + q.Resource + "|" + contextKey(q.Context)
}

// probeSimulator asks the simulator one real question of the replication
// role, once per set of credentials, while the other facts are still
// being read: if the simulator is unavailable, the run learns it off the
// critical path and sends nothing more to it; if it answers, every group
// goes out together at the end, without the probe's question, whose
// answer is kept as any other.
func (r *run) probeSimulator(role, source string) *snapshot.FactError {
	s := r.identityFor(arn.Account(role))
	if s == nil {
		return r.noCredentials("iam:SimulatePrincipalPolicy", arn.Account(role))
	}
	return once(r, "simulator-probe/"+s.label, func() *snapshot.FactError {
		q := Question{Principal: role, Action: "s3:GetReplicationConfiguration", Resource: "arn:aws:s3:::" + source}
		sims, why := r.simulateGroup(s, role, []string{q.Action}, []string{q.Resource}, nil)
		if why == nil {
			r.mu.Lock()
			if _, asked := r.memo[simKey(q)]; !asked {
				e := &memoEntry{done: make(chan struct{}), val: simAnswer{sims: sims}}
				close(e.done)
				r.memo[simKey(q)] = e
			}
			r.mu.Unlock()
		}
		return why
	})
}

func (r *run) simulateGroup(s *identity, principal string, actions, resources []string, ctx map[string][]string) ([]snapshot.Simulation, *snapshot.FactError) {
	in := &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: &principal,
		ActionNames:     actions,
		ResourceArns:    resources,
		ContextEntries:  contextEntries(ctx),
	}
	var out []snapshot.Simulation
	p := iam.NewSimulatePrincipalPolicyPaginator(s.IAM(), in)
	for p.HasMorePages() {
		page, err := call(r, "iam:SimulatePrincipalPolicy", func(c context.Context) (*iam.SimulatePrincipalPolicyOutput, error) {
			return p.NextPage(c, noRetryWithoutAWSError)
		})
		if err != nil {
			return nil, factError("iam:SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy", err)
		}
		for _, res := range page.EvaluationResults {
			out = append(out, simulations(principal, ctx, res)...)
		}
	}
	return out, nil
}

// noRetryWithoutAWSError keeps the client's retries (throttling, and the
// SDK's transient transport errors such as a connection closed under a
// read) but does not retry a 5xx that carries no AWS error: an emulator
// answers so for an operation it lacks, and the local engine is the
// fallback anyway.
func noRetryWithoutAWSError(o *iam.Options) {
	if r, ok := o.Retryer.(aws.RetryerV2); ok {
		o.Retryer = simulatorRetryer{r}
	}
}

type simulatorRetryer struct{ aws.RetryerV2 }

// IsErrorRetryable refuses an answer without an AWS error.
func (s simulatorRetryer) IsErrorRetryable(err error) bool {
	return !withoutAWSError(err) && s.RetryerV2.IsErrorRetryable(err)
}

// simulations reads one evaluation result, in either shape the API has
// used: per-resource results in ResourceSpecificResults (since 2026-07),
// or one result per action and resource.
func simulations(principal string, ctx map[string][]string, res types.EvaluationResult) []snapshot.Simulation {
	action := deref(res.EvalActionName)
	if len(res.ResourceSpecificResults) > 0 {
		var out []snapshot.Simulation
		for _, rs := range res.ResourceSpecificResults {
			out = append(out, snapshot.Simulation{
				Principal: principal, Action: action, Resource: deref(rs.EvalResourceName), Context: ctx,
				Decision:             string(rs.EvalResourceDecision),
				MissingContextValues: rs.MissingContextValues,
				MatchedStatements:    statementIDs(rs.MatchedStatements),
			})
		}
		return out
	}
	return []snapshot.Simulation{{
		Principal: principal, Action: action, Resource: deref(res.EvalResourceName), Context: ctx,
		Decision:             string(res.EvalDecision),
		MissingContextValues: res.MissingContextValues,
		MatchedStatements:    statementIDs(res.MatchedStatements),
	}}
}

func statementIDs(ms []types.Statement) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s (%s)", deref(m.SourcePolicyId), m.SourcePolicyType))
	}
	return out
}

// contextEntries encodes a request context for the simulator.
func contextEntries(ctx map[string][]string) []types.ContextEntry {
	keys := make([]string, 0, len(ctx))
	for k := range ctx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []types.ContextEntry
	for _, k := range keys {
		typ := types.ContextKeyTypeEnumString
		switch {
		case strings.EqualFold(k, "aws:SecureTransport"):
			typ = types.ContextKeyTypeEnumBoolean
		case len(ctx[k]) > 1 || strings.EqualFold(k, "kms:EncryptionContextKeys"):
			typ = types.ContextKeyTypeEnumStringList
		}
		name := k
		out = append(out, types.ContextEntry{ContextKeyName: &name, ContextKeyType: typ, ContextKeyValues: ctx[k]})
	}
	return out
}

// contextKey is a stable key for a request context.
func contextKey(ctx map[string][]string) string {
	keys := make([]string, 0, len(ctx))
	for k := range ctx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s;", k, strings.Join(ctx[k], ","))
	}
	return b.String()
}

// sameAccountResource reports whether a question's resource carries no
// account (S3) or the principal's.
func sameAccountResource(q Question) bool {
	acct := arn.Account(q.Resource)
	return acct == "" || acct == arn.Account(q.Principal)
}
