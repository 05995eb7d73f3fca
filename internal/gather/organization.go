package gather

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// orgAccount reads the SCPs and RCPs that apply in an account: none
// (Absent) when the account is in no organization or is its management
// account; otherwise each level's policies, from the root down to the
// account, which only the management account or a delegated administrator
// may read. When the base credentials are the organization's management
// account they read the structure for every account, so that the policies
// of the root and of an OU shared by many accounts are read once.
func (r *run) orgAccount(account string) snapshot.Account {
	return once(r, "org/"+account, func() snapshot.Account {
		a := snapshot.Account{ID: account}
		unknown := func(why *snapshot.FactError) snapshot.Account {
			a.SCPs, a.RCPs = snapshot.UnknownFact[[][]snapshot.NamedPolicy](why), snapshot.UnknownFact[[][]snapshot.NamedPolicy](why)
			return a
		}
		absent := func() snapshot.Account {
			a.SCPs, a.RCPs = snapshot.AbsentFact[[][]snapshot.NamedPolicy](), snapshot.AbsentFact[[][]snapshot.NamedPolicy]()
			return a
		}
		s := r.identityFor(account)
		if s == nil {
			return unknown(r.noCredentials("organizations:DescribeOrganization", account))
		}
		org, err := r.describeOrganization(s)
		var notInUse *types.AWSOrganizationsNotInUseException
		switch {
		case errors.As(err, &notInUse) || errorCode(err) == "AWSOrganizationsNotInUseException":
			return absent()
		case err != nil:
			return unknown(factError("organizations:DescribeOrganization", "organizations:DescribeOrganization", err))
		case org.Organization != nil && deref(org.Organization.MasterAccountId) == account:
			return absent() // neither SCPs nor RCPs restrict the management account
		}
		reader := r.orgReader(s, org)
		targets, err := r.orgTargets(reader, account)
		if err != nil {
			return unknown(factError("organizations:ListParents", "organizations:ListParents", err))
		}
		parallel(
			func() { a.SCPs = r.orgPolicies(reader, targets, types.PolicyTypeServiceControlPolicy) },
			func() { a.RCPs = r.orgPolicies(reader, targets, types.PolicyTypeResourceControlPolicy) },
		)
		return a
	})
}

// describeOrganization is organizations:DescribeOrganization with the
// credentials s, once per run.
func (r *run) describeOrganization(s *identity) (*organizations.DescribeOrganizationOutput, error) {
	type answer struct {
		out *organizations.DescribeOrganizationOutput
		err error
	}
	a := once(r, "organization/"+s.label, func() answer {
		out, err := call(r, "organizations:DescribeOrganization", func(ctx context.Context) (*organizations.DescribeOrganizationOutput, error) {
			return s.Organizations().DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		})
		return answer{out, err}
	})
	return a.out, a.err
}

// orgReader picks the credentials that read an organization's structure
// and policies: the base credentials when they are its management account
// (and s is not already theirs), else s.
func (r *run) orgReader(s *identity, org *organizations.DescribeOrganizationOutput) *identity {
	if s == r.base || org.Organization == nil {
		return s
	}
	base, err := r.describeOrganization(r.base)
	acct := r.account(r.base)
	if err == nil && base.Organization != nil && deref(base.Organization.Id) == deref(org.Organization.Id) &&
		acct.IsKnown() && deref(base.Organization.MasterAccountId) == acct.Value {
		return r.base
	}
	return s
}

// orgTargets lists the account's ancestors, root first, then the account.
func (r *run) orgTargets(s *identity, account string) ([]string, error) {
	type answer struct {
		chain []string
		err   error
	}
	a := once(r, "parents/"+s.label+"/"+account, func() answer {
		chain := []string{account}
		id := account
		for range 8 { // root, at most five OU levels, the account
			parent, root, err := r.parent(s, id)
			if err != nil {
				return answer{nil, err}
			}
			if parent == "" {
				break
			}
			id = parent
			chain = append([]string{id}, chain...)
			if root {
				break
			}
		}
		return answer{chain, nil}
	})
	return a.chain, a.err
}

// parent is a child's parent in the organization (once per child: OUs are
// shared by many accounts), and whether it is the root.
func (r *run) parent(s *identity, child string) (string, bool, error) {
	type answer struct {
		parent string
		root   bool
		err    error
	}
	a := once(r, "parent/"+s.label+"/"+child, func() answer {
		out, err := call(r, "organizations:ListParents", func(ctx context.Context) (*organizations.ListParentsOutput, error) {
			return s.Organizations().ListParents(ctx, &organizations.ListParentsInput{ChildId: &child})
		})
		if err != nil {
			return answer{err: err}
		}
		if len(out.Parents) == 0 {
			return answer{}
		}
		return answer{parent: deref(out.Parents[0].Id), root: out.Parents[0].Type == types.ParentTypeRoot}
	})
	return a.parent, a.root, a.err
}

// orgPolicies reads the policies of one type attached at each level.
func (r *run) orgPolicies(s *identity, targets []string, kind types.PolicyType) snapshot.Fact[[][]snapshot.NamedPolicy] {
	levels := make([][]snapshot.NamedPolicy, len(targets))
	for i, target := range targets {
		level := r.levelPolicies(s, target, kind)
		if !level.IsKnown() {
			return snapshot.UnknownFact[[][]snapshot.NamedPolicy](level.Error)
		}
		levels[i] = level.Value
	}
	return snapshot.KnownFact(levels)
}

// levelPolicies reads the policies of one type attached to one target
// (root, OU or account), once per run.
func (r *run) levelPolicies(s *identity, target string, kind types.PolicyType) snapshot.Fact[[]snapshot.NamedPolicy] {
	return once(r, "orgpolicies/"+s.label+"/"+target+"/"+string(kind), func() snapshot.Fact[[]snapshot.NamedPolicy] {
		out, err := call(r, "organizations:ListPoliciesForTarget", func(ctx context.Context) (*organizations.ListPoliciesForTargetOutput, error) {
			return s.Organizations().ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: &target, Filter: kind})
		})
		if err != nil {
			return snapshot.UnknownFact[[]snapshot.NamedPolicy](factError("organizations:ListPoliciesForTarget", "organizations:ListPoliciesForTarget", err))
		}
		var level []snapshot.NamedPolicy
		for _, p := range out.Policies {
			f := r.orgPolicy(s, deref(p.Id))
			if !f.IsKnown() {
				return snapshot.UnknownFact[[]snapshot.NamedPolicy](f.Error)
			}
			level = append(level, snapshot.NamedPolicy{Name: deref(p.Name), Document: f.Value})
		}
		return snapshot.KnownFact(level)
	})
}

// orgPolicy reads one SCP or RCP document, once per run.
func (r *run) orgPolicy(s *identity, id string) snapshot.Fact[snapshot.PolicyDocument] {
	return once(r, "orgpolicy/"+s.label+"/"+id, func() snapshot.Fact[snapshot.PolicyDocument] {
		d, err := call(r, "organizations:DescribePolicy", func(ctx context.Context) (*organizations.DescribePolicyOutput, error) {
			return s.Organizations().DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: &id})
		})
		if err != nil {
			return snapshot.UnknownFact[snapshot.PolicyDocument](factError("organizations:DescribePolicy", "organizations:DescribePolicy", err))
		}
		return policyFact("organizations:DescribePolicy", deref(d.Policy.Content))
	})
}
