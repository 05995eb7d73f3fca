package tfplan

import (
	"regexp"
	"strings"

	"github.com/replcheck/replcheck/internal/arn"
)

// derive computes attributes that the AWS provider sets from values the
// plan knows, the way the provider does; ok is false for attributes it
// does not derive.
func (p *Plan) derive(r *Resource, path []any, hops int) (Value, bool) {
	if len(path) != 1 {
		return Value{}, false
	}
	attr, _ := path[0].(string)
	str := func(name string) Value { return p.get(r, []any{name}, hops+1) }
	switch r.Type + "." + attr {
	case "aws_s3_bucket.id":
		return str("bucket"), true
	case "aws_s3_bucket.arn":
		return p.join(r, hops, func(vals ...string) string { return "arn:" + partition(vals[0]) + ":s3:::" + vals[1] }, p.region(r, hops+1), str("bucket")), true
	case "aws_s3_bucket.region":
		return p.region(r, hops+1), true
	case "aws_iam_role.id", "aws_iam_role.name":
		return str("name"), true
	case "aws_iam_role.arn":
		return p.iamARN(r, "role", hops), true
	case "aws_iam_policy.arn", "aws_iam_policy.id":
		return p.iamARN(r, "policy", hops), true
	case "aws_kms_alias.arn":
		return p.join(r, hops, func(vals ...string) string {
			return "arn:" + partition(vals[0]) + ":kms:" + vals[0] + ":" + vals[1] + ":" + vals[2]
		}, p.region(r, hops+1), p.account(r, hops+1), str("name")), true
	case "aws_kms_alias.target_key_arn":
		return str("target_key_id"), true
	case "aws_s3_bucket_versioning.id", "aws_s3_bucket_policy.id", "aws_s3_bucket_ownership_controls.id",
		"aws_s3_bucket_server_side_encryption_configuration.id", "aws_s3_bucket_object_lock_configuration.id",
		"aws_s3_bucket_replication_configuration.id":
		return str("bucket"), true
	case "aws_caller_identity.account_id", "aws_caller_identity.id":
		return Value{}, false
	}
	return Value{}, false
}

// iamARN derives an IAM role or policy ARN from the provider's account
// and the resource's path and name.
func (p *Plan) iamARN(r *Resource, kind string, hops int) Value {
	path := p.get(r, []any{"path"}, hops+1)
	if path.Known && path.V == nil {
		path = known("/")
	}
	return p.join(r, hops, func(vals ...string) string {
		return "arn:" + partition(vals[0]) + ":iam::" + vals[1] + ":" + kind + vals[2] + vals[3]
	}, p.region(r, hops+1), p.account(r, hops+1), path, p.get(r, []any{"name"}, hops+1))
}

// join builds a string from known string values; the first pending one
// makes the result pending.
func (p *Plan) join(r *Resource, _ int, build func(...string) string, vals ...Value) Value {
	strs := make([]string, len(vals))
	for i, v := range vals {
		s, ok := v.Str()
		if !ok {
			if v.Pending != "" {
				return v
			}
			return pending(r.Address)
		}
		strs[i] = s
	}
	return known(build(strs...))
}

// partition is the ARN partition of a Region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// provider returns a resource's provider configuration, or nil.
func (p *Plan) provider(r *Resource) *Provider {
	if r.Config == nil {
		return nil
	}
	return p.Providers[r.Config.ProviderKey]
}

// Region is the Region of a resource's provider configuration.
func (p *Plan) Region(r *Resource) Value {
	p.steps = 0
	return p.region(r, 0)
}

// Account is the account a resource's provider configuration acts in:
// the account data.aws_caller_identity read through it, else the account
// of the role it assumes, else its only allowed account.
func (p *Plan) Account(r *Resource) Value {
	p.steps = 0
	return p.account(r, 0)
}

func (p *Plan) region(r *Resource, hops int) Value {
	if hops > maxHops {
		return pending("the Region of " + r.Address + "'s provider")
	}
	pr := p.provider(r)
	if pr == nil {
		return pending("the Region of " + r.Address + "'s provider")
	}
	e, ok := pr.Body.Expr("region")
	if !ok {
		return pending("the Region of provider " + pr.Key + " (set by the environment, not in the plan)")
	}
	v := p.expr(e, pr.Module, "provider "+pr.Key+" region", kRegion, hops+1)
	if s, ok := v.Str(); !ok || s == "" {
		return pending("the Region of provider " + pr.Key)
	}
	return v
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

func (p *Plan) account(r *Resource, hops int) Value {
	if hops > maxHops {
		return pending("the account of " + r.Address + "'s provider")
	}
	pr := p.provider(r)
	if pr == nil {
		return pending("the account of " + r.Address + "'s provider")
	}
	for _, other := range p.Resources {
		if other.Mode != "data" || other.Type != "aws_caller_identity" || other.Config == nil || other.Config.ProviderKey != pr.Key {
			continue
		}
		if v := p.get(other, []any{"account_id"}, hops+1); v.Known {
			if s, _ := v.Str(); accountID.MatchString(s) {
				return v
			}
		}
	}
	if e, ok := pr.Body.Expr("assume_role", 0, "role_arn"); ok {
		if role, ok := p.expr(e, pr.Module, "", kRoleARN, hops+1).Str(); ok {
			if a := arn.Account(role); accountID.MatchString(a) {
				return known(a)
			}
		}
	}
	if e, ok := pr.Body.Expr("allowed_account_ids"); ok {
		if v := p.expr(e, pr.Module, "", "", hops+1); v.Known {
			if ids, ok := v.V.([]any); ok && len(ids) == 1 {
				if s, _ := ids[0].(string); accountID.MatchString(s) {
					return known(s)
				}
			}
		}
	}
	return pending("the account of provider " + pr.Key + " (add data \"aws_caller_identity\" for it)")
}
