package generate

import (
	"fmt"
	"slices"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Proof is what the checks say of the generated policies.
type Proof struct {
	// Verified is true when the policies are both sufficient and
	// necessary.
	Verified bool `json:"verified"`
	// Sufficient is true when, with the policies in place, no permission
	// check fails or is undecided.
	Sufficient bool `json:"sufficient"`
	// Necessary is true when dropping any one statement makes a check
	// fail, or warn for a statement that grants only what AWS's pages
	// disagree on.
	Necessary bool `json:"necessary"`
	// Findings are the permission findings that do not pass with the
	// policies in place: fail and unknown (which make them insufficient)
	// and warn.
	Findings []ProofFinding `json:"findings"`
	// Statements say, for each statement, what dropping it does.
	Statements []StatementProof `json:"statements"`
}

// ProofFinding is a permission finding with the policies in place.
type ProofFinding struct {
	Reason      string        `json:"reason"`
	Status      checks.Status `json:"status"`
	Rule        string        `json:"rule"`
	Destination string        `json:"destination"`
	Message     string        `json:"message"`
	// BeyondPolicies is true for a finding that no grant in the places
	// the generated policies go could make pass: it does not pass when
	// those policies allow everything. Something else decides it (an SCP, a
	// permissions boundary, a Deny, a fact that was not read, objects
	// owned by another account).
	BeyondPolicies bool `json:"beyondPolicies,omitempty"`
}

// StatementProof is what dropping one statement does.
type StatementProof struct {
	// Policy names where the statement is: roleTrustPolicy, rolePolicy,
	// batchRolePolicy, or the bucket or key ARN.
	Policy string `json:"policy"`
	Sid    string `json:"sid"`
	// WithoutIt lists the findings that get worse without the statement,
	// as "REASON STATUS (rule RULE → DESTINATION)".
	WithoutIt []string `json:"withoutIt"`
	// Necessary is true when WithoutIt holds a fail, or a warn where the
	// finding passed.
	Necessary bool `json:"necessary"`
}

// Verify proves the policies with the checks: with them in place (Apply)
// every permission check must pass, and without any one of their
// statements at least one must fail (or warn, where the statement grants
// only what AWS's pages disagree on). opt are the checks' options
// (Batch, as the policies were generated).
func Verify(s *snapshot.Snapshot, p *Policies, opt checks.Options) (*Proof, error) {
	base, err := permissionFindings(s, p, opt)
	if err != nil {
		return nil, err
	}
	widest, err := permissionFindings(s, widest(s, p), opt)
	if err != nil {
		return nil, err
	}
	proof := &Proof{Sufficient: true, Necessary: true, Findings: []ProofFinding{}, Statements: []StatementProof{}}
	for _, k := range base.order {
		f := base.byKey[k]
		if f.Status == checks.StatusPass || f.Status == checks.StatusSkip {
			continue
		}
		pf := ProofFinding{Reason: f.Reason, Status: f.Status, Rule: f.Rule, Destination: f.Destination, Message: f.Message}
		if f.Status == checks.StatusFail || f.Status == checks.StatusUnknown {
			proof.Sufficient = false
		}
		if w, ok := widest.byKey[k]; ok {
			pf.BeyondPolicies = w.Status != checks.StatusPass && w.Status != checks.StatusSkip
		}
		proof.Findings = append(proof.Findings, pf)
	}
	for _, ref := range p.statementRefs() {
		without, err := permissionFindings(s, p.without(ref), opt)
		if err != nil {
			return nil, err
		}
		sp := StatementProof{Policy: ref.policy, Sid: ref.sid, WithoutIt: []string{}}
		for _, k := range without.order {
			f, before := without.byKey[k], base.byKey[k]
			if worse(before.Status, f.Status) {
				sp.WithoutIt = append(sp.WithoutIt, fmt.Sprintf("%s %s (rule %s → %s)", f.Reason, f.Status, f.Rule, f.Destination))
				sp.Necessary = sp.Necessary || f.Status == checks.StatusFail || before.Status == checks.StatusPass
			}
		}
		proof.Necessary = proof.Necessary && sp.Necessary
		proof.Statements = append(proof.Statements, sp)
	}
	proof.Verified = proof.Sufficient && proof.Necessary
	return proof, nil
}

// worse reports whether a finding got worse: into a fail, or into a warn
// from pass or skip.
func worse(before, after checks.Status) bool {
	switch after {
	case checks.StatusFail:
		return before != checks.StatusFail
	case checks.StatusWarn:
		return before == checks.StatusPass || before == checks.StatusSkip
	}
	return false
}

// findingSet is a run's permission findings, by check, rule and
// destination.
type findingSet struct {
	byKey map[string]checks.Finding
	order []string
}

// permissionFindings runs every check with the policies in place and
// keeps the findings of the permission checks (those that declare the
// permissions they require).
func permissionFindings(s *snapshot.Snapshot, p *Policies, opt checks.Options) (*findingSet, error) {
	applied, err := Apply(s, p)
	if err != nil {
		return nil, err
	}
	facts, err := checks.NewFacts(applied)
	if err != nil {
		return nil, err
	}
	set := &findingSet{byKey: map[string]checks.Finding{}}
	for _, f := range checks.Run(checks.All, facts, opt) {
		if len(checks.Lookup(f.Reason).Requires) == 0 {
			continue
		}
		k := f.Reason + "|" + f.Rule + "|" + f.Destination
		if _, dup := set.byKey[k]; !dup {
			set.order = append(set.order, k)
		}
		set.byKey[k] = f
	}
	return set, nil
}

// statementRef locates one generated statement.
type statementRef struct {
	policy string // where, as StatementProof.Policy names it
	sid    string
	doc    *checks.IAMPolicy   // a role's policy, or
	res    *ResourceStatements // a bucket's or key's statements
	index  int
}

// statementRefs lists every statement of the policies.
func (p *Policies) statementRefs() []statementRef {
	var out []statementRef
	for _, d := range []struct {
		name string
		doc  *checks.IAMPolicy
	}{{"roleTrustPolicy", p.RoleTrustPolicy}, {"rolePolicy", p.RolePolicy}, {"batchRoleTrustPolicy", p.BatchRoleTrustPolicy}, {"batchRolePolicy", p.BatchRolePolicy}} {
		if d.doc == nil {
			continue
		}
		for i, st := range d.doc.Statement {
			out = append(out, statementRef{policy: d.name, sid: st.Sid, doc: d.doc, index: i})
		}
	}
	for _, rs := range p.resourceStatements() {
		for i, st := range rs.Statements {
			out = append(out, statementRef{policy: rs.target(), sid: st.Sid, res: rs, index: i})
		}
	}
	return out
}

// without returns a copy of the policies without one statement.
func (p *Policies) without(ref statementRef) *Policies {
	q := *p
	drop := func(stmts []checks.Statement) []checks.Statement {
		return slices.Delete(slices.Clone(stmts), ref.index, ref.index+1)
	}
	swapDoc := func(d *checks.IAMPolicy) *checks.IAMPolicy {
		if d != ref.doc || d == nil {
			return d
		}
		return &checks.IAMPolicy{Version: d.Version, Statement: drop(d.Statement)}
	}
	q.RoleTrustPolicy, q.RolePolicy = swapDoc(p.RoleTrustPolicy), swapDoc(p.RolePolicy)
	q.BatchRoleTrustPolicy, q.BatchRolePolicy = swapDoc(p.BatchRoleTrustPolicy), swapDoc(p.BatchRolePolicy)
	swapRes := func(rs ResourceStatements, orig *ResourceStatements) ResourceStatements {
		if orig == ref.res {
			rs.Statements = drop(rs.Statements)
		}
		return rs
	}
	if p.SourceBucketPolicy != nil {
		rs := swapRes(*p.SourceBucketPolicy, p.SourceBucketPolicy)
		q.SourceBucketPolicy = &rs
	}
	q.DestinationBucketPolicies = make([]ResourceStatements, len(p.DestinationBucketPolicies))
	for i := range p.DestinationBucketPolicies {
		q.DestinationBucketPolicies[i] = swapRes(p.DestinationBucketPolicies[i], &p.DestinationBucketPolicies[i])
	}
	q.KeyPolicyStatements = make([]ResourceStatements, len(p.KeyPolicyStatements))
	for i := range p.KeyPolicyStatements {
		q.KeyPolicyStatements[i] = swapRes(p.KeyPolicyStatements[i], &p.KeyPolicyStatements[i])
	}
	return &q
}

// widest returns the most the generated policies could grant in the same
// places: S3 and Batch Operations trusted without conditions, every action
// in the roles' policies, and every action for the roles added to every
// bucket's and key's policy. What fails even so is beyond the policies.
func widest(s *snapshot.Snapshot, p *Policies) *Policies {
	all := checks.NewIAMPolicy(checks.Statement{Effect: "Allow", Action: []string{"*"}, Resource: []string{"*"}})
	principals := []string{p.Role}
	if p.BatchRole != "" && p.BatchRole != p.Role {
		principals = append(principals, p.BatchRole)
	}
	grant := func(resource string) []checks.Statement {
		return []checks.Statement{{Effect: "Allow", Principal: map[string][]string{"AWS": principals}, Action: []string{"*"}, Resource: []string{resource}}}
	}
	services := []string{s3Service}
	if p.BatchRole == p.Role {
		services = append(services, batchService)
	}
	w := &Policies{Role: p.Role, RoleTrustPolicy: trustPolicy(services, "", "", false), RolePolicy: all, BatchRole: p.BatchRole}
	if p.BatchRole != "" {
		w.BatchRolePolicy = all
		if p.BatchRole != p.Role {
			w.BatchRoleTrustPolicy = trustPolicy([]string{batchService}, "", "", false)
		}
	}
	for _, b := range append([]snapshot.Bucket{s.Source}, s.Destinations...) {
		arn := "arn:aws:s3:::" + b.Name
		w.DestinationBucketPolicies = append(w.DestinationBucketPolicies, ResourceStatements{Bucket: arn, Statements: append(grant(arn), grant(arn+"/*")...)})
	}
	for _, k := range s.KMSKeys {
		w.KeyPolicyStatements = append(w.KeyPolicyStatements, ResourceStatements{Key: k.ARN, Statements: grant("*")})
	}
	return w
}

// statement is the statement a reference locates.
func (r statementRef) statement() *checks.Statement {
	if r.doc != nil {
		return &r.doc.Statement[r.index]
	}
	return &r.res.Statements[r.index]
}
