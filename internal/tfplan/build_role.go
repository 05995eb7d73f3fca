package tfplan

import (
	"slices"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// role builds the facts of an IAM role from aws_iam_role and the
// resources that give it policies.
func (b *builder) role(arn string) snapshot.Role {
	role := snapshot.Role{ARN: arn}
	r := b.findRole(arn)
	if r == nil && b.outside != nil {
		return b.outside.Role(arn)
	}
	if r == nil {
		why := notInPlan("role " + arn)
		role.Exists = snapshot.UnknownFact[bool](why)
		role.TrustPolicy = snapshot.UnknownFact[snapshot.PolicyDocument](why)
		role.InlinePolicies = snapshot.UnknownFact[[]snapshot.NamedPolicy](why)
		role.ManagedPolicies = snapshot.UnknownFact[[]snapshot.NamedPolicy](why)
		role.PermissionsBoundary = snapshot.UnknownFact[snapshot.NamedPolicy](why)
		return role
	}
	o := snapshot.RoleOrigins{Role: r.Address, Policies: map[string]string{}}
	role.Exists = snapshot.KnownFact(true)
	role.ActualARN = arn
	role.TrustPolicy = policyDoc(b.p.Get(r, "assume_role_policy"))
	name, _ := b.p.strOf(r, "name")
	role.InlinePolicies = b.inlinePolicies(r, name, o.Policies)
	role.ManagedPolicies = b.managedPolicies(r, name, o.Policies)
	bv := b.p.Get(r, "permissions_boundary")
	switch s, _ := bv.Str(); {
	case !bv.Known:
		role.PermissionsBoundary = unknownFact[snapshot.NamedPolicy](bv)
	case s == "":
		role.PermissionsBoundary = snapshot.AbsentFact[snapshot.NamedPolicy]()
	default:
		np, addr, why := b.managedPolicy(s)
		if why != nil {
			role.PermissionsBoundary = snapshot.UnknownFact[snapshot.NamedPolicy](why)
		} else {
			role.PermissionsBoundary = snapshot.KnownFact(np)
			o.Policies[s] = addr
		}
	}
	b.origins.Roles[arn] = o
	return role
}

// findRole returns the planned aws_iam_role whose ARN is arn.
func (b *builder) findRole(arn string) *Resource {
	for _, r := range b.p.Resources {
		if r.Mode == "managed" && r.Type == "aws_iam_role" && r.Planned() {
			if s, _ := b.p.strOf(r, "arn"); s == arn {
				return r
			}
		}
	}
	return nil
}

// attached returns the planned resources of typ whose role argument names
// the role.
func (b *builder) attached(typ, roleName string) []*Resource {
	var out []*Resource
	for _, r := range b.p.Resources {
		if r.Mode == "managed" && r.Type == typ && r.Planned() {
			if s, _ := b.p.strOf(r, "role"); s != "" && s == roleName {
				out = append(out, r)
			}
		}
	}
	return out
}

// inlinePolicies: the role's inline_policy blocks and every
// aws_iam_role_policy for it. One document known only after apply makes
// the list Unknown: it could hold a Deny.
func (b *builder) inlinePolicies(r *Resource, roleName string, origins map[string]string) snapshot.Fact[[]snapshot.NamedPolicy] {
	var list []snapshot.NamedPolicy
	n, ok := b.p.count(r, "inline_policy")
	if !ok && !(r.Creates() && (r.Config == nil || !r.Config.Body.Has("inline_policy"))) {
		return unknownFact[[]snapshot.NamedPolicy](pending(r.Address + ".inline_policy"))
	}
	for i := range n {
		name, nv := b.p.strOf(r, "inline_policy", i, "name")
		doc := policyDoc(b.p.Get(r, "inline_policy", i, "policy"))
		if !nv.Known {
			return unknownFact[[]snapshot.NamedPolicy](nv)
		}
		if name == "" && doc.IsAbsent() {
			continue // an empty inline_policy block removes every inline policy
		}
		if doc.IsUnknown() {
			return snapshot.UnknownFact[[]snapshot.NamedPolicy](doc.Error)
		}
		list = append(list, snapshot.NamedPolicy{Name: name, Document: doc.Value})
		origins[name] = r.Address
	}
	for _, rp := range b.attached("aws_iam_role_policy", roleName) {
		name, nv := b.p.strOf(rp, "name")
		if !nv.Known {
			return unknownFact[[]snapshot.NamedPolicy](nv)
		}
		doc := policyDoc(b.p.Get(rp, "policy"))
		if doc.IsUnknown() {
			return snapshot.UnknownFact[[]snapshot.NamedPolicy](doc.Error)
		}
		if !doc.IsKnown() {
			continue
		}
		list = slices.DeleteFunc(list, func(p snapshot.NamedPolicy) bool { return p.Name == name })
		list = append(list, snapshot.NamedPolicy{Name: name, Document: doc.Value})
		origins[name] = rp.Address
	}
	return snapshot.KnownFact(list)
}

// managedPolicies: managed_policy_arns and every
// aws_iam_role_policy_attachment for the role, each with its document
// when the plan declares the policy (aws_iam_policy).
func (b *builder) managedPolicies(r *Resource, roleName string, origins map[string]string) snapshot.Fact[[]snapshot.NamedPolicy] {
	var arns []string
	attachedBy := map[string]string{}
	v := b.p.Get(r, "managed_policy_arns")
	switch {
	case v.Known:
		for _, a := range asSlice(v.V) {
			if s, ok := a.(string); ok {
				arns = append(arns, s)
				attachedBy[s] = r.Address
			}
		}
	case r.Creates() && (r.Config == nil || !r.Config.Body.Has("managed_policy_arns")):
		// a new role has no managed policies but those attached below
	default:
		return unknownFact[[]snapshot.NamedPolicy](v)
	}
	for _, att := range b.attached("aws_iam_role_policy_attachment", roleName) {
		s, sv := b.p.strOf(att, "policy_arn")
		if !sv.Known {
			return unknownFact[[]snapshot.NamedPolicy](sv)
		}
		if !slices.Contains(arns, s) {
			arns = append(arns, s)
		}
		attachedBy[s] = att.Address
	}
	var list []snapshot.NamedPolicy
	for _, arn := range arns {
		np, addr, why := b.managedPolicy(arn)
		if why != nil {
			return snapshot.UnknownFact[[]snapshot.NamedPolicy](why)
		}
		list = append(list, np)
		origins[arn] = addr
		if addr == "" {
			origins[arn] = attachedBy[arn]
		}
	}
	return snapshot.KnownFact(list)
}

// managedPolicy returns the document of the aws_iam_policy whose ARN is
// arn, and its address.
func (b *builder) managedPolicy(arn string) (snapshot.NamedPolicy, string, *snapshot.FactError) {
	for _, r := range b.p.Resources {
		if r.Mode != "managed" || r.Type != "aws_iam_policy" || !r.Planned() {
			continue
		}
		if s, _ := b.p.strOf(r, "arn"); s != arn {
			continue
		}
		doc := policyDoc(b.p.Get(r, "policy"))
		if !doc.IsKnown() {
			why := doc.Error
			if why == nil {
				why = afterApply(r.Address + ".policy")
			}
			return snapshot.NamedPolicy{}, "", why
		}
		return snapshot.NamedPolicy{Name: arn, Document: doc.Value}, r.Address, nil
	}
	if b.outside != nil {
		live := b.outside.Policy(arn)
		if !live.IsKnown() {
			why := live.Error
			if why == nil {
				why = &snapshot.FactError{Operation: "iam:GetPolicy", Code: "NoSuchEntity", Message: "managed policy " + arn + " does not exist"}
			}
			return snapshot.NamedPolicy{}, "", why
		}
		return live.Value, "", nil
	}
	return snapshot.NamedPolicy{}, "", notInPlan("managed policy " + arn)
}

func asSlice(v any) []any {
	a, _ := v.([]any)
	return a
}
