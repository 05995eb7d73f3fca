package tfplan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// load decodes a plan fixture of fixtures/plans.
func load(t *testing.T, name string) *Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../fixtures/plans", name, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDecodeErrorsNameThePath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`[]`, `got an array, want a Terraform plan object`},
		{`{}`, `format_version: required`},
		{`{"format_version": 1}`, `format_version: got a number, want a string`},
		{`{"format_version": "0.2", "planned_values": {}}`, `format_version: "0.2" is not supported`},
		{`{"format_version": "1.0", "values": {}}`, `planned_values: required: this looks like`},
		{`{"format_version": "1.2", "resource_changes": {}}`, `resource_changes: got an object, want an array`},
		{`{"format_version": "1.2", "resource_changes": [{"type": "aws_s3_bucket", "name": "b"}]}`, `resource_changes[0].address: required`},
		{`{"format_version": "1.2", "planned_values": {}, "configuration": {"root_module": {"resources": [{"address": "a_b.c", "expressions": {"bucket": "x"}}]}}}`,
			`configuration.root_module.resources[0].expressions.bucket: got a string, want an object`},
		{`{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"resources": [{"address": 7}]}]}}}`,
			`planned_values.root_module.child_modules[0].resources[0].address: got a number, want a string`},
		{`{"format_version": "1.2"} {}`, `not JSON: more than one value`},
	} {
		_, err := Decode([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Decode(%s) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

func TestExprTarget(t *testing.T) {
	for _, tc := range []struct {
		refs []string
		want string
		ok   bool
	}{
		{[]string{"aws_iam_role.replication.arn", "aws_iam_role.replication"}, "aws_iam_role.replication.arn", true},
		{[]string{"var.name"}, "var.name", true},
		{[]string{"module.dr.arn", "module.dr"}, "module.dr.arn", true},
		{[]string{"var.a", "var.b"}, "", false},
		{nil, "", false},
	} {
		got, ok := Expr{References: tc.refs}.Target()
		if got != tc.want || ok != tc.ok {
			t.Errorf("Target(%q) = %q, %v; want %q, %v", tc.refs, got, ok, tc.want, tc.ok)
		}
	}
}

// TestGetFollowsReferences resolves values that are unknown in a
// greenfield plan's `after` through the configuration.
func TestGetFollowsReferences(t *testing.T) {
	for _, tc := range []struct {
		plan, address string
		path          []any
		want          string
	}{
		// A role ARN from the provider's account, the path and the name.
		{"greenfield-correct", "aws_s3_bucket_replication_configuration.this", []any{"role"}, "arn:aws:iam::123456789012:role/gc-replication"},
		// A bucket ARN from its name, through an aliased provider.
		{"greenfield-correct", "aws_s3_bucket_replication_configuration.this", []any{"rule", 0, "destination", 0, "bucket"}, "arn:aws:s3:::gc-destination"},
		// Through a module output, and the module's variable.
		{"modules-twice", "aws_s3_bucket_replication_configuration.this", []any{"rule", 0, "destination", 0, "bucket"}, "arn:aws:s3:::mt-destination"},
		{"modules-twice", "aws_s3_bucket_replication_configuration.this", []any{"bucket"}, "mt-source"},
		// The destination account from data.aws_caller_identity of an
		// assume_role provider.
		{"cross-account", "aws_s3_bucket_replication_configuration.this", []any{"rule", 0, "destination", 0, "account"}, "222222222222"},
	} {
		p := load(t, tc.plan)
		r := p.Resource(tc.address)
		if r == nil {
			t.Fatalf("%s: no %s", tc.plan, tc.address)
		}
		if got, ok := p.Get(r, tc.path...).Str(); !ok || got != tc.want {
			t.Errorf("%s: %s%s = %q (known %v), want %q", tc.plan, tc.address, pathString(tc.path), got, ok, tc.want)
		}
	}
}

func TestGetLeavesTheUnknownPending(t *testing.T) {
	p := load(t, "sse-kms-new-replica-key")
	v := p.Get(p.Resource("aws_s3_bucket_replication_configuration.this"), "rule", 0, "destination", 0, "encryption_configuration", 0, "replica_kms_key_id")
	if v.Known || v.Pending != "aws_kms_key.replica.arn" {
		t.Errorf("replica key = %+v, want pending aws_kms_key.replica.arn", v)
	}
}

func TestRegionAndAccountOfProviders(t *testing.T) {
	p := load(t, "cross-account")
	dst := p.Resource("aws_s3_bucket.destination")
	if r, _ := p.Region(dst).Str(); r != "us-west-2" {
		t.Errorf("region = %q", r)
	}
	if a, _ := p.Account(dst).Str(); a != "222222222222" {
		t.Errorf("account = %q", a)
	}
	if a, _ := p.Account(p.Resource("aws_s3_bucket.source")).Str(); a != "123456789012" {
		t.Errorf("source account = %q", a)
	}
}

// TestDependsOn follows depends_on and references transitively.
func TestDependsOn(t *testing.T) {
	ordered := load(t, "greenfield-correct")
	deps := ordered.DependsOn(ordered.Resource("aws_s3_bucket_replication_configuration.this"))
	for _, want := range []string{"aws_s3_bucket_versioning.source", "aws_s3_bucket_versioning.destination", "aws_iam_role.replication", "data.aws_iam_policy_document.assume"} {
		if !slices.Contains(deps, want) {
			t.Errorf("greenfield-correct: the configuration does not depend on %s: %v", want, deps)
		}
	}
	unordered := load(t, "replication-before-versioning")
	deps = unordered.DependsOn(unordered.Resource("aws_s3_bucket_replication_configuration.this"))
	if slices.Contains(deps, "aws_s3_bucket_versioning.source") || !slices.Contains(deps, "aws_s3_bucket.source") {
		t.Errorf("replication-before-versioning: dependencies %v", deps)
	}
	mods := load(t, "modules-twice")
	deps = mods.DependsOn(mods.Resource("aws_s3_bucket_replication_configuration.this"))
	if !slices.Contains(deps, "module.destination.aws_s3_bucket_versioning.this") {
		t.Errorf("modules-twice: depends_on = [module.destination] must reach its versioning: %v", deps)
	}
}

// only builds a plan's one snapshot.
func only(t *testing.T, name string) *snapshot.Snapshot {
	t.Helper()
	snaps := Build(load(t, name), nil)
	if len(snaps) != 1 {
		t.Fatalf("%s: %d snapshots, want 1", name, len(snaps))
	}
	if err := snaps[0].Validate(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return snaps[0]
}

func TestBuild(t *testing.T) {
	s := only(t, "brownfield-suspend-versioning")
	if v := s.Destinations[0].Versioning; !v.IsKnown() || v.Value != "Suspended" {
		t.Errorf("the planned aws_s3_bucket_versioning must win over the bucket's computed block: %+v", v)
	}
	if o := s.Origins.Buckets["bsv-destination"]; o.Versioning != "aws_s3_bucket_versioning.destination" || o.Bucket != "aws_s3_bucket.destination" {
		t.Errorf("origins = %+v", o)
	}
	if own := s.Source.Ownership; !own.IsUnknown() || own.Error.Code != CodeNotInPlan {
		t.Errorf("an existing bucket's ownership is not in the plan: %+v", own)
	}

	s = only(t, "greenfield-correct")
	if enc := s.Source.Encryption; !enc.IsKnown() || enc.Value.Algorithm != "AES256" {
		t.Errorf("a new bucket is encrypted with SSE-S3 by default: %+v", enc)
	}
	if own := s.Source.Ownership; !own.IsKnown() || own.Value != "BucketOwnerEnforced" {
		t.Errorf("a new bucket enforces bucket ownership by default: %+v", own)
	}
	if s.Changes.Replication == nil || s.Changes.Replication.Action != "create" || len(s.Changes.Versioning) != 2 {
		t.Errorf("changes = %+v", s.Changes)
	}
	if r := s.Replication.Value.Rules[0]; r.Priority == nil || *r.Priority != 1 || r.Filter == nil || r.Filter.Prefix == nil || *r.Filter.Prefix != "" {
		t.Errorf("rule = %+v", r)
	}

	s = only(t, "legacy-inline")
	if r := s.Replication.Value.Rules[0]; r.IsV2() || r.Prefix == nil || *r.Prefix != "logs/" || s.Origins.Replication != "aws_s3_bucket.source" {
		t.Errorf("the legacy block gives a V1 rule: %+v", r)
	}

	s = only(t, "role-inline-managed")
	for _, bk := range []snapshot.Bucket{s.Source, s.Destinations[0]} {
		if ol := bk.ObjectLock; !ol.IsKnown() || !ol.Value.Enabled {
			t.Errorf("%s: the legacy object_lock_configuration block enables Object Lock even though the plan leaves object_lock_enabled unknown: %+v", bk.Name, ol)
		}
	}
	if ol := s.Source.ObjectLock.Value; ol.DefaultMode != "GOVERNANCE" || ol.DefaultDays != 30 {
		t.Errorf("the legacy block's default retention = %+v", ol)
	}
	if enc := s.Source.Encryption; !enc.IsKnown() || enc.Value.Algorithm != "aws:kms" || enc.Value.KMSKeyID != "" {
		t.Errorf("the legacy server_side_encryption_configuration block sets SSE-KMS with the AWS managed key: %+v", enc)
	}

	s = only(t, "sse-kms-new-replica-key")
	id := s.Replication.Value.Rules[0].Destination.EncryptionConfiguration.ReplicaKmsKeyID
	if !IsPlaceholder(id) || !strings.HasPrefix(id, "arn:aws:kms:us-west-2:123456789012:key/") {
		t.Errorf("replica key = %q, want a placeholder key ARN in the key's Region and account", id)
	}
	i := slices.IndexFunc(s.KMSKeys, func(k snapshot.KMSKey) bool { return k.ARN == id })
	if i < 0 || !s.KMSKeys[i].Metadata.IsUnknown() || s.KMSKeys[i].Metadata.Error.Code != CodeKnownAfterApply {
		t.Errorf("the key known only after apply must be Unknown: %+v", s.KMSKeys)
	}
	if s.Origins.Keys[id] != "aws_kms_key.replica" {
		t.Errorf("key origins = %v", s.Origins.Keys)
	}

	s = only(t, "unmanaged-destination")
	if d := s.Destinations[0]; !d.Exists.IsUnknown() || d.Exists.Error.Code != CodeNotInPlan {
		t.Errorf("a bucket the plan does not manage is Unknown: %+v", d.Exists)
	}
}

// fakeOutside answers for what the plan does not manage.
type fakeOutside struct{ asked []string }

func (f *fakeOutside) Bucket(name string) snapshot.Bucket {
	f.asked = append(f.asked, "bucket "+name)
	return snapshot.Bucket{Name: name, Exists: snapshot.KnownFact(false)}
}
func (f *fakeOutside) Role(arn string) snapshot.Role {
	f.asked = append(f.asked, "role "+arn)
	return snapshot.Role{ARN: arn}
}
func (f *fakeOutside) Key(id, _, _ string) snapshot.KMSKey {
	f.asked = append(f.asked, "key "+id)
	return snapshot.KMSKey{ARN: id}
}
func (f *fakeOutside) Policy(arn string) snapshot.Fact[snapshot.NamedPolicy] {
	f.asked = append(f.asked, "policy "+arn)
	return snapshot.AbsentFact[snapshot.NamedPolicy]()
}

// TestOutsideReadsOnlyWhatThePlanDoesNotDecide: the plan decides the
// source bucket and the role; only the unmanaged destination is asked.
func TestOutsideReadsOnlyWhatThePlanDoesNotDecide(t *testing.T) {
	out := &fakeOutside{}
	snaps := Build(load(t, "unmanaged-destination"), out)
	if !slices.Equal(out.asked, []string{"bucket ud-elsewhere"}) {
		t.Errorf("asked %q, want only the destination bucket", out.asked)
	}
	if d := snaps[0].Destinations[0]; !d.Exists.IsKnown() || d.Exists.Value {
		t.Errorf("the live answer must replace the unmanaged facts: %+v", d.Exists)
	}
	if v := snaps[0].Source.Versioning; !v.IsKnown() || v.Value != "Enabled" {
		t.Errorf("the plan's own facts must stay: %+v", v)
	}
}

func TestLocator(t *testing.T) {
	p := load(t, "modules-twice")
	l := NewLocator(p, "../../fixtures/plans/modules-twice")
	file, line, ok := l.Locate("module.destination.aws_s3_bucket_versioning.this")
	if !ok || filepath.ToSlash(file) != "../../fixtures/plans/modules-twice/modules/bucket/main.tf" || line != 14 {
		t.Errorf("Locate = %s:%d %v", file, line, ok)
	}
	if _, _, ok := l.Locate("aws_s3_bucket.nowhere"); ok {
		t.Error("an unknown address was located")
	}
}

// TestReferenceCycles: a plan whose references go round in circles
// resolves to pending values, in bounded time.
func TestReferenceCycles(t *testing.T) {
	data, err := os.ReadFile("testdata/cycle.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	r := p.Resource("aws_s3_bucket_replication_configuration.r")
	if v := p.Get(r, "role"); v.Known {
		t.Errorf("role = %+v, want pending", v)
	}
	if v := p.Region(p.Resource("aws_s3_bucket.x")); v.Known {
		t.Errorf("region = %+v, want pending", v)
	}
	Build(p, nil)
}
