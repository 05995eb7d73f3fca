package gather

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// SessionOptions say how an audit reaches AWS.
type SessionOptions struct {
	// Access holds the base credentials (Profile), Region and endpoint;
	// its destination fields are not used.
	Access
	// AssumeRoleName is the role assumed, from the base credentials, in
	// each account other than the base credentials' own (once per account
	// per run); "" reads only the base account.
	AssumeRoleName string
	// Recorder, if set, records every operation.
	Recorder *Recorder
	// Concurrency bounds the calls in flight across the audit (default 64).
	Concurrency int
	// CallTimeout bounds each call, retries included (default 30 s).
	CallTimeout time.Duration

	// limits, if set, replaces the per-identity limits (tests: small
	// bounds and rates that a test can measure quickly).
	limits *limits
}

// Session is one audit's reading of AWS: the base credentials, a session
// of the audit role per account, and one memo for every bucket of every
// account, so that each shared fact (a role, a key, a destination bucket,
// an account's SCPs) is read once for the whole audit. A source bucket's
// own facts are forgotten once it is reported (Forget). Its methods are
// safe for concurrent use.
type Session struct{ r *run }

// NewSession loads the base credentials; it fails as Gather does when they
// cannot be had.
func NewSession(ctx context.Context, opt SessionOptions) (*Session, error) {
	a := opt.Access
	a.DestinationProfile, a.DestinationRole = "", ""
	conc := opt.Concurrency
	if conc == 0 {
		conc = 64
	}
	r, err := newRun(ctx, runOptions{Access: a, Recorder: opt.Recorder, Concurrency: conc, CallTimeout: opt.CallTimeout,
		RoleName: opt.AssumeRoleName, Audited: []string{}, limits: opt.limits})
	if err != nil {
		return nil, err
	}
	return &Session{r: r}, nil
}

// Close stops every call in flight and waits for the first round's.
func (s *Session) Close() {
	s.r.cancel()
	s.r.warm.Wait()
}

// Err is the error that stopped the session (an endpoint failure, or the
// context's), or nil.
func (s *Session) Err() error { return s.r.err() }

// BaseAccount is the base credentials' account (sts:GetCallerIdentity).
func (s *Session) BaseAccount() (string, error) {
	a := s.r.account(s.r.base)
	if err := s.r.err(); err != nil {
		return "", err
	}
	if !a.IsKnown() {
		return "", &FactErr{a.Error}
	}
	return a.Value, nil
}

// FactErr is a fact that could not be read, as an error.
type FactErr struct{ *snapshot.FactError }

// Error renders the fact's error.
func (e *FactErr) Error() string { return e.FactError.String() }

// OrganizationAccounts lists the ACTIVE accounts of the base credentials'
// organization (organizations:ListAccounts, paginated), in the order
// Organizations lists them.
func (s *Session) OrganizationAccounts() ([]string, error) {
	r := s.r
	var out []string
	p := organizations.NewListAccountsPaginator(r.base.Organizations(), &organizations.ListAccountsInput{})
	for p.HasMorePages() {
		page, err := call(r, "organizations:ListAccounts", func(ctx context.Context) (*organizations.ListAccountsOutput, error) {
			return p.NextPage(ctx)
		})
		if ferr := r.err(); ferr != nil {
			return nil, ferr
		}
		if err != nil {
			return nil, &FactErr{factError("organizations:ListAccounts", "organizations:ListAccounts", err)}
		}
		for _, a := range page.Accounts {
			if a.Status == orgtypes.AccountStatusActive && !slices.Contains(out, deref(a.Id)) {
				out = append(out, deref(a.Id))
			}
		}
	}
	return out, nil
}

// SetAudited names the accounts the audit enumerates, whose bucket
// listings tell the owners of destination buckets. Call it once, before
// reading any bucket.
func (s *Session) SetAudited(accounts []string) {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.audited = slices.Clone(accounts)
}

// BucketEntry is one bucket of an account's listing.
type BucketEntry struct {
	Name string
	// Region is the bucket's Region when ListBuckets named it, else "".
	Region string
}

// Buckets lists an account's buckets by name, with the credentials that
// read the account; the error says why the account cannot be read (its
// role could not be assumed, or s3:ListBuckets was denied).
func (s *Session) Buckets(account string) ([]BucketEntry, *snapshot.FactError) {
	r := s.r
	id := r.identityFor(account)
	if id == nil {
		return nil, r.noCredentials("s3:ListBuckets", account)
	}
	names := r.bucketNames(id)
	if !names.IsKnown() {
		return nil, names.Error
	}
	out := make([]BucketEntry, 0, len(names.Value))
	for n, region := range names.Value {
		out = append(out, BucketEntry{Name: n, Region: region})
	}
	slices.SortFunc(out, func(a, b BucketEntry) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Region is a bucket's Region: from its account's listing, else from
// s3:HeadBucket.
func (s *Session) Region(account, bucket string) snapshot.Fact[string] {
	id := s.r.identityFor(account)
	if id == nil {
		return snapshot.UnknownFact[string](s.r.noCredentials("s3:HeadBucket", account))
	}
	return s.r.location(id, bucket).region
}

// Replication reads a bucket's replication configuration with its
// account's credentials: Absent when it has none.
func (s *Session) Replication(account, bucket, region string) snapshot.Fact[snapshot.ReplicationConfiguration] {
	id := s.r.identityFor(account)
	if id == nil {
		return snapshot.UnknownFact[snapshot.ReplicationConfiguration](s.r.noCredentials("s3:GetBucketReplication", account))
	}
	return s.r.replication(id.S3(region), bucket)
}

// BucketOptions say what to gather about one audited bucket.
type BucketOptions struct {
	// Batch asks for Batch Replication facts, with the replication role as
	// the job role.
	Batch bool
	// Objects is how many object versions to sample per rule (0: none).
	Objects int
	// Questions, as in Options.
	Questions func(*snapshot.Snapshot) []Question
}

// Gather reads every fact the checks need about one bucket of account,
// whose replication configuration (Known or Unknown) was read with
// Replication: the snapshot a preflight of it would read, with every fact
// shared with the session's other buckets read once.
func (s *Session) Gather(account, bucket string, replication snapshot.Fact[snapshot.ReplicationConfiguration], opt BucketOptions) *snapshot.Snapshot {
	r := s.r
	reader := r.identityFor(account)
	r.owner(bucket, account) // its listing was read: the owner is known at once
	return r.gatherBucket(bucket, bucketOptions{
		Options: Options{Batch: opt.Batch, Objects: opt.Objects, Questions: opt.Questions},
		reader:  reader, replication: replication,
	})
}

// Forget drops what the session read about bucket as a source: its own
// facts and the simulator's answers about it, unless another bucket
// replicates to it, which keeps them for the other buckets that do (their
// questions about a shared destination are asked once).
func (s *Session) Forget(bucket string) {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	keep := r.dests[bucket]
	arn := "|arn:aws:s3:::" + bucket
	for k, e := range r.memo {
		drop := !keep && (strings.HasPrefix(k, "bucket/"+bucket+"/") ||
			(strings.HasPrefix(k, "sim/") && (strings.Contains(k, arn+"|") || strings.Contains(k, arn+"/*|"))))
		if !drop {
			continue
		}
		select {
		case <-e.done:
			delete(r.memo, k)
		default: // still being computed by another bucket's gathering
		}
	}
}

// markDestination records that some configuration replicates to bucket:
// its facts are shared, and Forget keeps them.
func (r *run) markDestination(bucket string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dests[bucket] = true
}
