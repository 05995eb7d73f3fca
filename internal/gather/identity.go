package gather

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// account returns the account of a side's credentials
// (sts:GetCallerIdentity).
func (r *run) account(s *side) snapshot.Fact[string] {
	return once(r, "account:"+s.name, func() snapshot.Fact[string] {
		return read(r, "sts:GetCallerIdentity", "sts:GetCallerIdentity",
			func(ctx context.Context) (*sts.GetCallerIdentityOutput, error) {
				return s.STS().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			},
			func(o *sts.GetCallerIdentityOutput) snapshot.Fact[string] {
				return snapshot.KnownFact(deref(o.Account))
			})
	})
}

// bucketNames lists the buckets a side's account owns (s3:ListBuckets),
// which is how replcheck learns a bucket's owner.
func (r *run) bucketNames(s *side) snapshot.Fact[map[string]bool] {
	return once(r, "buckets:"+s.name, func() snapshot.Fact[map[string]bool] {
		names := map[string]bool{}
		p := s3.NewListBucketsPaginator(s.S3(s.cfg.Region), &s3.ListBucketsInput{})
		for p.HasMorePages() {
			out, err := call(r, "s3:ListBuckets", func(ctx context.Context) (*s3.ListBucketsOutput, error) { return p.NextPage(ctx) })
			if err != nil {
				return snapshot.UnknownFact[map[string]bool](factError("s3:ListBuckets", "s3:ListAllMyBuckets", err))
			}
			for _, b := range out.Buckets {
				names[deref(b.Name)] = true
			}
		}
		return snapshot.KnownFact(names)
	})
}

// sides returns the sides with credentials, source first.
func (r *run) sides() []*side {
	if r.dst != nil {
		return []*side{r.src, r.dst}
	}
	return []*side{r.src}
}

// owner finds the account that owns a bucket: the account of whichever
// credentials list it among their buckets.
func (r *run) owner(name string) snapshot.Fact[string] {
	return once(r, "owner:"+name, func() snapshot.Fact[string] {
		var why *snapshot.FactError
		for _, s := range r.sides() {
			var names snapshot.Fact[map[string]bool]
			var acct snapshot.Fact[string]
			parallel(func() { names = r.bucketNames(s) }, func() { acct = r.account(s) })
			switch {
			case names.IsKnown() && names.Value[name] && acct.IsKnown():
				return snapshot.KnownFact(acct.Value)
			case names.IsUnknown():
				why = names.Error
			case acct.IsUnknown():
				why = acct.Error
			}
		}
		if why == nil {
			why = &snapshot.FactError{Operation: "s3:ListBuckets", Code: "NoCredentials",
				Message:    "no credentials given can see the owner of " + name,
				Permission: "credentials for the bucket's account (--destination-profile or --destination-role)"}
		}
		return snapshot.UnknownFact[string](why)
	})
}

// sideFor returns the side whose credentials belong to account, or nil.
func (r *run) sideFor(account string) *side {
	for _, s := range r.sides() {
		if a := r.account(s); a.IsKnown() && a.Value == account {
			return s
		}
	}
	return nil
}

// noCredentials is the error of a fact in an account replcheck has no
// credentials for.
func noCredentials(op, account string) *snapshot.FactError {
	return &snapshot.FactError{Operation: op, Code: "NoCredentials",
		Message:    "no credentials for account " + account,
		Permission: "credentials for account " + account + " (--destination-profile or --destination-role)"}
}
