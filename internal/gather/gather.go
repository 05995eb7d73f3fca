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
	// about 40 calls, most of them independent).
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
	rec := opt.Recorder
	if rec == nil {
		rec = &Recorder{}
	}
	src, dst, err := loadSides(ctx, opt.Access, rec)
	if err != nil {
		return nil, err
	}
	if _, err := src.cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, &NoCredentialsError{Err: err}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &run{ctx: ctx, cancel: cancel, src: src, dst: dst, memo: map[string]*memoEntry{},
		sem: make(chan struct{}, max(opt.Concurrency, 1)), timeout: opt.CallTimeout}
	if opt.Concurrency == 0 {
		r.sem = make(chan struct{}, 32)
	}
	if r.timeout == 0 {
		r.timeout = 30 * time.Second
	}

	snap := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion}
	parallel(
		func() { snap.Source = r.bucket(src, name) },
		func() {
			snap.Replication = r.sourceReplication(name, opt.Config)
			if snap.Replication.IsKnown() {
				r.dependents(snap, name, opt)
			}
		},
		// Organization policies need only the owner account.
		func() {
			if acct := r.owner(name); acct.IsKnown() {
				r.orgAccount(acct.Value)
			}
		},
		func() {
			if dst != nil {
				r.account(dst)
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
	if err := ctx.Err(); err != nil {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.fatal != nil {
			return nil, r.fatal
		}
		return nil, err
	}
	return snap, nil
}

// sourceReplication is the proposed configuration, or the bucket's own.
func (r *run) sourceReplication(name string, proposed *snapshot.ReplicationConfiguration) snapshot.Fact[snapshot.ReplicationConfiguration] {
	if proposed != nil {
		return snapshot.KnownFact(*proposed)
	}
	loc := r.location(r.src, name)
	if !loc.region.IsKnown() {
		why := loc.region.Error
		if why == nil {
			why = &snapshot.FactError{Operation: "s3:HeadBucket", Code: "NoSuchBucket", Message: "the source bucket does not exist"}
		}
		return snapshot.UnknownFact[snapshot.ReplicationConfiguration](why)
	}
	return r.replication(r.src.S3(loc.region.Value), name)
}

// dependents reads what the configuration names: destination buckets, the
// roles, KMS keys, organization policies, sampled objects. It runs while
// Gather fills snap.Source, so it reaches the source bucket (named source)
// through the memo, never through snap.Source.
func (r *run) dependents(snap *snapshot.Snapshot, source string, opt Options) {
	cfg := &snap.Replication.Value
	var dests []string
	for _, rule := range cfg.Rules {
		if n, ok := snapshot.BucketFromARN(rule.Destination.Bucket); ok && !slices.Contains(dests, n) {
			dests = append(dests, n)
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
			func() { snap.Destinations[i] = r.bucket(r.readerFor(d), d) },
			// The organization needs only the owner, not the bucket's facts.
			func() {
				if acct := r.owner(d); acct.IsKnown() {
					r.orgAccount(acct.Value)
				}
			})
	}
	for i, arn := range roles {
		fs = append(fs, func() { snap.Roles[i] = r.role(arn) })
	}
	fs = append(fs, func() { snap.KMSKeys = r.keys(snap, source, dests) })
	if opt.Questions != nil {
		fs = append(fs, func() { r.probeSimulator(cfg.Role, source) })
	}
	if opt.Objects > 0 {
		fs = append(fs, func() { snap.Objects = r.sample(snap, source, opt.Objects) })
	}
	parallel(fs...)

	if opt.Batch {
		region := opt.Region
		if src := r.bucket(r.src, source); region == "" && src.Region.IsKnown() {
			region = src.Region.Value
		}
		snap.Batch = &snapshot.BatchJob{RoleARN: opt.BatchRole, Region: region}
		if opt.BatchRole == "" {
			snap.Batch.RoleARN = cfg.Role
		}
	}
}

// readerFor picks the credentials to read a destination bucket with: the
// destination's when given, else the source's (a bucket policy may let
// them read).
func (r *run) readerFor(bucket string) *side {
	if r.dst != nil {
		if names := r.bucketNames(r.dst); names.IsKnown() && names.Value[bucket] {
			return r.dst
		}
	}
	return r.src
}

// keys reads every KMS key in play: replica keys of the rules, and the
// default keys of the source and destination buckets. Each is read as soon
// as it is known, not after every bucket's facts: a default key waits for
// its bucket's encryption (through the memo); a replica key named by ARN
// waits for nothing, and is kept when its destination bucket is found.
func (r *run) keys(snap *snapshot.Snapshot, source string, dests []string) []snapshot.KMSKey {
	// groups[0] is the source's default key; then, per destination, its
	// replica keys and its default key: the order of the result.
	groups := make([][]snapshot.KMSKey, 1+2*len(dests))
	fs := []func(){func() {
		src := r.bucket(r.src, source)
		if enc := src.Encryption; enc.IsKnown() && strings.HasPrefix(enc.Value.Algorithm, "aws:kms") {
			id := enc.Value.KMSKeyID
			if id == "" {
				id = "alias/aws/s3"
			}
			groups[0] = []snapshot.KMSKey{r.key(id, src.Region.Value, src.Account.Value)}
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
			func() { groups[1+2*i] = r.replicaKeys(d, replica) },
			func() {
				b := r.bucket(r.readerFor(d), d)
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
func (r *run) replicaKeys(dest string, ids []string) []snapshot.KMSKey {
	keys := make([]snapshot.KMSKey, len(ids))
	var loc bucketLocation
	var owner snapshot.Fact[string]
	fs := []func(){func() { loc, owner = r.location(r.readerFor(dest), dest), r.owner(dest) }}
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
func (r *run) sample(snap *snapshot.Snapshot, source string, n int) []snapshot.ObjectVersion {
	loc := r.location(r.src, source)
	if !loc.region.IsKnown() {
		return nil
	}
	var prefixes []string
	for i := range snap.Replication.Value.Rules {
		if p := snap.Replication.Value.Rules[i].FilterPrefix(); !slices.Contains(prefixes, p) {
			prefixes = append(prefixes, p)
		}
	}
	c := r.src.S3(loc.region.Value)
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
