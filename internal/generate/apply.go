package generate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

// Apply returns a copy of the snapshot with the policies in place, as they
// would be once applied: the replication role (and the Batch job role)
// with the trust policy and the one identity policy generated and no
// other (a role that does not exist is created, without a permissions
// boundary); the statements added to the buckets' and keys' policies
// (a bucket without a policy gets one). A policy that could not be read
// stays unread: what it holds is still unknown. Recorded simulator
// decisions about the replaced roles are dropped, since their policies
// changed. With a BatchRole and no Batch job in the snapshot, the job is
// the snapshot's Batch job.
func Apply(s *snapshot.Snapshot, p *Policies) (*snapshot.Snapshot, error) {
	out, err := clone(s)
	if err != nil {
		return nil, err
	}
	replaced := []string{p.Role}
	if p.BatchRole == p.Role {
		replaceRole(out, p.Role, p.RoleTrustPolicy, named(rolePolicyName, p.RolePolicy), named(batchPolicyName, p.BatchRolePolicy))
	} else {
		replaceRole(out, p.Role, p.RoleTrustPolicy, named(rolePolicyName, p.RolePolicy))
		if p.BatchRole != "" {
			replaceRole(out, p.BatchRole, p.BatchRoleTrustPolicy, named(batchPolicyName, p.BatchRolePolicy))
			replaced = append(replaced, p.BatchRole)
		}
	}
	if p.BatchRole != "" && out.Batch == nil {
		out.Batch = &snapshot.BatchJob{RoleARN: p.BatchRole}
		if out.Source.Region.IsKnown() {
			out.Batch.Region = out.Source.Region.Value
		}
	}
	out.Simulations = slices.DeleteFunc(out.Simulations, func(sim snapshot.Simulation) bool { return slices.Contains(replaced, sim.Principal) })
	for _, rs := range p.resourceStatements() {
		fact := policyFact(out, rs.target())
		if fact == nil {
			continue
		}
		if err := addStatements(fact, rs.Statements); err != nil {
			return nil, fmt.Errorf("policy of %s: %w", rs.target(), err)
		}
	}
	return out, nil
}

// resourceStatements lists the statements for bucket and key policies.
func (p *Policies) resourceStatements() []*ResourceStatements {
	var out []*ResourceStatements
	if p.SourceBucketPolicy != nil {
		out = append(out, p.SourceBucketPolicy)
	}
	for i := range p.DestinationBucketPolicies {
		out = append(out, &p.DestinationBucketPolicies[i])
	}
	for i := range p.KeyPolicyStatements {
		out = append(out, &p.KeyPolicyStatements[i])
	}
	return out
}

// clone copies a snapshot deeply.
func clone(s *snapshot.Snapshot) (*snapshot.Snapshot, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var out snapshot.Snapshot
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// named is an inline policy, or nothing for a nil policy.
func named(name string, doc *checks.IAMPolicy) []snapshot.NamedPolicy {
	if doc == nil {
		return nil
	}
	data, _ := json.Marshal(doc) // statements always marshal
	return []snapshot.NamedPolicy{{Name: name, Document: data}}
}

// replaceRole gives a role the trust policy and inline policies, and no
// other identity policy.
func replaceRole(s *snapshot.Snapshot, roleARN string, trust *checks.IAMPolicy, inline ...[]snapshot.NamedPolicy) {
	i := slices.IndexFunc(s.Roles, func(r snapshot.Role) bool { return r.ARN == roleARN })
	if i < 0 {
		// What was not read stays unknown: the role may exist, with a
		// boundary.
		why := &snapshot.FactError{Operation: "iam:GetRole", Code: "NotGathered", Message: "the snapshot has no facts for " + roleARN}
		s.Roles = append(s.Roles, snapshot.Role{ARN: roleARN, Exists: snapshot.UnknownFact[bool](why),
			PermissionsBoundary: snapshot.UnknownFact[snapshot.NamedPolicy](why)})
		i = len(s.Roles) - 1
	}
	r := &s.Roles[i]
	if r.Exists.IsKnown() && !r.Exists.Value {
		r.Exists, r.ActualARN = snapshot.KnownFact(true), ""
		r.PermissionsBoundary = snapshot.AbsentFact[snapshot.NamedPolicy]()
	}
	if trust != nil {
		data, _ := json.Marshal(trust) // statements always marshal
		r.TrustPolicy = snapshot.KnownFact[snapshot.PolicyDocument](data)
	}
	var policies []snapshot.NamedPolicy
	for _, p := range inline {
		policies = append(policies, p...)
	}
	r.InlinePolicies = snapshot.KnownFact(policies)
	r.ManagedPolicies = snapshot.KnownFact([]snapshot.NamedPolicy{})
}

// policyFact finds the policy of a bucket or key by ARN, or nil.
func policyFact(s *snapshot.Snapshot, target string) *snapshot.Fact[snapshot.PolicyDocument] {
	if name, ok := snapshot.BucketFromARN(target); ok {
		if s.Source.Name == name {
			return &s.Source.Policy
		}
		for i := range s.Destinations {
			if s.Destinations[i].Name == name {
				return &s.Destinations[i].Policy
			}
		}
		return nil
	}
	for i := range s.KMSKeys {
		if s.KMSKeys[i].ARN == target {
			return &s.KMSKeys[i].Policy
		}
	}
	return nil
}

// addStatements appends statements to a policy, or makes them its policy
// when it has none. An unread policy stays unread.
func addStatements(f *snapshot.Fact[snapshot.PolicyDocument], stmts []checks.Statement) error {
	switch {
	case len(stmts) == 0 || f.IsUnknown():
		return nil
	case f.IsAbsent():
		data, _ := json.Marshal(checks.NewIAMPolicy(stmts...)) // statements always marshal
		*f = snapshot.KnownFact[snapshot.PolicyDocument](data)
		return nil
	}
	merged, err := withStatements(f.Value, stmts)
	if err != nil {
		return err
	}
	f.Value = merged
	return nil
}

// withStatements returns a policy document with statements appended, its
// other elements as they were.
func withStatements(doc snapshot.PolicyDocument, stmts []checks.Statement) (snapshot.PolicyDocument, error) {
	obj, err := policy.ObjectJSON(doc)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	var list []any
	switch v := m["Statement"].(type) {
	case []any:
		list = v
	case nil:
	default:
		list = []any{v}
	}
	for _, st := range stmts {
		list = append(list, st)
	}
	m["Statement"] = list
	return json.Marshal(m)
}
