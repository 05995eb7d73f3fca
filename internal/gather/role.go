package gather

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// role reads an IAM role: existence, trust policy, inline and managed
// policies (each managed policy's default version), and its permissions
// boundary. It starts with the credentials that most likely belong to the
// role's account while sts:GetCallerIdentity confirms them (one round trip
// less on the longest path), and starts over with the right ones in the
// rare case they do not.
func (r *run) role(roleARN string) snapshot.Role {
	return once(r, "role/"+roleARN, func() snapshot.Role {
		account := arn.Account(roleARN)
		if guess := r.likelyIdentity(account); guess != nil {
			var role snapshot.Role
			var confirmed *identity
			parallel(func() { role = r.readRole(guess, roleARN) }, func() { confirmed = r.identityFor(account) })
			if confirmed == guess {
				return role
			}
		}
		if s := r.identityFor(account); s != nil {
			return r.readRole(s, roleARN)
		}
		why := r.noCredentials("iam:GetRole", account)
		return snapshot.Role{ARN: roleARN,
			Exists:              snapshot.UnknownFact[bool](why),
			TrustPolicy:         snapshot.UnknownFact[snapshot.PolicyDocument](why),
			InlinePolicies:      snapshot.UnknownFact[[]snapshot.NamedPolicy](why),
			ManagedPolicies:     snapshot.UnknownFact[[]snapshot.NamedPolicy](why),
			PermissionsBoundary: snapshot.UnknownFact[snapshot.NamedPolicy](why),
		}
	})
}

// likelyIdentity returns, without waiting for any call, the identity that
// most likely reads account: one known to belong to it, else the base
// credentials while their account is not known yet (a replication role
// lives in the source bucket's account, which is usually theirs), or nil.
func (r *run) likelyIdentity(account string) *identity {
	for _, id := range r.fixed {
		if id.knownAccount() == account {
			return id
		}
	}
	r.mu.Lock()
	id := r.assumed[account]
	r.mu.Unlock()
	if id != nil {
		return id
	}
	if a, done := peek[snapshot.Fact[string]](r, "account/"+r.base.label); done && (!a.IsKnown() || a.Value != account) {
		return nil
	}
	return r.base
}

// readRole reads a role with the credentials s.
func (r *run) readRole(s *identity, arn string) snapshot.Role {
	role := snapshot.Role{ARN: arn}
	name := arn[strings.LastIndexByte(arn, '/')+1:]
	c := s.IAM()
	// The policy lists need only the role's name: they are read with
	// GetRole, not after it (one round trip less on the longest path).
	var out *iam.GetRoleOutput
	var err error
	parallel(
		func() {
			out, err = call(r, "iam:GetRole", func(ctx context.Context) (*iam.GetRoleOutput, error) {
				return c.GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
			})
			if err == nil {
				role.PermissionsBoundary = snapshot.AbsentFact[snapshot.NamedPolicy]()
				if b := out.Role.PermissionsBoundary; b != nil && b.PermissionsBoundaryArn != nil {
					role.PermissionsBoundary = r.managedPolicy(s, *b.PermissionsBoundaryArn)
				}
			}
		},
		func() { role.InlinePolicies = r.inlinePolicies(s, name) },
		func() { role.ManagedPolicies = r.attachedPolicies(s, name) },
	)
	switch {
	case err != nil && isNotFound(err):
		role.Exists = snapshot.KnownFact(false)
		role.TrustPolicy = snapshot.AbsentFact[snapshot.PolicyDocument]()
		role.InlinePolicies = snapshot.AbsentFact[[]snapshot.NamedPolicy]()
		role.ManagedPolicies = snapshot.AbsentFact[[]snapshot.NamedPolicy]()
		role.PermissionsBoundary = snapshot.AbsentFact[snapshot.NamedPolicy]()
	case err != nil:
		why := factError("iam:GetRole", "iam:GetRole", err)
		role.Exists = snapshot.UnknownFact[bool](why)
		role.TrustPolicy = snapshot.UnknownFact[snapshot.PolicyDocument](why)
		role.PermissionsBoundary = snapshot.UnknownFact[snapshot.NamedPolicy](why)
	default:
		role.Exists = snapshot.KnownFact(true)
		role.ActualARN = deref(out.Role.Arn)
		role.TrustPolicy = policyFact("iam:GetRole", deref(out.Role.AssumeRolePolicyDocument))
	}
	return role
}

func (r *run) inlinePolicies(s *identity, role string) snapshot.Fact[[]snapshot.NamedPolicy] {
	var names []string
	p := iam.NewListRolePoliciesPaginator(s.IAM(), &iam.ListRolePoliciesInput{RoleName: &role})
	for p.HasMorePages() {
		out, err := call(r, "iam:ListRolePolicies", func(ctx context.Context) (*iam.ListRolePoliciesOutput, error) { return p.NextPage(ctx) })
		if err != nil {
			return snapshot.UnknownFact[[]snapshot.NamedPolicy](factError("iam:ListRolePolicies", "iam:ListRolePolicies", err))
		}
		names = append(names, out.PolicyNames...)
	}
	docs := make([]snapshot.NamedPolicy, len(names))
	var mu sync.Mutex
	var failed *snapshot.FactError
	fs := make([]func(), len(names))
	for i, name := range names {
		fs[i] = func() {
			out, err := call(r, "iam:GetRolePolicy", func(ctx context.Context) (*iam.GetRolePolicyOutput, error) {
				return s.IAM().GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &role, PolicyName: &name})
			})
			f := snapshot.Fact[snapshot.PolicyDocument]{}
			if err == nil {
				f = policyFact("iam:GetRolePolicy", deref(out.PolicyDocument))
			} else {
				f = snapshot.UnknownFact[snapshot.PolicyDocument](factError("iam:GetRolePolicy", "iam:GetRolePolicy", err))
			}
			mu.Lock()
			defer mu.Unlock()
			if f.IsUnknown() {
				failed = f.Error
				return
			}
			docs[i] = snapshot.NamedPolicy{Name: name, Document: f.Value}
		}
	}
	parallel(fs...)
	if failed != nil {
		return snapshot.UnknownFact[[]snapshot.NamedPolicy](failed)
	}
	return snapshot.KnownFact(docs)
}

func (r *run) attachedPolicies(s *identity, role string) snapshot.Fact[[]snapshot.NamedPolicy] {
	var attached []types.AttachedPolicy
	p := iam.NewListAttachedRolePoliciesPaginator(s.IAM(), &iam.ListAttachedRolePoliciesInput{RoleName: &role})
	for p.HasMorePages() {
		out, err := call(r, "iam:ListAttachedRolePolicies", func(ctx context.Context) (*iam.ListAttachedRolePoliciesOutput, error) { return p.NextPage(ctx) })
		if err != nil {
			return snapshot.UnknownFact[[]snapshot.NamedPolicy](factError("iam:ListAttachedRolePolicies", "iam:ListAttachedRolePolicies", err))
		}
		attached = append(attached, out.AttachedPolicies...)
	}
	docs := make([]snapshot.Fact[snapshot.NamedPolicy], len(attached))
	fs := make([]func(), len(attached))
	for i, a := range attached {
		fs[i] = func() { docs[i] = r.managedPolicy(s, deref(a.PolicyArn)) }
	}
	parallel(fs...)
	out := make([]snapshot.NamedPolicy, 0, len(docs))
	for _, d := range docs {
		if !d.IsKnown() {
			return snapshot.UnknownFact[[]snapshot.NamedPolicy](d.Error)
		}
		out = append(out, d.Value)
	}
	return snapshot.KnownFact(out)
}

// managedPolicy reads a managed policy's default version, once per ARN
// and account.
func (r *run) managedPolicy(s *identity, policyARN string) snapshot.Fact[snapshot.NamedPolicy] {
	key := "policy/" + s.label + "/" + policyARN
	if arn.Account(policyARN) == "aws" {
		key = "policy/" + policyARN // AWS managed policies are the same in every account
	}
	return once(r, key, func() snapshot.Fact[snapshot.NamedPolicy] {
		pol, err := call(r, "iam:GetPolicy", func(ctx context.Context) (*iam.GetPolicyOutput, error) {
			return s.IAM().GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &policyARN})
		})
		if err != nil {
			return snapshot.UnknownFact[snapshot.NamedPolicy](factError("iam:GetPolicy", "iam:GetPolicy", err))
		}
		version := deref(pol.Policy.DefaultVersionId)
		out, err := call(r, "iam:GetPolicyVersion", func(ctx context.Context) (*iam.GetPolicyVersionOutput, error) {
			return s.IAM().GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &policyARN, VersionId: &version})
		})
		if err != nil {
			return snapshot.UnknownFact[snapshot.NamedPolicy](factError("iam:GetPolicyVersion", "iam:GetPolicyVersion", err))
		}
		doc := deref(out.PolicyVersion.Document)
		if strings.HasPrefix(doc, "%") {
			if d, err := url.PathUnescape(doc); err == nil {
				doc = d
			}
		}
		f := policyFact("iam:GetPolicyVersion", doc)
		if !f.IsKnown() {
			return snapshot.UnknownFact[snapshot.NamedPolicy](f.Error)
		}
		return snapshot.KnownFact(snapshot.NamedPolicy{Name: policyARN, Document: f.Value})
	})
}
