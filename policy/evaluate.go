package policy

import "strings"

// Input is every policy that applies to one request. A nil or empty field
// means the layer does not exist: no resource policy, no boundary, no SCPs.
type Input struct {
	// Identity holds the principal's identity-based policies: inline and
	// managed, user and group.
	Identity []*Document
	// Resource is the resource-based policy: a bucket policy, a KMS key
	// policy or a role trust policy. For a KMS key, nil means no key policy
	// statement allows anything.
	Resource *Document
	// Boundary is the principal's permissions boundary.
	Boundary *Document
	// SCPs holds the service control policies of the principal's account,
	// one entry per organization level (root, each OU, the account). Every
	// level must allow; within a level, one allowing policy suffices.
	SCPs [][]*Document
	// RCPs holds the resource control policies of the resource's account,
	// by level like SCPs.
	RCPs [][]*Document
	// Session is the session policy of a role or federated-user session.
	Session *Document
}

// Reasons given in Result.Reason; callers may compare against them to
// say which policy to fix.
const (
	ReasonExplicitDeny     = "an applicable statement explicitly denies the request"
	ReasonAllowed          = "allowed"
	ReasonNoRCP            = "no resource control policy at one level of the resource's organization allows the request"
	ReasonNoSCP            = "no service control policy at one level of the principal's organization allows the request"
	ReasonNoIdentity       = "no identity-based policy allows the request"
	ReasonNoIdentityCross  = "cross-account request: no identity-based policy in the principal's account allows it"
	ReasonNoResourceCross  = "cross-account request: the resource policy does not allow the principal"
	ReasonBoundary         = "the permissions boundary does not allow the request"
	ReasonSession          = "the session policy does not allow the request"
	ReasonNoKeyPolicy      = "the key policy does not allow the principal, neither directly nor by delegating to its account"
	ReasonNoTrustPolicy    = "the role's trust policy does not allow the principal"
	ReasonNoResourcePolicy = "the resource policy does not allow this principal, and only a resource policy can"
)

// evalMode selects whose policy is the primary authority.
type evalMode uint8

const (
	// modeStandard: S3 and most services; a same-account identity policy
	// suffices.
	modeStandard evalMode = iota
	// modeKeyPolicy: a KMS key; the key policy must allow, directly or by
	// delegating to the account (kms key-policies.html).
	modeKeyPolicy
	// modeTrustPolicy: sts:AssumeRole* on a role; the trust policy must
	// allow.
	modeTrustPolicy
)

func modeOf(req *Request) evalMode {
	a, ok := splitARN(req.Resource)
	switch {
	case !ok:
		return modeStandard
	case a.service == "kms" && strings.HasPrefix(a.resource, "key/"):
		return modeKeyPolicy
	case a.service == "iam" && strings.HasPrefix(a.resource, "role/") && hasServicePrefix(req.Action, "sts"):
		return modeTrustPolicy
	}
	return modeStandard
}

func hasServicePrefix(action, service string) bool {
	return len(action) > len(service) && action[len(service)] == ':' && strings.EqualFold(action[:len(service)], service)
}

// layerAllow locates the first Allow statement of a layer that matched; stmt
// is -1 when none did.
type layerAllow struct {
	policy, member, stmt int
	form                 grantForm // resource policies: the best principal form
}

var noAllow = layerAllow{stmt: -1}

func (a layerAllow) ok() bool { return a.stmt >= 0 }

// maxLevels is the deepest organization an evaluation tracks without
// allocating: root, five OU levels, and the account.
const maxLevels = 8

// evaluation is the state of one Evaluate call. It lives on the stack.
type evaluation struct {
	req         *Request
	caller      caller
	hasBoundary bool
	denies      []MatchedStatement

	principalArn string // aws:PrincipalArn, from the context or derived
	one          [2]string
}

// Evaluate decides req under the policies in in, following
// reference_policies_evaluation-logic.html:
//  1. an explicit Deny in any applicable policy denies;
//  2. every RCP level of the resource's account, and every SCP level of the
//     principal's account, must allow;
//  3. within one account, a resource-policy grant naming the session, user or
//     "*" suffices; one naming the role ARN suffices within the permissions
//     boundary and session policy; one naming the account only delegates to
//     the identity side;
//  4. the identity side is an identity-policy Allow, within the boundary
//     and the session policy;
//  5. across accounts, both the resource policy and the identity side must
//     allow;
//  6. for KMS keys and role trust policies the resource policy must allow in
//     every case.
func Evaluate(in *Input, req *Request) Result {
	ev := evaluation{req: req, caller: parseCaller(req.Principal, req.PrincipalAccount)}
	iam := ev.caller.iamPrincipal()
	ev.hasBoundary = iam && in.Boundary != nil
	ev.principalArn = ev.derivePrincipalArn()

	identity, boundary, session := noAllow, noAllow, noAllow
	var scpBuf, rcpBuf [maxLevels]layerAllow
	scps, rcps := levelSlots(scpBuf[:], len(in.SCPs)), levelSlots(rcpBuf[:], len(in.RCPs))
	if iam {
		for i, doc := range in.Identity {
			if a := ev.scan(doc, KindIdentity, i, 0); !identity.ok() {
				identity = a
			}
		}
		if ev.hasBoundary {
			boundary = ev.scan(in.Boundary, KindBoundary, 0, 0)
		}
		if in.Session != nil {
			session = ev.scan(in.Session, KindSession, 0, 0)
		}
		ev.scanLevels(in.SCPs, KindSCP, scps)
	} else {
		scps = nil // SCPs restrict only IAM principals
	}
	resource := noAllow
	if in.Resource != nil {
		resource = ev.scan(in.Resource, KindResource, 0, 0)
	}
	ev.scanLevels(in.RCPs, KindRCP, rcps)

	if len(ev.denies) > 0 {
		return Result{Decision: ExplicitDeny, Matched: ev.denies, Reason: ReasonExplicitDeny}
	}
	for _, l := range rcps {
		if !l.ok() {
			return Result{Reason: ReasonNoRCP}
		}
	}
	for _, l := range scps {
		if !l.ok() {
			return Result{Reason: ReasonNoSCP}
		}
	}

	l := layers{in: in, identity: identity, boundary: boundary, session: session, resource: resource, scps: scps, rcps: rcps}
	l.boundaryOK = !ev.hasBoundary || boundary.ok()
	l.sessionOK = in.Session == nil || !iam || session.ok()

	mode := modeOf(req)
	switch {
	case !iam:
		// Service principals and others have no identity policies: only
		// the resource policy can grant.
		if resource.form != formNone {
			return l.allow(true, false)
		}
		return Result{Reason: ReasonNoResourcePolicy}
	case resource.form == formNone && mode == modeKeyPolicy:
		return Result{Reason: ReasonNoKeyPolicy}
	case resource.form == formNone && mode == modeTrustPolicy:
		return Result{Reason: ReasonNoTrustPolicy}
	case ev.resourceAccount() != ev.caller.account:
		if resource.form == formNone {
			return Result{Reason: ReasonNoResourceCross}
		}
		if why := l.identityDenial(); why != "" {
			if why == ReasonNoIdentity {
				why = ReasonNoIdentityCross
			}
			return Result{Reason: why}
		}
		return l.allow(true, true)
	case resource.form == formDirect:
		return l.allow(true, false)
	case resource.form == formRole && l.boundaryOK && l.sessionOK:
		return l.allow(true, false)
	}
	why := l.identityDenial()
	switch {
	case why == ReasonNoIdentity && resource.form == formRole && !l.boundaryOK:
		return Result{Reason: ReasonBoundary} // the role-ARN grant was capped
	case why == ReasonNoIdentity && resource.form == formRole:
		return Result{Reason: ReasonSession}
	case why != "":
		return Result{Reason: why}
	}
	// Key and trust policies that delegate to the account decide together
	// with the identity side.
	return l.allow(mode != modeStandard, true)
}

// layers holds each policy layer's first matching Allow for one evaluation.
type layers struct {
	in                                    *Input
	identity, boundary, session, resource layerAllow
	boundaryOK, sessionOK                 bool
	scps, rcps                            []layerAllow
}

// document returns the policy an allow was found in.
func (in *Input) document(kind Kind, a layerAllow) *Document {
	switch kind {
	case KindIdentity:
		return in.Identity[a.policy]
	case KindResource:
		return in.Resource
	case KindBoundary:
		return in.Boundary
	case KindSCP:
		return in.SCPs[a.policy][a.member]
	case KindRCP:
		return in.RCPs[a.policy][a.member]
	}
	return in.Session
}

// identityDenial says why the identity side denies, or "" when an identity
// policy allows within the boundary and the session policy.
func (l *layers) identityDenial() string {
	switch {
	case !l.identity.ok():
		return ReasonNoIdentity
	case !l.boundaryOK:
		return ReasonBoundary
	case !l.sessionOK:
		return ReasonSession
	}
	return ""
}

// allow builds an Allowed result listing the deciding statements: the
// resource policy's grant when it counted, the identity policy with the
// boundary and session policy when the identity side counted (or capped a
// role-ARN grant), and each organization level.
func (l *layers) allow(useResource, useIdentity bool) Result {
	out := make([]MatchedStatement, 0, 4+len(l.scps)+len(l.rcps))
	add := func(kind Kind, a layerAllow) {
		if a.ok() {
			sid := l.in.document(kind, a).Statements[a.stmt].Sid
			out = append(out, MatchedStatement{Kind: kind, Policy: a.policy, Member: a.member, Statement: a.stmt, Sid: sid, Effect: Allow})
		}
	}
	if useResource {
		add(KindResource, l.resource)
	}
	if useIdentity {
		add(KindIdentity, l.identity)
	}
	if useIdentity || useResource && l.resource.form == formRole {
		add(KindBoundary, l.boundary)
		add(KindSession, l.session)
	}
	for _, a := range l.scps {
		add(KindSCP, a)
	}
	for _, a := range l.rcps {
		add(KindRCP, a)
	}
	return Result{Decision: Allowed, Matched: out, Reason: ReasonAllowed}
}

// levelSlots returns n slots for organization levels, in buf when it is
// large enough.
func levelSlots(buf []layerAllow, n int) []layerAllow {
	if n > len(buf) {
		return make([]layerAllow, n)
	}
	return buf[:n]
}

// scanLevels scans organization policies level by level into slots, one per
// level.
func (ev *evaluation) scanLevels(levels [][]*Document, kind Kind, slots []layerAllow) {
	for lvl, members := range levels {
		got := noAllow
		for m, doc := range members {
			if a := ev.scan(doc, kind, lvl, m); !got.ok() {
				got = a
			}
		}
		slots[lvl] = got
	}
}

// scan evaluates every statement of doc once. Matching Deny statements are
// recorded in ev.denies; the first matching Allow is returned, with the
// strongest principal form among matching Allows for resource policies.
func (ev *evaluation) scan(doc *Document, kind Kind, policy, member int) layerAllow {
	got := noAllow
	for i := range doc.Statements {
		st := &doc.Statements[i]
		form, ok := ev.applies(st, kind)
		if !ok {
			continue
		}
		if st.Effect == Deny {
			ev.denies = append(ev.denies, MatchedStatement{Kind: kind, Policy: policy, Member: member, Statement: i, Sid: st.Sid, Effect: Deny})
			continue
		}
		if !got.ok() {
			got = layerAllow{policy: policy, member: member, stmt: i, form: form}
		} else if form > got.form {
			got.form, got.stmt = form, i
		}
	}
	return got
}

// applies reports whether a statement matches the request, and for
// resource-side policies the principal form it matched.
func (ev *evaluation) applies(st *Statement, kind Kind) (grantForm, bool) {
	if !ev.actionMatches(st) || !ev.resourceMatches(st) {
		return formNone, false
	}
	form := formNone
	if kind == KindResource || kind == KindRCP {
		var ok bool
		if form, ok = ev.principalMatches(st); !ok {
			return formNone, false
		}
	}
	for i := range st.conditions {
		if !st.conditions[i].eval(ev) {
			return formNone, false
		}
	}
	return form, true
}

func (ev *evaluation) actionMatches(st *Statement) bool {
	for i := range st.actions {
		if st.actions[i].matches(ev.req.Action, true) {
			return !st.notAction
		}
	}
	return st.notAction
}

func (ev *evaluation) resourceMatches(st *Statement) bool {
	if !st.hasResource {
		return true // trust policies name no Resource: the role is the resource
	}
	for i := range st.resources {
		if st.resources[i].matchesResolved(ev, ev.req.Resource) {
			return !st.notResource
		}
	}
	return st.notResource
}

// principalMatches applies Principal or NotPrincipal. Resource policies
// must name a principal; a statement without one is taken to apply to
// everyone when it denies and to no one when it allows, so that an invalid
// policy never widens access.
func (ev *evaluation) principalMatches(st *Statement) (grantForm, bool) {
	ps := st.principals
	switch {
	case ps == nil:
		return formDirect, st.Effect == Deny
	case st.notPrincipal && st.Effect == Deny:
		// "The NotPrincipal element with a Deny effect will always deny any
		// IAM principal that has a permissions boundary policy attached"
		// (access_policies_boundaries.html).
		return formDirect, ev.hasBoundary || !ps.listsCaller(&ev.caller, ev.principalArn)
	case st.notPrincipal:
		// NotPrincipal with Allow is discouraged; it is taken as a
		// delegation, never as a direct grant.
		return formAccount, ps.match(&ev.caller, ev.principalArn) == formNone
	}
	f := ps.match(&ev.caller, ev.principalArn)
	return f, f != formNone
}

// resourceAccount is the account that owns the resource.
func (ev *evaluation) resourceAccount() string {
	if ev.req.ResourceAccount != "" {
		return ev.req.ResourceAccount
	}
	if a, ok := splitARN(ev.req.Resource); ok && a.account != "" {
		return a.account
	}
	return ev.caller.account
}

// derivePrincipalArn returns aws:PrincipalArn: the context's value, or the
// ARN IAM would report for the caller. A session's role path is unknown, so
// for sessions it is derived (with an allocation) only when asked for.
func (ev *evaluation) derivePrincipalArn() string {
	if v, ok := ev.req.Context.lookup("aws:principalarn"); ok && len(v) == 1 {
		return v[0]
	}
	switch ev.caller.kind {
	case callerRole, callerUser, callerRoot:
		return ev.caller.arn
	}
	return ""
}

// lookup returns a context key's values, deriving aws:PrincipalArn,
// aws:PrincipalAccount and aws:username from the principal when the context
// does not set them.
func (ev *evaluation) lookup(lowerKey string) ([]string, bool) {
	if v, ok := ev.req.Context.lookup(lowerKey); ok {
		return v, true
	}
	if !ev.caller.iamPrincipal() {
		return nil, false
	}
	switch lowerKey {
	case "aws:principalarn":
		if ev.principalArn == "" && ev.caller.kind == callerSession {
			return []string{"arn:" + ev.caller.partition + ":iam::" + ev.caller.account + ":role/" + ev.caller.roleName}, true
		}
		ev.one[0] = ev.principalArn
		return ev.one[:1], ev.principalArn != ""
	case "aws:principalaccount":
		ev.one[1] = ev.caller.account
		return ev.one[1:2], ev.caller.account != ""
	case "aws:username":
		if ev.caller.kind == callerUser {
			name := ev.caller.arn[strings.LastIndexByte(ev.caller.arn, '/')+1:]
			return []string{name}, true
		}
	}
	return nil, false
}

// variable returns the single value of a policy variable. Multivalued keys
// cannot be variables.
func (ev *evaluation) variable(lowerKey string) (string, bool) {
	v, ok := ev.lookup(lowerKey)
	if !ok || len(v) != 1 {
		return "", false
	}
	return v[0], true
}
