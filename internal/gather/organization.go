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
// may read.
func (r *run) orgAccount(account string) snapshot.Account {
	return once(r, "org:"+account, func() snapshot.Account {
		a := snapshot.Account{ID: account}
		s := r.sideFor(account)
		if s == nil {
			why := noCredentials("organizations:DescribeOrganization", account)
			a.SCPs, a.RCPs = snapshot.UnknownFact[[][]snapshot.NamedPolicy](why), snapshot.UnknownFact[[][]snapshot.NamedPolicy](why)
			return a
		}
		c := s.Organizations()
		org, err := call(r, "organizations:DescribeOrganization", func(ctx context.Context) (*organizations.DescribeOrganizationOutput, error) {
			return c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		})
		var notInUse *types.AWSOrganizationsNotInUseException
		switch {
		case errors.As(err, &notInUse) || errorCode(err) == "AWSOrganizationsNotInUseException":
			a.SCPs, a.RCPs = snapshot.AbsentFact[[][]snapshot.NamedPolicy](), snapshot.AbsentFact[[][]snapshot.NamedPolicy]()
			return a
		case err != nil:
			why := factError("organizations:DescribeOrganization", "organizations:DescribeOrganization", err)
			a.SCPs, a.RCPs = snapshot.UnknownFact[[][]snapshot.NamedPolicy](why), snapshot.UnknownFact[[][]snapshot.NamedPolicy](why)
			return a
		case org.Organization != nil && deref(org.Organization.MasterAccountId) == account:
			// Neither SCPs nor RCPs restrict the management account.
			a.SCPs, a.RCPs = snapshot.AbsentFact[[][]snapshot.NamedPolicy](), snapshot.AbsentFact[[][]snapshot.NamedPolicy]()
			return a
		}
		targets, err := r.orgTargets(c, account)
		if err != nil {
			why := factError("organizations:ListParents", "organizations:ListParents", err)
			a.SCPs, a.RCPs = snapshot.UnknownFact[[][]snapshot.NamedPolicy](why), snapshot.UnknownFact[[][]snapshot.NamedPolicy](why)
			return a
		}
		parallel(
			func() { a.SCPs = r.orgPolicies(c, targets, types.PolicyTypeServiceControlPolicy) },
			func() { a.RCPs = r.orgPolicies(c, targets, types.PolicyTypeResourceControlPolicy) },
		)
		return a
	})
}

// orgTargets lists the account's ancestors, root first, then the account.
func (r *run) orgTargets(c *organizations.Client, account string) ([]string, error) {
	chain := []string{account}
	id := account
	for range 8 { // root, at most five OU levels, the account
		out, err := call(r, "organizations:ListParents", func(ctx context.Context) (*organizations.ListParentsOutput, error) {
			return c.ListParents(ctx, &organizations.ListParentsInput{ChildId: &id})
		})
		if err != nil {
			return nil, err
		}
		if len(out.Parents) == 0 {
			break
		}
		id = deref(out.Parents[0].Id)
		chain = append([]string{id}, chain...)
		if out.Parents[0].Type == types.ParentTypeRoot {
			break
		}
	}
	return chain, nil
}

// orgPolicies reads the policies of one type attached at each level.
func (r *run) orgPolicies(c *organizations.Client, targets []string, kind types.PolicyType) snapshot.Fact[[][]snapshot.NamedPolicy] {
	levels := make([][]snapshot.NamedPolicy, len(targets))
	for i, target := range targets {
		out, err := call(r, "organizations:ListPoliciesForTarget", func(ctx context.Context) (*organizations.ListPoliciesForTargetOutput, error) {
			return c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: &target, Filter: kind})
		})
		if err != nil {
			return snapshot.UnknownFact[[][]snapshot.NamedPolicy](factError("organizations:ListPoliciesForTarget", "organizations:ListPoliciesForTarget", err))
		}
		for _, p := range out.Policies {
			d, err := call(r, "organizations:DescribePolicy", func(ctx context.Context) (*organizations.DescribePolicyOutput, error) {
				return c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: p.Id})
			})
			if err != nil {
				return snapshot.UnknownFact[[][]snapshot.NamedPolicy](factError("organizations:DescribePolicy", "organizations:DescribePolicy", err))
			}
			f := policyFact("organizations:DescribePolicy", deref(d.Policy.Content))
			if !f.IsKnown() {
				return snapshot.UnknownFact[[][]snapshot.NamedPolicy](f.Error)
			}
			levels[i] = append(levels[i], snapshot.NamedPolicy{Name: deref(p.Name), Document: f.Value})
		}
	}
	return snapshot.KnownFact(levels)
}
