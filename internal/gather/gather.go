package gather

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// Options say what to gather.
type Options struct {
	Access
	// Source is the source bucket, by name or ARN.
	Source string
	// Config is a proposed replication configuration; nil reads the source
	// bucket's current one.
	Config *snapshot.ReplicationConfiguration
	// BatchRole is the Batch Operations job role (with Batch set).
	BatchRole string
	// Batch asks for Batch Replication facts.
	Batch bool
	// Objects is how many object versions to sample per rule (0: none).
	Objects int
	// Concurrency bounds the calls in flight (default 32: one preflight makes
	// about 35 calls, most of them independent).
	Concurrency int
	// CallTimeout bounds each call, retries included (default 30 s).
	CallTimeout time.Duration
	// Recorder, if set, records every operation.
	Recorder *Recorder
	// Questions, if set, returns the identity-side permission questions to
	// ask iam:SimulatePrincipalPolicy about a gathered snapshot (the checks
	// know them; gather does not).
	Questions func(*snapshot.Snapshot) []Question
}

// NoCredentialsError says that the source credentials could not be
// resolved: nothing can be gathered.
type NoCredentialsError struct{ Err error }

// Error describes the failure.
func (e *NoCredentialsError) Error() string { return "no AWS credentials: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *NoCredentialsError) Unwrap() error { return e.Err }

// Gather reads every fact the checks need about opt.Source and its
// destinations. Unreadable facts are Unknown in the snapshot; the error is
// non-nil only when nothing could be gathered: bad configuration, no
// credentials, an unreachable endpoint, or a cancelled context.
func Gather(ctx context.Context, opt Options) (*snapshot.Snapshot, error) {
	name := strings.TrimPrefix(opt.Source, "arn:aws:s3:::")
	if name == "" || strings.ContainsAny(name, ":/") {
		return nil, fmt.Errorf("%q is not a bucket name or arn:aws:s3:::BUCKET", opt.Source)
	}
	r, err := newRun(ctx, runOptions{Access: opt.Access, Recorder: opt.Recorder, Concurrency: opt.Concurrency, CallTimeout: opt.CallTimeout})
	if err != nil {
		return nil, err
	}
	defer r.cancel()
	snap := r.gatherBucket(name, bucketOptions{Options: opt, replication: r.proposed(opt.Config)})
	r.warm.Wait()
	if err := r.err(); err != nil {
		return nil, err
	}
	return snap, nil
}

// runOptions say how to build a run.
type runOptions struct {
	Access
	Recorder    *Recorder
	Concurrency int
	CallTimeout time.Duration
	// RoleName is assumed in every account that no other credentials read.
	RoleName string
	// Audited are the accounts an audit enumerates (nil: not an audit).
	Audited []string
	// limits, if set, replaces newLimits() (tests).
	limits *limits
}

// newRun loads the credentials (failing when the base ones cannot be had)
// and starts fetching what every fact waits for: the base credentials'
// account and bucket listing, and the other credentials given.
func newRun(ctx context.Context, o runOptions) (*run, error) {
	r, err := buildRun(ctx, o)
	if err != nil {
		return nil, err
	}
	if _, err := r.base.cfg.Credentials.Retrieve(ctx); err != nil {
		r.cancel()
		if ee := credentialFailure(err); ee != nil {
			return nil, ee // credentials exist; their source's endpoint failed
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &NoCredentialsError{Err: err}
	}
	// The first round: who the credentials are, which buckets they own
	// (and where), and the sessions of the roles given. Every later fact
	// waits for one of these, so none should wait for it to start.
	// Once both are answered, the endpoint has proven itself.
	r.proven = make(chan struct{})
	r.start(func() {
		parallel(func() { r.account(r.base) }, func() { r.bucketNames(r.base) })
		close(r.proven)
	})
	for _, id := range r.fixed {
		r.start(func() { r.credentials(id) })
		if id.knownAccount() == "" {
			r.start(func() { r.account(id) })
		}
	}
	return r, nil
}

// buildRun loads the credentials' configurations and builds the run's
// state, without calling AWS.
func buildRun(ctx context.Context, o runOptions) (*run, error) {
	rec := o.Recorder
	if rec == nil {
		rec = &Recorder{}
	}
	lim := o.limits
	if lim == nil {
		lim = newLimits()
	}
	a := o.Access
	switch {
	case a.DestinationProfile != "" && a.DestinationRole != "":
		return nil, fmt.Errorf("give --destination-profile or --destination-role, not both")
	}
	baseCfg, err := loadConfig(ctx, a, a.Profile, rec)
	if err != nil {
		return nil, err
	}
	label := "base"
	if a.Profile != "" {
		label = "profile:" + a.Profile
	}
	base := newIdentity(label, "", baseCfg, a, rec, lim)
	var fixed []*identity
	switch {
	case a.DestinationProfile != "":
		cfg, err := loadConfig(ctx, a, a.DestinationProfile, rec)
		if err != nil {
			return nil, err
		}
		fixed = append(fixed, newIdentity("profile:"+a.DestinationProfile, "", cfg, a, rec, lim))
	case a.DestinationRole != "":
		fixed = append(fixed, assume(base, a.DestinationRole, a, rec, lim))
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &run{ctx: ctx, cancel: cancel, access: a, rec: rec, lim: lim, base: base, fixed: fixed,
		roleName: o.RoleName, audited: o.Audited, isAudit: o.Audited != nil, memo: map[string]*memoEntry{}, assumed: map[string]*identity{}, dests: map[string]bool{},
		sem: make(chan struct{}, 32), timeout: o.CallTimeout}
	if o.Concurrency > 0 {
		r.sem = make(chan struct{}, o.Concurrency)
	}
	if r.timeout == 0 {
		r.timeout = 30 * time.Second
	}
	return r, nil
}

// start runs fs in the background, as part of the run's first round.
func (r *run) start(fs ...func()) {
	for _, f := range fs {
		r.warm.Add(1)
		go func() {
			defer r.warm.Done()
			f()
		}()
	}
}

// proposed is a proposed configuration as the replication fact, or the
// zero fact to read the bucket's own.
func (r *run) proposed(cfg *snapshot.ReplicationConfiguration) snapshot.Fact[snapshot.ReplicationConfiguration] {
	if cfg == nil {
		return snapshot.Fact[snapshot.ReplicationConfiguration]{}
	}
	return snapshot.KnownFact(*cfg)
}

// bucketOptions say how to gather one source bucket.
type bucketOptions struct {
	Options
	// reader, if set, reads the source bucket (an audited account's
	// credentials); else the base credentials do.
	reader *identity
	// replication is the configuration already known (proposed, or read
	// by an audit); the zero fact reads the bucket's own.
	replication snapshot.Fact[snapshot.ReplicationConfiguration]
}

// gatherBucket reads every fact of one source bucket and what its
// configuration names, within the run's memo.
func (r *run) gatherBucket(name string, opt bucketOptions) *snapshot.Snapshot {
	src := opt.reader
	if src == nil {
		src = r.base
	}
	snap := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion}
	parallel(
		func() { snap.Source = r.bucket(src, name) },
		func() {
			snap.Replication = opt.replication
			if snap.Replication.State == "" {
				snap.Replication = r.sourceReplication(src, name)
			}
			if snap.Replication.IsKnown() {
				r.dependents(snap, src, name, opt.Options)
			}
		},
		// Organization policies need only the owner account.
		func() {
			if acct := r.owner(name, ""); acct.IsKnown() {
				r.orgAccount(acct.Value)
			}
		},
	)
	if snap.Source.Account.IsKnown() {
		snap.Accounts = appendAccount(snap.Accounts, r.orgAccount(snap.Source.Account.Value)) // memoized
	}
	for _, d := range snap.Destinations {
		if d.Account.IsKnown() {
			snap.Accounts = appendAccount(snap.Accounts, r.orgAccount(d.Account.Value))
		}
	}
	if opt.Questions != nil && snap.Replication.IsKnown() {
		if why := r.probeSimulator(snap.Replication.Value.Role, name); why != nil {
			snap.SimulatorUnavailable = why // probed while the facts were read
		} else {
			snap.Simulations, snap.SimulatorUnavailable = r.simulate(opt.Questions(snap))
		}
	}
	return snap
}

// sourceReplication reads the source bucket's own configuration.
func (r *run) sourceReplication(src *identity, name string) snapshot.Fact[snapshot.ReplicationConfiguration] {
	loc := r.location(src, name)
	if !loc.region.IsKnown() {
		why := loc.region.Error
		if why == nil {
			why = &snapshot.FactError{Operation: "s3:HeadBucket", Code: "NoSuchBucket", Message: "the source bucket does not exist"}
		}
		return snapshot.UnknownFact[snapshot.ReplicationConfiguration](why)
	}
	return r.replication(src.S3(loc.region.Value), name)
}

// dependents reads what the configuration names: destination buckets, the
// roles, KMS keys, organization policies, sampled objects. It runs while
// gatherBucket fills snap.Source, so it reaches the source bucket (named
// source, read with src) through the memo, never through snap.Source.
func (r *run) dependents(snap *snapshot.Snapshot, src *identity, source string, opt Options) {
	cfg := &snap.Replication.Value
	var dests []string
	hints := map[string]string{} // destination → the account a rule names
	for _, rule := range cfg.Rules {
		if n, ok := snapshot.BucketFromARN(rule.Destination.Bucket); ok && !slices.Contains(dests, n) {
			dests = append(dests, n)
			hints[n] = rule.Destination.Account
		}
	}
	snap.Destinations = make([]snapshot.Bucket, len(dests))
	roles := []string{cfg.Role}
	if opt.Batch && opt.BatchRole != "" && opt.BatchRole != cfg.Role {
		roles = append(roles, opt.BatchRole)
	}
	snap.Roles = make([]snapshot.Role, len(roles))

	var fs []func()
	for i, d := range dests {
		fs = append(fs,
			func() {
				r.markDestination(d)
				snap.Destinations[i] = r.bucket(r.readerFor(d, hints[d]), d)
			},
			// The organization needs only the owner, not the bucket's facts.
			func() {
				if acct := r.owner(d, hints[d]); acct.IsKnown() {
					r.orgAccount(acct.Value)
				}
			})
	}
	for i, arn := range roles {
		fs = append(fs, func() { snap.Roles[i] = r.role(arn) })
	}
	fs = append(fs, func() { snap.KMSKeys = r.keys(snap, src, source, dests, hints) })
	if opt.Questions != nil {
		fs = append(fs, func() { r.probeSimulator(cfg.Role, source) })
	}
	if opt.Objects > 0 {
		fs = append(fs, func() { snap.Objects = r.sample(snap, src, source, opt.Objects) })
	}
	parallel(fs...)

	if opt.Batch {
		region := opt.Region
		if b := r.bucket(src, source); region == "" && b.Region.IsKnown() {
			region = b.Region.Value
		}
		snap.Batch = &snapshot.BatchJob{RoleARN: opt.BatchRole, Region: region}
		if opt.BatchRole == "" {
			snap.Batch.RoleARN = cfg.Role
		}
	}
}

// keys reads every KMS key in play: replica keys of the rules, and the
// default keys of the source and destination buckets. Each is read as soon
// as it is known, not after every bucket's facts: a default key waits for
// its bucket's encryption (through the memo); a replica key named by ARN
// waits for nothing, and is kept when its destination bucket is found.
func (r *run) keys(snap *snapshot.Snapshot, src *identity, source string, dests []string, hints map[string]string) []snapshot.KMSKey {
	// groups[0] is the source's default key; then, per destination, its
	// replica keys and its default key: the order of the result.
	groups := make([][]snapshot.KMSKey, 1+2*len(dests))
	fs := []func(){func() {
		b := r.bucket(src, source)
		if enc := b.Encryption; enc.IsKnown() && strings.HasPrefix(enc.Value.Algorithm, "aws:kms") {
			id := enc.Value.KMSKeyID
			if id == "" {
				id = "alias/aws/s3"
			}
			groups[0] = []snapshot.KMSKey{r.key(id, b.Region.Value, b.Account.Value)}
		}
	}}
	for i, d := range dests {
		var replica []string
		for _, rule := range snap.Replication.Value.Rules {
			if n, _ := snapshot.BucketFromARN(rule.Destination.Bucket); n == d && rule.Destination.EncryptionConfiguration != nil &&
				rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID != "" && !slices.Contains(replica, rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID) {
				replica = append(replica, rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID)
			}
		}
		fs = append(fs,
			func() { groups[1+2*i] = r.replicaKeys(d, hints[d], replica) },
			func() {
				b := r.bucket(r.readerFor(d, hints[d]), d)
				if enc := b.Encryption; b.Region.IsKnown() && enc.IsKnown() && strings.HasPrefix(enc.Value.Algorithm, "aws:kms") && enc.Value.KMSKeyID != "" {
					groups[2+2*i] = []snapshot.KMSKey{r.key(enc.Value.KMSKeyID, b.Region.Value, b.Account.Value)}
				}
			})
	}
	parallel(fs...)
	var out []snapshot.KMSKey
	for _, g := range groups {
		out = append(out, g...)
	}
	return mergeKeys(out)
}

// replicaKeys reads the replica keys of the rules that replicate to bucket
// dest, if that bucket is found. Keys named by ARN are read while its
// location is looked up; others are located in the bucket's Region and
// account.
func (r *run) replicaKeys(dest, hint string, ids []string) []snapshot.KMSKey {
	keys := make([]snapshot.KMSKey, len(ids))
	var loc bucketLocation
	var owner snapshot.Fact[string]
	fs := []func(){func() { loc, owner = r.location(r.readerFor(dest, hint), dest), r.owner(dest, hint) }}
	for i, id := range ids {
		if strings.HasPrefix(id, "arn:") {
			fs = append(fs, func() { keys[i] = r.key(id, "", "") })
		}
	}
	parallel(fs...)
	if !loc.region.IsKnown() {
		return nil
	}
	var later []func()
	for i, id := range ids {
		if !strings.HasPrefix(id, "arn:") {
			later = append(later, func() { keys[i] = r.key(id, loc.region.Value, owner.Value) })
		}
	}
	parallel(later...)
	return keys
}

// mergeKeys folds keys reached by several names (alias and ARN) into one
// entry with every name as an alias.
func mergeKeys(keys []snapshot.KMSKey) []snapshot.KMSKey {
	var out []snapshot.KMSKey
	for _, k := range keys {
		i := slices.IndexFunc(out, func(o snapshot.KMSKey) bool { return o.ARN == k.ARN })
		if i < 0 {
			out = append(out, k)
			continue
		}
		for _, a := range k.Aliases {
			if !slices.Contains(out[i].Aliases, a) {
				out[i].Aliases = append(out[i].Aliases, a)
			}
		}
	}
	return out
}

// sample reads object versions under each rule's prefix.
func (r *run) sample(snap *snapshot.Snapshot, src *identity, source string, n int) []snapshot.ObjectVersion {
	loc := r.location(src, source)
	if !loc.region.IsKnown() {
		return nil
	}
	var prefixes []string
	for i := range snap.Replication.Value.Rules {
		if p := snap.Replication.Value.Rules[i].FilterPrefix(); !slices.Contains(prefixes, p) {
			prefixes = append(prefixes, p)
		}
	}
	c := src.S3(loc.region.Value)
	var out []snapshot.ObjectVersion
	for _, p := range prefixes {
		objs, why := r.objects(c, source, p, n)
		if why != nil && snap.ObjectSampling == nil {
			snap.ObjectSampling = why
		}
		for _, o := range objs {
			if !slices.ContainsFunc(out, func(x snapshot.ObjectVersion) bool { return x.Key == o.Key && x.VersionID == o.VersionID }) {
				out = append(out, o)
			}
		}
	}
	parallel(
		func() { r.objectOwners(c, source, out) },
		func() { r.replicaPresence(&snap.Replication.Value, out) },
	)
	return out
}

func appendAccount(list []snapshot.Account, a snapshot.Account) []snapshot.Account {
	if slices.ContainsFunc(list, func(x snapshot.Account) bool { return x.ID == a.ID }) {
		return list
	}
	return append(list, a)
}

// IsEndpointError reports whether err is a failure to reach AWS.
func IsEndpointError(err error) bool {
	var ee *EndpointError
	return errors.As(err, &ee)
}
