// Package generate writes the least-privilege policies that make a
// replication configuration work, and proves them with the checks.
//
// The policies are the checks turned around. Every permission check asks
// the policy engine questions ("may the replication role do A on R, with
// the context S3 sends?"); Generate runs the checks on the snapshot with
// the roles' policies opened up, collects every question they ask, and
// grants each one with the least statement that allows it
// (checks.Question.IdentityStatement and ResourceStatement): in the role's
// policy always, and in a bucket or key policy when that policy does not
// already let the request through. Statements are then merged without
// granting any action on any resource that no question asked for.
//
// Verify is the proof: with the generated policies in place of the roles'
// policies, and added to the buckets' and keys' policies, every
// permission check must pass, and dropping any one statement must make a
// check fail (or warn, for the permissions on which AWS's pages disagree).
package generate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Options are the choices of a generation.
type Options struct {
	// Batch also writes the Batch Operations job role's policies, for S3
	// Batch Replication.
	Batch bool
	// NoTrustConditions leaves aws:SourceAccount and aws:SourceArn out of
	// the trust policies.
	NoTrustConditions bool
}

// Policies are the generated policies, as 'replcheck policy generate'
// prints them.
type Policies struct {
	// Source is the source bucket's ARN.
	Source string `json:"source"`
	// Role is the replication role the configuration names.
	Role string `json:"role"`
	// RoleTrustPolicy replaces the replication role's trust policy.
	RoleTrustPolicy *checks.IAMPolicy `json:"roleTrustPolicy"`
	// RolePolicy replaces the replication role's identity policies.
	RolePolicy *checks.IAMPolicy `json:"rolePolicy"`
	// SourceBucketPolicy holds the statements to add to the source
	// bucket's policy, when a role of another account reads it.
	SourceBucketPolicy *ResourceStatements `json:"sourceBucketPolicy,omitempty"`
	// DestinationBucketPolicies hold the statements to add to the
	// destination buckets' policies (across accounts).
	DestinationBucketPolicies []ResourceStatements `json:"destinationBucketPolicies"`
	// KeyPolicyStatements hold the statements to add to KMS key policies.
	KeyPolicyStatements []ResourceStatements `json:"keyPolicyStatements"`
	// BatchRole is the Batch Operations job role, with Batch.
	BatchRole string `json:"batchRole,omitempty"`
	// BatchRoleTrustPolicy replaces the job role's trust policy when it is
	// not the replication role (whose trust policy then trusts both).
	BatchRoleTrustPolicy *checks.IAMPolicy `json:"batchRoleTrustPolicy,omitempty"`
	// BatchRolePolicy is the job role's identity policy; null without
	// Batch.
	BatchRolePolicy *checks.IAMPolicy `json:"batchRolePolicy"`
	// Notes say what the policies leave out and why, and what they cannot
	// fix.
	Notes []string `json:"notes"`
	// Verification is the proof, when it was asked for.
	Verification *Proof `json:"verification,omitempty"`

	// roles and existing describe what is in place today, for the
	// formats that apply the policies.
	roles    map[string]roleState
	existing map[string]snapshot.Fact[snapshot.PolicyDocument]
}

// ResourceStatements are the statements to add to one bucket or key
// policy.
type ResourceStatements struct {
	// Bucket or Key is the ARN of the bucket or KMS key.
	Bucket string `json:"bucket,omitempty"`
	Key    string `json:"key,omitempty"`
	// Account owns it ("" when that is unknown).
	Account string `json:"account"`
	// ExistingPolicy says whether the statements join a policy in place
	// ("known"), start a new one ("absent"), or join a policy that could
	// not be read ("unknown").
	ExistingPolicy snapshot.State `json:"existingPolicy"`
	// Statements are the statements to add.
	Statements []checks.Statement `json:"statements"`
}

// target is the ARN of the bucket or key.
func (r *ResourceStatements) target() string {
	if r.Key != "" {
		return r.Key
	}
	return r.Bucket
}

// roleState is what is known of a role today.
type roleState struct {
	exists          snapshot.Fact[bool]
	inline, managed []string // the names of its identity policies
}

// The names of the inline policies the generated identity policies become.
const (
	rolePolicyName  = "replcheck-replication"
	batchPolicyName = "replcheck-batch-replication"
)

// Service principals that assume the roles.
const (
	s3Service    = "s3.amazonaws.com"
	batchService = "batchoperations.s3.amazonaws.com"
)

// Generate writes the least-privilege policies for the snapshot's
// replication configuration. The snapshot must have a replication
// configuration (the source bucket's, or one proposed with --config).
func Generate(s *snapshot.Snapshot, opt Options) (*Policies, error) {
	cfg, err := configuration(s)
	if err != nil {
		return nil, err
	}
	p := &Policies{
		Source:                    "arn:aws:s3:::" + s.Source.Name,
		Role:                      cfg.Role,
		DestinationBucketPolicies: []ResourceStatements{},
		KeyPolicyStatements:       []ResourceStatements{},
		Notes:                     []string{},
		roles:                     map[string]roleState{},
		existing:                  map[string]snapshot.Fact[snapshot.PolicyDocument]{},
	}
	if opt.Batch {
		p.BatchRole = cfg.Role
		if s.Batch != nil && s.Batch.RoleARN != "" {
			p.BatchRole = s.Batch.RoleARN
		} else {
			p.note("no Batch Operations job role was named (--batch-role), so the replication role %s is the job role too, as in AWS's example that uses one role for both", cfg.Role)
		}
	}
	g := &generator{snap: s, opt: opt, cfg: cfg, p: p}
	if err := g.run(); err != nil {
		return nil, err
	}
	return p, nil
}

// configuration returns the snapshot's replication configuration, or an
// error saying there is none to generate policies for.
func configuration(s *snapshot.Snapshot) (*snapshot.ReplicationConfiguration, error) {
	switch {
	case s.Replication.IsKnown():
		return &s.Replication.Value, nil
	case s.Replication.IsAbsent():
		return nil, fmt.Errorf("source bucket %s has no replication configuration to generate policies for", s.Source.Name)
	}
	return nil, fmt.Errorf("the replication configuration of source bucket %s could not be read: %s", s.Source.Name, s.Replication.Why())
}

// note adds a note.
func (p *Policies) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !slices.Contains(p.Notes, n) {
		p.Notes = append(p.Notes, n)
	}
}

// trustPolicy is the trust policy that lets services assume a role. With
// conditions, each service may assume it only on behalf of the source
// bucket's account (aws:SourceAccount) and, for S3 replication, the source
// bucket (aws:SourceArn): the confused-deputy protection AWS recommends
// for service roles (IAM User Guide, confused-deputy.html).
func trustPolicy(services []string, srcAccount, srcARN string, conditions bool) *checks.IAMPolicy {
	doc := checks.NewIAMPolicy()
	for _, svc := range services {
		st := checks.Statement{Effect: "Allow", Principal: map[string][]string{"Service": {svc}}, Action: []string{"sts:AssumeRole"}}
		switch svc {
		case s3Service:
			st.Sid = "S3Replication"
		case batchService:
			st.Sid = "S3BatchOperations"
		}
		if conditions {
			st.Condition = map[string]map[string][]string{}
			if srcAccount != "" {
				st.Condition["StringEquals"] = map[string][]string{"aws:SourceAccount": {srcAccount}}
			}
			if svc == s3Service {
				st.Condition["ArnLike"] = map[string][]string{"aws:SourceArn": {srcARN}}
			}
			if len(st.Condition) == 0 {
				st.Condition = nil
			}
		}
		doc.Statement = append(doc.Statement, st)
	}
	return doc
}

// roleNameAndPath splits a role ARN into its name and path ("/" when it
// has none).
func roleNameAndPath(roleARN string) (name, path string) {
	a, _ := arn.Parse(roleARN)
	res := strings.TrimPrefix(a.Resource, "role")
	i := strings.LastIndexByte(res, '/')
	if i < 0 {
		return res, "/"
	}
	return res[i+1:], res[:i+1]
}
