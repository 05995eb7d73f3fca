package checks

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

// Facts is a snapshot prepared for checking: policies parsed once, and
// buckets, roles, keys and accounts indexed.
type Facts struct {
	Snap   *snapshot.Snapshot
	Source *BucketFacts
	// Config is the replication configuration, or nil when it is Absent or
	// Unknown (see Snap.Replication).
	Config *snapshot.ReplicationConfiguration

	dests    map[string]*BucketFacts
	roles    map[string]*RoleFacts
	keys     map[string]*KeyFacts
	accounts map[string]*AccountFacts
	sims     map[simKey][]*snapshot.Simulation
	answers  map[string]Answer
	asked    []Question
}

// BucketFacts is a bucket with its policy parsed.
type BucketFacts struct {
	*snapshot.Bucket
	ARN    string
	Policy PolicyFact
}

// RoleFacts is a role with its policies parsed.
type RoleFacts struct {
	*snapshot.Role
	Account  string
	Trust    PolicyFact
	Identity []PolicyFact // inline then managed; one Unknown entry per unreadable list
	Boundary PolicyFact
}

// KeyFacts is a KMS key with its policy parsed.
type KeyFacts struct {
	*snapshot.KMSKey
	Policy PolicyFact
}

// AccountFacts holds an account's parsed organization policies.
type AccountFacts struct {
	ID   string
	SCPs LevelsFact
	RCPs LevelsFact
}

// PolicyFact is a parsed policy document that may be Absent or Unknown.
type PolicyFact struct {
	State snapshot.State
	Doc   *policy.Document
	// Name says where the policy is, for evidence: `bucket policy of dst`.
	Name string
	// Why explains an Unknown policy.
	Why string
	// Subject is the fact that holds the policy.
	Subject Subject
}

// Unknown reports whether the policy could not be read.
func (p PolicyFact) Unknown() bool { return p.State != snapshot.Known && p.State != snapshot.Absent }

// LevelsFact is an organization's policies by level, parsed.
type LevelsFact struct {
	State  snapshot.State
	Levels [][]*policy.Document
	Names  [][]string
	Why    string
}

type simKey struct{ principal, action, resource string }

// NewFacts prepares a snapshot. The snapshot must have passed Validate;
// NewFacts still returns an error rather than panic on a bad policy.
func NewFacts(s *snapshot.Snapshot) (*Facts, error) {
	f := &Facts{
		Snap:     s,
		dests:    map[string]*BucketFacts{},
		roles:    map[string]*RoleFacts{},
		keys:     map[string]*KeyFacts{},
		accounts: map[string]*AccountFacts{},
		sims:     map[simKey][]*snapshot.Simulation{},
		answers:  map[string]Answer{},
	}
	var err error
	if f.Source, err = newBucketFacts(&s.Source); err != nil {
		return nil, err
	}
	for i := range s.Destinations {
		b, err := newBucketFacts(&s.Destinations[i])
		if err != nil {
			return nil, err
		}
		f.dests[b.Name] = b
	}
	if s.Replication.IsKnown() {
		f.Config = &s.Replication.Value
	}
	for i := range s.Roles {
		r, err := newRoleFacts(&s.Roles[i])
		if err != nil {
			return nil, err
		}
		f.roles[r.ARN] = r
	}
	for i := range s.KMSKeys {
		k := &s.KMSKeys[i]
		p, err := parseFact(k.Policy, "key policy of "+k.ARN)
		if err != nil {
			return nil, err
		}
		p.Subject = Subject{Kind: SubjectKey, Name: k.ARN}
		kf := &KeyFacts{KMSKey: k, Policy: p}
		f.keys[k.ARN] = kf
		for _, a := range k.Aliases {
			f.keys[a] = kf
		}
	}
	for i := range s.Accounts {
		a := &s.Accounts[i]
		scps, err := parseLevels(a.SCPs, "service control policy")
		if err != nil {
			return nil, err
		}
		rcps, err := parseLevels(a.RCPs, "resource control policy")
		if err != nil {
			return nil, err
		}
		f.accounts[a.ID] = &AccountFacts{ID: a.ID, SCPs: scps, RCPs: rcps}
	}
	for i := range s.Simulations {
		sim := &s.Simulations[i]
		k := simKey{sim.Principal, strings.ToLower(sim.Action), sim.Resource}
		f.sims[k] = append(f.sims[k], sim)
	}
	return f, nil
}

// Destination returns the facts of the destination bucket named by a bucket
// ARN, or nil when the snapshot has none.
func (f *Facts) Destination(bucketARN string) *BucketFacts {
	name, ok := snapshot.BucketFromARN(bucketARN)
	if !ok {
		return nil
	}
	return f.dests[name]
}

// Role returns the facts of a role by ARN, or nil.
func (f *Facts) Role(arn string) *RoleFacts { return f.roles[arn] }

// Key returns the facts of a KMS key by key ARN, alias ARN, alias name or
// key ID, as the snapshot recorded them, or nil.
func (f *Facts) Key(id string) *KeyFacts { return f.keys[id] }

// Account returns an account's organization facts, or nil when the
// snapshot has none.
func (f *Facts) Account(id string) *AccountFacts { return f.accounts[id] }

func newBucketFacts(b *snapshot.Bucket) (*BucketFacts, error) {
	p, err := parseFact(b.Policy, "bucket policy of "+b.Name)
	if err != nil {
		return nil, err
	}
	p.Subject = Subject{Kind: SubjectBucket, Name: b.Name, Part: "policy"}
	return &BucketFacts{Bucket: b, ARN: "arn:aws:s3:::" + b.Name, Policy: p}, nil
}

func newRoleFacts(r *snapshot.Role) (*RoleFacts, error) {
	rf := &RoleFacts{Role: r, Account: arn.Account(r.ARN)}
	var err error
	if rf.Trust, err = parseFact(r.TrustPolicy, "trust policy of "+r.ARN); err != nil {
		return nil, err
	}
	rf.Trust.Subject = Subject{Kind: SubjectRole, Name: r.ARN}
	for _, list := range []struct {
		fact snapshot.Fact[[]snapshot.NamedPolicy]
		kind string
	}{{r.InlinePolicies, "inline policy"}, {r.ManagedPolicies, "managed policy"}} {
		if !list.fact.IsKnown() {
			if list.fact.IsUnknown() {
				rf.Identity = append(rf.Identity, PolicyFact{State: snapshot.Unknown, Name: list.kind + " list of " + r.ARN, Why: list.fact.Why(),
					Subject: Subject{Kind: SubjectRole, Name: r.ARN}})
			}
			continue
		}
		for _, np := range list.fact.Value {
			doc, err := policy.Parse(np.Document)
			if err != nil {
				return nil, fmt.Errorf("%s %q of %s: %w", list.kind, np.Name, r.ARN, err)
			}
			rf.Identity = append(rf.Identity, PolicyFact{State: snapshot.Known, Doc: doc, Name: fmt.Sprintf("%s %q", list.kind, np.Name),
				Subject: Subject{Kind: SubjectRole, Name: r.ARN, Part: np.Name}})
		}
	}
	switch {
	case r.PermissionsBoundary.IsKnown():
		doc, err := policy.Parse(r.PermissionsBoundary.Value.Document)
		if err != nil {
			return nil, fmt.Errorf("permissions boundary of %s: %w", r.ARN, err)
		}
		rf.Boundary = PolicyFact{State: snapshot.Known, Doc: doc, Name: fmt.Sprintf("permissions boundary %q", r.PermissionsBoundary.Value.Name),
			Subject: Subject{Kind: SubjectRole, Name: r.ARN, Part: r.PermissionsBoundary.Value.Name}}
	case r.PermissionsBoundary.IsAbsent():
		rf.Boundary = PolicyFact{State: snapshot.Absent}
	default:
		rf.Boundary = PolicyFact{State: snapshot.Unknown, Name: "permissions boundary of " + r.ARN, Why: r.PermissionsBoundary.Why(),
			Subject: Subject{Kind: SubjectRole, Name: r.ARN}}
	}
	return rf, nil
}

func parseFact(f snapshot.Fact[snapshot.PolicyDocument], name string) (PolicyFact, error) {
	switch {
	case f.IsKnown():
		doc, err := policy.Parse(f.Value)
		if err != nil {
			return PolicyFact{}, fmt.Errorf("%s: %w", name, err)
		}
		return PolicyFact{State: snapshot.Known, Doc: doc, Name: name}, nil
	case f.IsAbsent():
		return PolicyFact{State: snapshot.Absent, Name: name}, nil
	}
	return PolicyFact{State: snapshot.Unknown, Name: name, Why: f.Why()}, nil
}

func parseLevels(f snapshot.Fact[[][]snapshot.NamedPolicy], kind string) (LevelsFact, error) {
	switch {
	case f.IsAbsent():
		return LevelsFact{State: snapshot.Absent}, nil
	case f.IsUnknown():
		return LevelsFact{State: snapshot.Unknown, Why: f.Why()}, nil
	}
	lf := LevelsFact{State: snapshot.Known}
	for _, level := range f.Value {
		var docs []*policy.Document
		var names []string
		for _, np := range level {
			doc, err := policy.Parse(np.Document)
			if err != nil {
				return LevelsFact{}, fmt.Errorf("%s %q: %w", kind, np.Name, err)
			}
			docs = append(docs, doc)
			names = append(names, fmt.Sprintf("%s %q", kind, np.Name))
		}
		lf.Levels = append(lf.Levels, docs)
		lf.Names = append(lf.Names, names)
	}
	return lf, nil
}
