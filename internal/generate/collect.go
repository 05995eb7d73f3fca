package generate

import (
	"reflect"
	"slices"
	"strings"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

// generator holds one generation's state.
type generator struct {
	snap  *snapshot.Snapshot
	opt   Options
	cfg   *snapshot.ReplicationConfiguration
	p     *Policies
	atoms []atom
}

// atom is one permission granted in one policy: one action on one
// resource, under the conditions the question's request meets.
type atom struct {
	slot slot
	stmt checks.Statement
}

// slot is a policy the generator writes.
type slot struct {
	kind    slotKind
	arn     string // the bucket or key, for resource policies
	account string
}

type slotKind int

const (
	slotRole slotKind = iota
	slotBatchRole
	slotBucket
	slotKey
)

// run fills the generator's Policies.
func (g *generator) run() error {
	src := &g.snap.Source
	srcAccount := ""
	if src.Account.IsKnown() {
		srcAccount = src.Account.Value
	} else if !g.opt.NoTrustConditions {
		g.p.note("the owner of source bucket %s could not be read (%s), so the trust policy has no aws:SourceAccount condition", src.Name, src.Account.Why())
	}
	g.recordExisting()

	// The probe opens every role, bucket and key policy up, so that each
	// check asks all its questions: a check stops at its first denial.
	// Whether a bucket or key policy lacks a grant is then decided on
	// its policy of today (orig).
	probe, err := Apply(g.snap, widest(g.snap, &Policies{Role: g.p.Role, BatchRole: g.p.BatchRole}))
	if err != nil {
		return err
	}
	orig, err := checks.NewFacts(g.snap)
	if err != nil {
		return err
	}
	for i := range probe.Roles {
		// A role whose existence was not read (the snapshot has no facts
		// for it) is asked about as if it existed, so that every check
		// asks its questions; the proof still takes it as unknown.
		if r := &probe.Roles[i]; r.Exists.IsUnknown() && (r.ARN == g.p.Role || r.ARN == g.p.BatchRole) {
			r.Exists = snapshot.KnownFact(true)
		}
	}
	copt := checks.Options{Batch: g.opt.Batch}
	for _, batch := range []bool{false, true} {
		if batch && !g.opt.Batch {
			continue
		}
		facts, err := checks.NewFacts(probe)
		if err != nil {
			return err
		}
		findings := checks.Run(checksOf(batch), facts, copt)
		for _, q := range facts.Asked() {
			a := facts.Can(q)
			if p := policyOf(orig, q.Resource); p != nil {
				q.ResourcePolicy = p
			}
			g.grant(q, a, batch)
		}
		g.noteFindings(findings)
		if !batch {
			g.trust(srcAccount, findings)
		}
	}
	g.assemble()
	g.noteLeftOut()
	return nil
}

// checksOf returns the Batch Replication checks, or every other one.
func checksOf(batch bool) []*checks.Check {
	var out []*checks.Check
	for _, c := range checks.All {
		if (c.Scope == checks.ScopeBatch) == batch {
			out = append(out, c)
		}
	}
	return out
}

// trust writes the trust policies, for the rules S3 would replicate: S3
// assumes the replication role, and Batch Operations the job role.
func (g *generator) trust(srcAccount string, findings []checks.Finding) {
	if !slices.ContainsFunc(findings, func(f checks.Finding) bool {
		return f.Reason == checks.AssumeRoleNotPermitted.Reason && f.Status != checks.StatusSkip
	}) {
		g.p.note("no rule is one S3 would replicate now (every one is disabled, or a bucket does not exist), so no role needs a trust policy")
		return
	}
	services := []string{s3Service}
	if g.p.BatchRole == g.p.Role {
		services = append(services, batchService)
	}
	g.p.RoleTrustPolicy = trustPolicy(services, srcAccount, g.p.Source, !g.opt.NoTrustConditions)
	if g.p.BatchRole != "" && g.p.BatchRole != g.p.Role {
		g.p.BatchRoleTrustPolicy = trustPolicy([]string{batchService}, srcAccount, g.p.Source, !g.opt.NoTrustConditions)
	}
}

// policyOf is the policy of today of the bucket or key a resource is, or
// of the bucket an object is in; nil when the snapshot has no facts for it.
func policyOf(f *checks.Facts, resource string) *checks.PolicyFact {
	if k := f.Key(resource); k != nil {
		return &k.Policy
	}
	b := bucketARN(resource)
	if f.Source.ARN == b {
		return &f.Source.Policy
	}
	if d := f.Destination(b); d != nil {
		return &d.Policy
	}
	return nil
}

// grant turns one question the checks asked into atoms: the role's
// identity statement, and the resource policy's statement when that
// policy does not let the request through already. What the policies
// cannot change becomes a note.
func (g *generator) grant(q checks.Question, a checks.Answer, batch bool) {
	if why := checks.NoGrant(q.Action); why != "" {
		g.p.note("%s is not granted: %s", q.Action, why)
		return
	}
	role := slot{kind: slotRole}
	if batch {
		role.kind = slotBatchRole
	}
	res := g.resourceSlot(q)
	side := q.ResourceSide()
	switch {
	case q.ResourceAlone():
		g.p.note("the policy of %s already grants %s to %s, which therefore needs no grant of its own for it", res.arn, q.Action, q.Role.ARN)
	case side == checks.SideLacks && res.account == q.Role.Account:
		// The resource's policy must name the role (a key policy that
		// does not let IAM policies decide), and in the role's own
		// account that grant alone allows it.
	case batch && q.Role.ARN == g.p.Role && g.granted(slot{kind: slotRole}, q.IdentityStatement()):
		// One role for both: the replication role's policy grants it
		// already (s3:GetReplicationConfiguration on the source).
	default:
		g.atoms = append(g.atoms, atom{role, q.IdentityStatement()})
	}
	switch side {
	case checks.SideLacks:
		g.atoms = append(g.atoms, atom{res, q.ResourceStatement()})
	case checks.SideUnknown:
		g.atoms = append(g.atoms, atom{res, q.ResourceStatement()})
		g.p.note("whether the policy of %s already allows %s to the role could not be read, so its statement is listed: add it unless the policy already allows it", res.arn, q.Action)
	case checks.SideDenies:
		g.p.note("a Deny in the policy of %s refuses %s on %s to %s, and added statements cannot override a Deny: remove it or exempt the role", res.arn, q.Action, q.Resource, q.Role.ARN)
	}
	if !a.Decided || a.Allowed {
		return
	}
	switch a.Result.Reason {
	case policy.ReasonBoundary, policy.ReasonNoSCP, policy.ReasonNoRCP:
		g.p.note("%s on %s is refused to %s by a policy these do not replace (%s): it must allow the statement granted here", q.Action, q.Resource, q.Role.ARN, a.Result.Reason)
	case policy.ReasonExplicitDeny:
		if q.ResourceSide() != checks.SideDenies {
			g.p.note("%s on %s is refused to %s by a Deny these policies do not replace (%s): remove it or exempt the role", q.Action, q.Resource, q.Role.ARN, strings.Join(a.Statements, "; "))
		}
	}
}

// granted reports whether the policy in s already has statement st.
func (g *generator) granted(s slot, st checks.Statement) bool {
	return slices.ContainsFunc(g.atoms, func(a atom) bool { return a.slot == s && reflect.DeepEqual(a.stmt, st) })
}

// resourceSlot is the bucket or key policy that decides a question's
// resource side.
func (g *generator) resourceSlot(q checks.Question) slot {
	s := slot{kind: slotBucket, arn: bucketARN(q.Resource)}
	if strings.Contains(q.Resource, ":kms:") {
		s = slot{kind: slotKey, arn: q.Resource}
	}
	if q.ResourceAccount.IsKnown() {
		s.account = q.ResourceAccount.Value
	}
	return s
}

// bucketARN is the bucket ARN of a bucket or object ARN.
func bucketARN(resource string) string {
	head, rest, ok := strings.Cut(resource, ":::")
	if !ok {
		return resource
	}
	bucket, _, _ := strings.Cut(rest, "/")
	return head + ":::" + bucket
}

// noteFindings notes what the probe could not decide, and configurations
// S3 would refuse.
func (g *generator) noteFindings(findings []checks.Finding) {
	for _, f := range findings {
		c := checks.Lookup(f.Reason)
		switch {
		case c.Config && f.Status == checks.StatusFail:
			g.p.note("S3 would refuse this replication configuration (%s, rule %s: %s); the policies are written for its rules as they are", f.Reason, f.Rule, f.Message)
		case len(c.Requires) > 0 && f.Status == checks.StatusUnknown:
			g.p.note("not covered: %s for rule %s → %s could not be decided: %s", f.Reason, f.Rule, f.Destination, f.Message)
		}
	}
}

// recordExisting records the roles' identity policies and the buckets' and
// keys' policies as they are today.
func (g *generator) recordExisting() {
	for _, r := range g.snap.Roles {
		if r.ARN != g.p.Role && r.ARN != g.p.BatchRole {
			continue
		}
		st := roleState{exists: r.Exists}
		for _, np := range r.InlinePolicies.Value {
			st.inline = append(st.inline, np.Name)
		}
		for _, np := range r.ManagedPolicies.Value {
			st.managed = append(st.managed, np.Name)
		}
		g.p.roles[r.ARN] = st
	}
	for _, b := range append([]snapshot.Bucket{g.snap.Source}, g.snap.Destinations...) {
		g.p.existing["arn:aws:s3:::"+b.Name] = b.Policy
	}
	for _, k := range g.snap.KMSKeys {
		g.p.existing[k.ARN] = k.Policy
	}
}

// assemble merges the atoms into the Policies' statements.
func (g *generator) assemble() {
	bySlot := map[slot][]checks.Statement{}
	var order []slot
	for _, a := range g.atoms {
		if _, ok := bySlot[a.slot]; !ok {
			order = append(order, a.slot)
		}
		bySlot[a.slot] = append(bySlot[a.slot], a.stmt)
	}
	srcName := g.snap.Source.Name
	g.p.RolePolicy = document(name(merge(bySlot[slot{kind: slotRole}]), srcName))
	if g.opt.Batch {
		g.p.BatchRolePolicy = document(name(merge(bySlot[slot{kind: slotBatchRole}]), srcName))
	}
	slices.SortStableFunc(order, func(a, b slot) int { return strings.Compare(a.arn, b.arn) })
	for _, s := range order {
		if s.kind != slotBucket && s.kind != slotKey {
			continue
		}
		rs := ResourceStatements{Account: s.account, ExistingPolicy: g.existingState(s.arn),
			Statements: name(merge(bySlot[s]), srcName, g.existingSids(s.arn)...)}
		switch {
		case s.kind == slotKey:
			rs.Key = s.arn
			g.p.KeyPolicyStatements = append(g.p.KeyPolicyStatements, rs)
		case s.arn == g.p.Source:
			g.p.SourceBucketPolicy = &rs
		default:
			rs.Bucket = s.arn
			g.p.DestinationBucketPolicies = append(g.p.DestinationBucketPolicies, rs)
		}
	}
	if g.p.SourceBucketPolicy != nil {
		g.p.SourceBucketPolicy.Bucket = g.p.Source
	}
}

// document is a policy of statements, or nil when there are none.
func document(stmts []checks.Statement) *checks.IAMPolicy {
	if len(stmts) == 0 {
		return nil
	}
	return checks.NewIAMPolicy(stmts...)
}

// existingState says whether a bucket or key has a policy today.
func (g *generator) existingState(arn string) snapshot.State {
	f, ok := g.p.existing[arn]
	if !ok || f.IsUnknown() {
		return snapshot.Unknown
	}
	return f.State
}

// existingSids are the Sids of a bucket's or key's policy today, which the
// added statements must not reuse.
func (g *generator) existingSids(arn string) []string {
	f := g.p.existing[arn]
	if !f.IsKnown() {
		return nil
	}
	doc, err := policy.Parse(f.Value)
	if err != nil {
		return nil
	}
	var sids []string
	for _, st := range doc.Statements {
		sids = append(sids, st.Sid)
	}
	return sids
}

// noteLeftOut says what AWS's example policies grant that these do not,
// and which grants are for what AWS documents only in part.
func (g *generator) noteLeftOut() {
	g.p.note("s3:ListBucket on the source bucket, which AWS's example role policies grant, is granted only for rules that replicate delete markers, which AWS documents it for (%s)",
		"setting-repl-config-perm-overview.html")
	if !g.opt.NoTrustConditions {
		g.p.note("the trust policy allows S3 to assume the role only for the source bucket's account and ARN (aws:SourceAccount, aws:SourceArn): the confused-deputy protection AWS recommends for service roles (IAM User Guide, confused-deputy.html); AWS's replication pages do not say that S3 sends these keys, so replcheck's AssumeRoleNotPermitted warns on them; --no-trust-conditions writes AWS's unconditioned trust policy instead")
	}
	if g.grants("kms:GenerateDataKey", "kms:Decrypt") {
		g.p.note("on the keys that encrypt replicas, AWS documents kms:Encrypt (kms:Decrypt too with S3 Bucket Keys, kms:GenerateDataKey on a default key for unencrypted objects); kms:GenerateDataKey and kms:Decrypt are granted on them for multipart uploads of large replicas as well, which S3 needs for SSE-KMS multipart uploads by other callers (API_CreateMultipartUpload.html) and which AWS's failure table lists under DstPutObjectNotPermitted; replcheck warns without them")
	}
	if g.grants("s3:PutObjectLegalHold", "s3:PutObjectRetention") {
		g.p.note("s3:PutObjectLegalHold and s3:PutObjectRetention on the destination are granted because the source bucket has Object Lock: AWS's failure table names them (DstPutLegalHoldNotPermitted, DstPutRetentionNotPermitted) though its Object Lock page asks only the source-side s3:GetObjectLegalHold and s3:GetObjectRetention; replcheck warns without them")
	}
	if g.opt.Batch {
		g.p.note("the Batch Operations job role also needs s3:GetObject and s3:GetObjectVersion on its manifest, and s3:PutObject on its completion report bucket (and on the manifest bucket for an S3-generated manifest), which replcheck does not know: add them (s3-batch-replication-policies.html); s3:GetReplicationConfiguration and s3:PutInventoryConfiguration on the source bucket are granted for an S3-generated manifest, and may be dropped with a manifest of your own")
	}
	for i, r := range g.cfg.Rules {
		if r.Status != "Enabled" {
			g.p.note("rule %s is %s: no permission is granted for it", g.cfg.RuleName(i), r.Status)
		}
	}
	g.p.note("rolePolicy and roleTrustPolicy replace the role's policies%s; the bucket and key policy statements are to be added to those policies", g.replacedPolicies())
}

// grants reports whether the role policy grants any of the actions on the
// replicas' side: on a destination bucket, or on a key under an encryption
// context that is not the source bucket's.
func (g *generator) grants(actions ...string) bool {
	for _, a := range g.atoms {
		if a.slot.kind != slotRole || !slices.ContainsFunc(a.stmt.Action, func(x string) bool { return slices.Contains(actions, x) }) {
			continue
		}
		where := a.stmt.Resource
		if ctx := a.stmt.Condition["StringLike"][kmsContextKey]; len(ctx) > 0 {
			where = ctx
		}
		for _, r := range where {
			if strings.Contains(r, ":s3:::") && bucketARN(r) != g.p.Source {
				return true
			}
		}
	}
	return false
}

// kmsContextKey is the encryption context S3 sets on its KMS requests.
const kmsContextKey = "kms:EncryptionContext:aws:s3:arn"

// replacedPolicies names the role's identity policies today.
func (g *generator) replacedPolicies() string {
	st, ok := g.p.roles[g.p.Role]
	switch {
	case !ok:
		return ""
	case st.exists.IsKnown() && !st.exists.Value:
		return " (the role does not exist yet)"
	case len(st.inline)+len(st.managed) == 0:
		return ""
	}
	var names []string
	for _, n := range st.inline {
		names = append(names, "inline "+n)
	}
	for _, n := range st.managed {
		names = append(names, "managed "+n)
	}
	return " (today: " + strings.Join(names, ", ") + ")"
}
