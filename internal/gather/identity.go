package gather

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// This file decides which credentials read each account. An identity's
// account is known from its role ARN (an assumed role) or from
// sts:GetCallerIdentity (the base credentials, a profile); each account is
// read with the first identity that belongs to it, else, when a role name
// is given for every account (audits), with that role assumed from the
// base credentials, once per account per run. An account for which none
// works is read with no credentials at all: its facts are Unknown.

// account returns the account of an identity's credentials.
func (r *run) account(id *identity) snapshot.Fact[string] {
	if a := id.knownAccount(); a != "" {
		return snapshot.KnownFact(a)
	}
	return once(r, "account/"+id.label, func() snapshot.Fact[string] {
		return read(r, "sts:GetCallerIdentity", "sts:GetCallerIdentity",
			func(ctx context.Context) (*sts.GetCallerIdentityOutput, error) {
				return id.STS().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			},
			func(o *sts.GetCallerIdentityOutput) snapshot.Fact[string] {
				return snapshot.KnownFact(deref(o.Account))
			})
	})
}

// credentials fetches an identity's credentials once: for an assumed role,
// that is its sts:AssumeRole. It returns why they could not be had.
func (r *run) credentials(id *identity) *snapshot.FactError {
	return once(r, "credentials/"+id.label, func() *snapshot.FactError {
		if id.roleARN == "" {
			return nil // the base credentials are checked before the run starts
		}
		_, err := call(r, "sts:AssumeRole", func(ctx context.Context) (aws.Credentials, error) {
			return id.cfg.Credentials.Retrieve(ctx)
		})
		if err == nil {
			return nil
		}
		why := factError("sts:AssumeRole", "sts:AssumeRole", err)
		why.Message = "cannot assume " + id.roleARN + ": " + why.Message
		if why.Permission != "" {
			why.Permission = "sts:AssumeRole on " + id.roleARN + ", which its trust policy must allow to the base credentials"
		}
		return why
	})
}

// identityFor returns the identity that reads account, or nil when no
// credentials can.
func (r *run) identityFor(account string) *identity {
	if account == "" {
		return nil
	}
	return once(r, "identity/"+account, func() *identity {
		// Assumed roles first: their account is known without a call.
		for _, id := range r.fixed {
			if id.knownAccount() == account && r.credentials(id) == nil {
				return id
			}
		}
		for _, id := range r.chained() {
			if a := r.account(id); id.knownAccount() == "" && a.IsKnown() && a.Value == account {
				return id
			}
		}
		if r.roleName != "" {
			if id := r.assumedIn(account); r.credentials(id) == nil {
				return id
			}
		}
		return nil
	})
}

// chained are the identities given (base first), not assumed.
func (r *run) chained() []*identity {
	return append([]*identity{r.base}, r.fixed...)
}

// assumedIn is the session of the run's role name in account, created
// once (its credentials are fetched on first use).
func (r *run) assumedIn(account string) *identity {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.assumed[account]
	if !ok {
		id = assume(r.base, roleIn(account, r.roleName), r.access, r.rec, r.lim)
		r.assumed[account] = id
	}
	return id
}

// noCredentials is the error of a fact in an account replcheck has no
// credentials for: the role that could not be assumed there, if one was
// tried, else what would give them.
func (r *run) noCredentials(op, account string) *snapshot.FactError {
	tried := slices.Clone(r.fixed)
	if r.roleName != "" {
		tried = append(tried, r.assumedIn(account))
	}
	for _, id := range tried {
		if id.knownAccount() == account {
			if why := r.credentials(id); why != nil {
				return why
			}
		}
	}
	permission := "credentials for account " + account + " (--destination-profile or --destination-role)"
	if r.audit() {
		permission = "credentials for account " + account + " (--assume-role-name)"
	}
	return &snapshot.FactError{Operation: op, Code: "NoCredentials", Message: "no credentials for account " + account, Permission: permission}
}

// audit reports whether the run enumerates accounts.
func (r *run) audit() bool { return r.isAudit }

// bucketNames lists the buckets an identity's account owns, with their
// Regions when S3 gives them (s3:ListBuckets, paginated; asking for a page
// size makes S3 name each bucket's Region): how replcheck learns a
// bucket's owner, and usually its Region.
func (r *run) bucketNames(id *identity) snapshot.Fact[map[string]string] {
	return once(r, "buckets/"+id.label, func() snapshot.Fact[map[string]string] {
		if why := r.credentials(id); why != nil {
			return snapshot.UnknownFact[map[string]string](why)
		}
		names := map[string]string{}
		p := s3.NewListBucketsPaginator(id.S3(id.cfg.Region), &s3.ListBucketsInput{MaxBuckets: aws.Int32(maxBucketsPerPage)})
		for p.HasMorePages() {
			out, err := call(r, "s3:ListBuckets", func(ctx context.Context) (*s3.ListBucketsOutput, error) { return p.NextPage(ctx) })
			if err != nil {
				return snapshot.UnknownFact[map[string]string](factError("s3:ListBuckets", "s3:ListAllMyBuckets", err))
			}
			for _, b := range out.Buckets {
				names[deref(b.Name)] = deref(b.BucketRegion)
			}
		}
		return snapshot.KnownFact(names)
	})
}

// maxBucketsPerPage is the largest ListBuckets page: one page holds every
// bucket of an account within the default quota of 10,000.
const maxBucketsPerPage = 10000

// listers are the identities whose bucket listings can tell a bucket's
// owner: the hinted account's (a rule's Destination.Account), the ones
// given, then the audited accounts'.
func (r *run) listers(hint string) []*identity {
	var out []*identity
	add := func(id *identity) {
		if id != nil && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if r.triesAccount(hint) {
		add(r.identityFor(hint))
	}
	for _, id := range r.chained() {
		add(id)
	}
	for _, a := range r.audited {
		add(r.identityFor(a))
	}
	return out
}

// triesAccount reports whether replcheck has credentials to try in
// account: a role given for it, or the role name assumed in every account
// (audits).
func (r *run) triesAccount(account string) bool {
	return account != "" && (r.roleName != "" || slices.ContainsFunc(r.fixed, func(id *identity) bool { return id.knownAccount() == account }))
}

// owner finds the account that owns a bucket: the account of whichever
// credentials list it among their buckets. hint is the account a rule says
// owns it, tried first.
func (r *run) owner(name, hint string) snapshot.Fact[string] {
	return once(r, bucketKey(name, "owner"), func() snapshot.Fact[string] {
		var why *snapshot.FactError
		for _, id := range r.listers(hint) {
			var names snapshot.Fact[map[string]string]
			var acct snapshot.Fact[string]
			parallel(func() { names = r.bucketNames(id) }, func() { acct = r.account(id) })
			_, listed := names.Value[name]
			switch {
			case names.IsKnown() && listed && acct.IsKnown():
				return snapshot.KnownFact(acct.Value)
			case names.IsUnknown() && why == nil:
				why = names.Error
			case acct.IsUnknown() && why == nil:
				why = acct.Error
			}
		}
		if why == nil && r.triesAccount(hint) && r.identityFor(hint) == nil {
			why = r.noCredentials("s3:ListBuckets", hint) // why the credentials tried in the rule's account failed
		}
		if why == nil {
			permission := "credentials for the bucket's account (--destination-profile or --destination-role)"
			if r.audit() {
				permission = "credentials for the bucket's account (--assume-role-name, and the account among those audited or named by the rule's Destination.Account)"
			}
			why = &snapshot.FactError{Operation: "s3:ListBuckets", Code: "NoCredentials",
				Message: "no credentials given can see the owner of " + name, Permission: permission}
		}
		return snapshot.UnknownFact[string](why)
	})
}

// readerFor picks the credentials to read a bucket with: its owner's when
// replcheck has them, else the base credentials (a bucket policy may let
// them read).
func (r *run) readerFor(bucket, hint string) *identity {
	if o := r.owner(bucket, hint); o.IsKnown() {
		if id := r.identityFor(o.Value); id != nil {
			return id
		}
	}
	return r.base
}

// bucketKey is the memo key of one of a bucket's facts. Every key of a
// bucket starts with "bucket/NAME/", so that an audit can forget them.
func bucketKey(name string, parts ...string) string {
	k := "bucket/" + name
	for _, p := range parts {
		k += "/" + p
	}
	return k
}
