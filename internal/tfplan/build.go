package tfplan

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

// Build returns the snapshot of each source bucket that has a replication
// configuration in the planned state, in the order of the
// configurations' addresses. Facts the plan does not decide are Unknown
// (CodeNotInPlan, or CodeKnownAfterApply); Accounts are left for the
// caller, since a plan holds no organization policies. outside, if not
// nil, reads the facts of what the plan does not manage.
func Build(p *Plan, outside Outside) []*snapshot.Snapshot {
	b := &builder{p: p, outside: outside, byBucket: map[string][]*Resource{}, pendingKeys: map[string]*Resource{}}
	for _, r := range p.Resources {
		if r.Mode != "managed" || !r.Planned() || !isBucketType(r.Type) {
			continue
		}
		name, v := p.strOf(r, "bucket")
		if name == "" {
			name = b.pendingBucket(v)
		}
		switch {
		case name != "":
			b.byBucket[name] = append(b.byBucket[name], r)
		case bucketTypes[r.Type] != "" && r.Type != "aws_s3_bucket_replication_configuration":
			b.untied = append(b.untied, b.untie(r, v))
		}
	}
	var out []*snapshot.Snapshot
	for _, src := range b.sources() {
		out = append(out, b.snapshot(src))
	}
	return out
}

// pendingBucket ties a bucket argument known only after apply to the
// aws_s3_bucket whose name it is (one with bucket_prefix, or a name
// Terraform computes): the stand-in for that name, whose facts the
// bucket's resources still decide. It returns "" for any other value.
func (b *builder) pendingBucket(v Value) string {
	if v.Known || v.Pending == "" || v.Unfollowed != "" {
		return ""
	}
	addr, attr := splitAttr(v.Pending)
	if r := b.p.Resource(addr); attr != "bucket" || r == nil || r.Type != "aws_s3_bucket" || r.Mode != "managed" || !r.Planned() {
		return ""
	}
	return placeholder(v.Pending)
}

// bucketTypes are the resource types that configure a bucket, by the
// setting each one declares.
var bucketTypes = map[string]string{
	"aws_s3_bucket":                                      "",
	"aws_s3_bucket_versioning":                           "versioning",
	"aws_s3_bucket_object_lock_configuration":            "objectLock",
	"aws_s3_bucket_server_side_encryption_configuration": "encryption",
	"aws_s3_bucket_policy":                               "policy",
	"aws_s3_bucket_ownership_controls":                   "ownership",
	"aws_s3_bucket_request_payment_configuration":        "requestPayment",
	"aws_s3_bucket_lifecycle_configuration":              "lifecycle",
	"aws_s3_bucket_replication_configuration":            "replication",
}

func isBucketType(t string) bool { _, ok := bucketTypes[t]; return ok }

// Outside reads the facts of what a plan does not manage, from AWS
// (package gather's Reader).
type Outside interface {
	Bucket(name string) snapshot.Bucket
	Role(arn string) snapshot.Role
	Key(id, region, account string) snapshot.KMSKey
	Policy(arn string) snapshot.Fact[snapshot.NamedPolicy]
}

// builder builds the snapshots of one plan.
type builder struct {
	p        *Plan
	outside  Outside
	byBucket map[string][]*Resource
	// pendingKeys maps the placeholder of a key identifier known only
	// after apply to the aws_kms_key that will have it.
	pendingKeys map[string]*Resource
	// untied are the planned resources that configure a bucket the plan
	// cannot name.
	untied []untied

	snap    *snapshot.Snapshot
	origins *snapshot.Origins
}

// source is a bucket whose replication configuration the plan declares.
type source struct {
	bucket string
	res    *Resource
	inline bool // the legacy replication_configuration block of aws_s3_bucket
	// untied, when set, says why the bucket the configuration is for
	// cannot be named.
	untied *snapshot.FactError
}

// sources lists the buckets with a replication configuration; a separate
// aws_s3_bucket_replication_configuration wins over the legacy block.
func (b *builder) sources() []source {
	var out []source
	index := map[string]int{}
	for _, r := range b.p.Resources {
		if r.Mode != "managed" || !r.Planned() {
			continue
		}
		var s source
		switch r.Type {
		case "aws_s3_bucket_replication_configuration":
			s = source{res: r}
		case "aws_s3_bucket":
			if n, _ := b.p.count(r, "replication_configuration"); n == 0 {
				continue
			}
			s = source{res: r, inline: true}
		default:
			continue
		}
		name, v := b.p.strOf(r, "bucket")
		if name == "" {
			name = b.pendingBucket(v)
		}
		if name == "" {
			name = placeholder(r.Address + ".bucket")
			s.untied = b.untie(r, v).why
		}
		s.bucket = name
		if i, ok := index[name]; ok {
			if out[i].inline && !s.inline {
				out[i] = s
			}
			continue
		}
		index[name] = len(out)
		out = append(out, s)
	}
	return out
}

func (b *builder) snapshot(src source) *snapshot.Snapshot {
	s := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion}
	b.snap = s
	b.origins = &snapshot.Origins{Replication: src.res.Address, Buckets: map[string]snapshot.BucketOrigins{},
		Roles: map[string]snapshot.RoleOrigins{}, Keys: map[string]string{}}
	s.Origins = b.origins
	s.Replication = b.replication(src)
	if src.untied != nil {
		// Which bucket it configures decides every check: the role's
		// permissions are for named buckets.
		s.Replication = snapshot.UnknownFact[snapshot.ReplicationConfiguration](src.untied)
	}
	s.Source = b.bucket(src.bucket, snapshot.Fact[string]{})
	if src.untied != nil {
		unknownAll(&s.Source, src.untied)
	}
	if s.Replication.IsKnown() {
		cfg := &s.Replication.Value
		var names []string
		accounts := map[string]snapshot.Fact[string]{}
		for _, rule := range cfg.Rules {
			name, _ := snapshot.BucketFromARN(rule.Destination.Bucket)
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
			if rule.Destination.Account != "" {
				accounts[name] = snapshot.KnownFact(rule.Destination.Account)
			}
		}
		for _, n := range names {
			s.Destinations = append(s.Destinations, b.bucket(n, accounts[n]))
		}
		s.Roles = []snapshot.Role{b.role(cfg.Role)}
		s.KMSKeys = b.keys(s)
	}
	s.Changes = b.changes(src)
	s.SimulatorUnavailable = &snapshot.FactError{Operation: "iam:SimulatePrincipalPolicy", Code: CodeNotInPlan,
		Message: "a plan is checked without the simulator: replcheck's local engine decides every permission"}
	return s
}

// planned returns the first planned resource of a type that configures
// bucket name.
func (b *builder) planned(name, typ string) *Resource {
	for _, r := range b.byBucket[name] {
		if r.Type == typ {
			return r
		}
	}
	return nil
}

// policyDoc turns a policy attribute into a fact: a JSON string holding
// the document, Absent when empty.
func policyDoc(v Value) snapshot.Fact[snapshot.PolicyDocument] {
	if !v.Known {
		return unknownFact[snapshot.PolicyDocument](v)
	}
	s, _ := v.V.(string)
	if strings.TrimSpace(s) == "" {
		return snapshot.AbsentFact[snapshot.PolicyDocument]()
	}
	if _, err := policy.Parse([]byte(s)); err != nil {
		return snapshot.UnknownFact[snapshot.PolicyDocument](&snapshot.FactError{Operation: planOperation, Code: "MalformedPolicy",
			Message: "the policy document is not one AWS accepts: " + err.Error()})
	}
	raw, _ := json.Marshal(s) // a string always marshals
	return snapshot.KnownFact(snapshot.PolicyDocument(raw))
}
