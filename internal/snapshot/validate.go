package snapshot

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/strictjson"
	"github.com/replcheck/replcheck/policy"
)

// Validate checks what JSON types cannot: required names, ARN forms, and
// that every policy document parses. Errors are *strictjson.Error naming
// the field.
func (s *Snapshot) Validate() error {
	switch {
	case s.IsAccount():
		if !s.Source.Account.IsKnown() || !isAccountID(s.Source.Account.Value) {
			return fieldError("source.account", "a snapshot without a source bucket name stands for an account: its 12-digit ID is required")
		}
	case s.AccountListing != nil:
		return fieldError("accountListing", "only a snapshot of an account (no source.name) says its buckets could not be listed")
	default:
		if err := s.Source.validate("source"); err != nil {
			return err
		}
	}
	for i := range s.Destinations {
		if err := s.Destinations[i].validate(fmt.Sprintf("destinations[%d]", i)); err != nil {
			return err
		}
	}
	if s.Replication.IsKnown() {
		if err := s.Replication.Value.validate(); err != nil {
			return prefixed("replication.value", err)
		}
	}
	for i, r := range s.Roles {
		path := fmt.Sprintf("roles[%d]", i)
		if !IsRoleARN(r.ARN) {
			return fieldError(path+".arn", "%q is not an IAM role ARN (want arn:aws:iam::ACCOUNT:role/NAME)", r.ARN)
		}
		if err := checkPolicy(r.TrustPolicy, path+".trustPolicy.value"); err != nil {
			return err
		}
		if err := checkNamedPolicies(r.InlinePolicies, path+".inlinePolicies.value"); err != nil {
			return err
		}
		if err := checkNamedPolicies(r.ManagedPolicies, path+".managedPolicies.value"); err != nil {
			return err
		}
		if r.PermissionsBoundary.IsKnown() {
			if err := parsePolicy(r.PermissionsBoundary.Value.Document, path+".permissionsBoundary.value.document"); err != nil {
				return err
			}
		}
	}
	for i, a := range s.Accounts {
		path := fmt.Sprintf("accounts[%d]", i)
		if !isAccountID(a.ID) {
			return fieldError(path+".id", "%q is not a 12-digit account ID", a.ID)
		}
		if err := checkLevels(a.SCPs, path+".scps.value"); err != nil {
			return err
		}
		if err := checkLevels(a.RCPs, path+".rcps.value"); err != nil {
			return err
		}
	}
	for i, k := range s.KMSKeys {
		path := fmt.Sprintf("kmsKeys[%d]", i)
		if !strings.HasPrefix(k.ARN, "arn:") || !strings.Contains(k.ARN, ":kms:") {
			return fieldError(path+".arn", "%q is not a KMS key ARN", k.ARN)
		}
		if err := checkPolicy(k.Policy, path+".policy.value"); err != nil {
			return err
		}
	}
	for i, o := range s.Objects {
		path := fmt.Sprintf("objects[%d]", i)
		if o.Key == "" {
			return fieldError(path+".key", "required")
		}
		if o.TagsError != nil && len(o.Tags) > 0 {
			return fieldError(path+".tags", "a version whose tags could not be read (tagsError) has no tags")
		}
	}
	if s.Batch != nil && !IsRoleARN(s.Batch.RoleARN) {
		return fieldError("batch.roleArn", "%q is not an IAM role ARN", s.Batch.RoleARN)
	}
	for i, sim := range s.Simulations {
		var d policy.Decision
		if err := d.UnmarshalText([]byte(sim.Decision)); err != nil {
			return fieldError(fmt.Sprintf("simulations[%d].decision", i), "%v", err)
		}
	}
	return s.Changes.validate()
}

func (b *Bucket) validate(path string) error {
	if b.Name == "" || strings.ContainsAny(b.Name, ":/") {
		return fieldError(path+".name", "%q is not a bucket name", b.Name)
	}
	if b.Policy.IsKnown() {
		return parsePolicy(b.Policy.Value, path+".policy.value")
	}
	return nil
}

// validate checks the shape every replication configuration must have.
// Semantic rules that PutBucketReplication enforces (schema versions,
// priorities, …) are checks, reported as findings.
func (c *ReplicationConfiguration) validate() error {
	if !IsRoleARN(c.Role) {
		return fieldError("Role", "%q is not an IAM role ARN (want arn:aws:iam::ACCOUNT:role/NAME)", c.Role)
	}
	if len(c.Rules) == 0 {
		return fieldError("Rules", "a replication configuration needs at least one rule")
	}
	for i, r := range c.Rules {
		path := fmt.Sprintf("Rules[%d]", i)
		if r.Status != "Enabled" && r.Status != "Disabled" {
			return fieldError(path+".Status", "%q is not Enabled or Disabled", r.Status)
		}
		if _, ok := BucketFromARN(r.Destination.Bucket); !ok {
			return fieldError(path+".Destination.Bucket", "%q is not a bucket ARN (want arn:aws:s3:::BUCKET)", r.Destination.Bucket)
		}
	}
	return nil
}

// BucketFromARN returns the bucket name of arn:PARTITION:s3:::NAME.
func BucketFromARN(s string) (string, bool) {
	a, ok := arn.Parse(s)
	if !ok || a.Service != "s3" || a.Region != "" || a.Account != "" || a.Resource == "" || strings.Contains(a.Resource, "/") {
		return "", false
	}
	return a.Resource, true
}

// IsRoleARN reports whether s is an IAM role ARN,
// arn:PARTITION:iam::ACCOUNT:role/NAME (a path may precede NAME).
func IsRoleARN(s string) bool {
	a, ok := arn.Parse(s)
	return ok && a.Service == "iam" && isAccountID(a.Account) && strings.HasPrefix(a.Resource, "role/") && len(a.Resource) > len("role/")
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func checkPolicy(f Fact[PolicyDocument], path string) error {
	if !f.IsKnown() {
		return nil
	}
	return parsePolicy(f.Value, path)
}

func checkNamedPolicies(f Fact[[]NamedPolicy], path string) error {
	if !f.IsKnown() {
		return nil
	}
	for i, p := range f.Value {
		if err := parsePolicy(p.Document, fmt.Sprintf("%s[%d].document", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func checkLevels(f Fact[[][]NamedPolicy], path string) error {
	if !f.IsKnown() {
		return nil
	}
	for l, level := range f.Value {
		for m, p := range level {
			if err := parsePolicy(p.Document, fmt.Sprintf("%s[%d][%d].document", path, l, m)); err != nil {
				return err
			}
		}
	}
	return nil
}

// parsePolicy checks that a document parses, naming the field inside it.
func parsePolicy(doc PolicyDocument, path string) error {
	if _, err := policy.Parse(doc); err != nil {
		if pe, ok := err.(*policy.ParseError); ok {
			return &strictjson.Error{Path: strictjson.Join(path, pe.Path), Msg: pe.Msg}
		}
		return &strictjson.Error{Path: path, Msg: err.Error()}
	}
	return nil
}

func fieldError(path, format string, args ...any) error {
	return &strictjson.Error{Path: path, Msg: fmt.Sprintf(format, args...)}
}

func prefixed(prefix string, err error) error {
	if se, ok := err.(*strictjson.Error); ok {
		return &strictjson.Error{Path: strictjson.Join(prefix, se.Path), Msg: se.Msg}
	}
	return err
}
