package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// The two accounts of every scenario. The CLI's static credentials land in
// moto's default account, so that is the source account; the destination
// account is reached with the x-moto-account-id header during set-up and
// with --destination-role by the CLI.
const (
	srcAccount = "123456789012"
	dstAccount = "222222222222"
	home       = "us-east-1"
	away       = "us-west-2"
)

// world builds AWS state in moto for one test. It is the only code in the
// repository that mutates AWS, and it lives in test files only.
type world struct {
	t        *testing.T
	ctx      context.Context
	endpoint string // moto, for set-up
	dir      string // the test's temporary directory (HOME of the CLI, configs, call logs)
}

// newWorld resets moto and returns an empty world.
func newWorld(t *testing.T) *world {
	t.Helper()
	requireMoto(t)
	if err := moto.Reset(); err != nil {
		t.Fatalf("reset moto: %v", err)
	}
	return &world{t: t, ctx: context.Background(), endpoint: moto.Endpoint, dir: t.TempDir()}
}

// config is an SDK configuration acting in account, in region.
func (w *world) config(account, region string) aws.Config {
	return aws.Config{
		Region:           region,
		BaseEndpoint:     aws.String(w.endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider("setup", "setup", ""),
		RetryMaxAttempts: 1,
		APIOptions: []func(*middleware.Stack) error{
			smithyhttp.SetHeaderValue("x-moto-account-id", account),
		},
	}
}

func (w *world) s3(account, region string) *s3.Client {
	return s3.NewFromConfig(w.config(account, region), func(o *s3.Options) { o.UsePathStyle = true })
}

func (w *world) iam(account string) *iam.Client { return iam.NewFromConfig(w.config(account, home)) }

func (w *world) kms(account, region string) *kms.Client {
	return kms.NewFromConfig(w.config(account, region))
}

// must fails the test on a set-up error.
func (w *world) must(what string, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("set-up: %s: %v", what, err)
	}
}

// bucketSpec describes a bucket; the zero options give a healthy bucket:
// versioning Enabled and BucketOwnerEnforced ownership (AWS's default for
// new buckets, which moto lacks).
type bucketSpec struct {
	account, region string
	versioning      s3types.BucketVersioningStatus // "" leaves versioning never enabled
	objectLock      bool
	ownership       s3types.ObjectOwnership // "" sets no ownership controls
	policy          string
	kmsKey          string // default SSE-KMS encryption with this key
	noncurrentDays  int32  // a lifecycle rule expiring noncurrent versions after this many days
}

// bucketOpt changes a bucketSpec.
type bucketOpt func(*bucketSpec)

// in puts the bucket in another account or Region.
func in(account, region string) bucketOpt {
	return func(b *bucketSpec) { b.account, b.region = account, region }
}

// unversioned leaves versioning never enabled.
func unversioned() bucketOpt { return func(b *bucketSpec) { b.versioning = "" } }

// suspended enables versioning, then suspends it.
func suspended() bucketOpt {
	return func(b *bucketSpec) { b.versioning = s3types.BucketVersioningStatusSuspended }
}

// objectLocked creates the bucket with Object Lock enabled.
func objectLocked() bucketOpt { return func(b *bucketSpec) { b.objectLock = true } }

// objectWriter sets no ownership controls (moto's and pre-2023 AWS's
// ObjectWriter default: ACLs are in force).
func objectWriter() bucketOpt { return func(b *bucketSpec) { b.ownership = "" } }

// withPolicy sets a bucket policy.
func withPolicy(doc string) bucketOpt { return func(b *bucketSpec) { b.policy = doc } }

// expireNoncurrent adds a lifecycle rule that expires noncurrent versions
// after days.
func expireNoncurrent(days int32) bucketOpt { return func(b *bucketSpec) { b.noncurrentDays = days } }

// defaultKMS sets default SSE-KMS encryption with key.
func defaultKMS(key string) bucketOpt { return func(b *bucketSpec) { b.kmsKey = key } }

// bucket creates a bucket (in srcAccount and us-east-1 unless an option
// says otherwise).
func (w *world) bucket(name string, opts ...bucketOpt) {
	w.t.Helper()
	b := bucketSpec{account: srcAccount, region: home, versioning: s3types.BucketVersioningStatusEnabled, ownership: s3types.ObjectOwnershipBucketOwnerEnforced}
	for _, o := range opts {
		o(&b)
	}
	c := w.s3(b.account, b.region)
	in := &s3.CreateBucketInput{Bucket: &name}
	if b.region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(b.region)}
	}
	if b.objectLock {
		in.ObjectLockEnabledForBucket = aws.Bool(true) // moto enables versioning with it, as AWS does
	}
	_, err := c.CreateBucket(w.ctx, in)
	w.must("create bucket "+name, err)
	switch {
	case b.versioning == s3types.BucketVersioningStatusSuspended:
		w.versioning(c, name, s3types.BucketVersioningStatusEnabled)
		w.versioning(c, name, s3types.BucketVersioningStatusSuspended)
	case b.versioning != "" && !b.objectLock:
		w.versioning(c, name, b.versioning)
	}
	if b.ownership != "" {
		_, err := c.PutBucketOwnershipControls(w.ctx, &s3.PutBucketOwnershipControlsInput{Bucket: &name,
			OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: b.ownership}}}})
		w.must("ownership controls of "+name, err)
	}
	if b.policy != "" {
		_, err := c.PutBucketPolicy(w.ctx, &s3.PutBucketPolicyInput{Bucket: &name, Policy: &b.policy})
		w.must("policy of "+name, err)
	}
	if b.kmsKey != "" {
		_, err := c.PutBucketEncryption(w.ctx, &s3.PutBucketEncryptionInput{Bucket: &name,
			ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: &b.kmsKey},
			}}}})
		w.must("default encryption of "+name, err)
	}
	if b.noncurrentDays > 0 {
		_, err := c.PutBucketLifecycleConfiguration(w.ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: &name,
			LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{
				ID: aws.String("expire-noncurrent"), Status: s3types.ExpirationStatusEnabled, Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("")},
				NoncurrentVersionExpiration: &s3types.NoncurrentVersionExpiration{NoncurrentDays: &b.noncurrentDays},
			}}}})
		w.must("lifecycle of "+name, err)
	}
}

func (w *world) versioning(c *s3.Client, name string, status s3types.BucketVersioningStatus) {
	w.t.Helper()
	_, err := c.PutBucketVersioning(w.ctx, &s3.PutBucketVersioningInput{Bucket: &name,
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: status}})
	w.must("versioning of "+name, err)
}

// object puts an object into a bucket of srcAccount in us-east-1.
func (w *world) object(bucket, key string, class s3types.StorageClass) {
	w.t.Helper()
	_, err := w.s3(srcAccount, home).PutObject(w.ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key,
		Body: strings.NewReader("replcheck e2e"), StorageClass: class})
	w.must("put object "+bucket+"/"+key, err)
}

// roleSpec describes an IAM role.
type roleSpec struct {
	account  string
	path     string
	service  string // trusted to assume the role
	policy   string // inline policy
	boundary string // permissions boundary document
}

// roleOpt changes a roleSpec.
type roleOpt func(*roleSpec)

// rolePath creates the role under a path (its ARN then holds the path).
func rolePath(p string) roleOpt { return func(r *roleSpec) { r.path = p } }

// trusting makes the trust policy name another service.
func trusting(service string) roleOpt { return func(r *roleSpec) { r.service = service } }

// inline sets the role's inline policy.
func inline(doc string) roleOpt { return func(r *roleSpec) { r.policy = doc } }

// boundary attaches a customer managed policy as permissions boundary.
func boundary(doc string) roleOpt { return func(r *roleSpec) { r.boundary = doc } }

// role creates a role in srcAccount trusted by S3 and returns its ARN as
// a configuration names it: arn:aws:iam::ACCOUNT:role/NAME, without the
// path (a path-less ARN of a role with a path does not name it).
func (w *world) role(name string, opts ...roleOpt) string {
	w.t.Helper()
	r := roleSpec{account: srcAccount, path: "/", service: "s3.amazonaws.com"}
	for _, o := range opts {
		o(&r)
	}
	c := w.iam(r.account)
	trust := policy(statement{Effect: "Allow", Principal: map[string]string{"Service": r.service}, Action: []string{"sts:AssumeRole"}})
	in := &iam.CreateRoleInput{RoleName: &name, Path: &r.path, AssumeRolePolicyDocument: &trust}
	if r.boundary != "" {
		out, err := c.CreatePolicy(w.ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name + "-boundary"), PolicyDocument: &r.boundary})
		w.must("create boundary policy", err)
		in.PermissionsBoundary = out.Policy.Arn
	}
	_, err := c.CreateRole(w.ctx, in)
	w.must("create role "+name, err)
	if r.policy != "" {
		_, err := c.PutRolePolicy(w.ctx, &iam.PutRolePolicyInput{RoleName: &name, PolicyName: aws.String("replication"), PolicyDocument: &r.policy})
		w.must("inline policy of "+name, err)
	}
	return "arn:aws:iam::" + r.account + ":role/" + name
}

// keySpec describes a KMS key.
type keySpec struct {
	account, region string
	state           kmstypes.KeyState
	policy          string // "" keeps KMS's default policy (the account's root)
	alias           string
}

// keyOpt changes a keySpec.
type keyOpt func(*keySpec)

// keyIn puts the key in another account or Region.
func keyIn(account, region string) keyOpt {
	return func(k *keySpec) { k.account, k.region = account, region }
}

// disabled disables the key.
func disabled() keyOpt { return func(k *keySpec) { k.state = kmstypes.KeyStateDisabled } }

// pendingDeletion schedules the key's deletion.
func pendingDeletion() keyOpt { return func(k *keySpec) { k.state = kmstypes.KeyStatePendingDeletion } }

// keyPolicy replaces the key policy.
func keyPolicy(doc string) keyOpt { return func(k *keySpec) { k.policy = doc } }

// alias names the key with an alias too.
func alias(name string) keyOpt { return func(k *keySpec) { k.alias = name } }

// key creates a symmetric KMS key (in srcAccount and us-east-1 unless an
// option says otherwise) and returns its ARN.
func (w *world) key(opts ...keyOpt) string {
	w.t.Helper()
	k := keySpec{account: srcAccount, region: home, state: kmstypes.KeyStateEnabled}
	for _, o := range opts {
		o(&k)
	}
	c := w.kms(k.account, k.region)
	out, err := c.CreateKey(w.ctx, &kms.CreateKeyInput{Description: aws.String("replcheck e2e")})
	w.must("create key", err)
	id := out.KeyMetadata.KeyId
	if k.policy != "" {
		_, err := c.PutKeyPolicy(w.ctx, &kms.PutKeyPolicyInput{KeyId: id, PolicyName: aws.String("default"), Policy: &k.policy})
		w.must("key policy", err)
	}
	if k.alias != "" {
		_, err := c.CreateAlias(w.ctx, &kms.CreateAliasInput{AliasName: &k.alias, TargetKeyId: id})
		w.must("alias", err)
	}
	switch k.state {
	case kmstypes.KeyStateDisabled:
		_, err := c.DisableKey(w.ctx, &kms.DisableKeyInput{KeyId: id})
		w.must("disable key", err)
	case kmstypes.KeyStatePendingDeletion:
		_, err := c.ScheduleKeyDeletion(w.ctx, &kms.ScheduleKeyDeletionInput{KeyId: id, PendingWindowInDays: aws.Int32(7)})
		w.must("schedule key deletion", err)
	}
	return *out.KeyMetadata.Arn
}

// replication puts a configuration on a source bucket of srcAccount in
// us-east-1. moto keeps Role and Destination faithfully but not Filter,
// DeleteMarkerReplication or SourceSelectionCriteria: scenarios that need
// those give the configuration with --config (configFile).
func (w *world) replication(bucket string, cfg snapshot.ReplicationConfiguration) {
	w.t.Helper()
	_, err := w.s3(srcAccount, home).PutBucketReplication(w.ctx, &s3.PutBucketReplicationInput{Bucket: &bucket, ReplicationConfiguration: toS3(cfg)})
	w.must("replication configuration of "+bucket, err)
}

// configFile writes a configuration as the bare JSON object that
// 'aws s3api put-bucket-replication --replication-configuration file://FILE'
// takes, and returns the file's path.
func (w *world) configFile(cfg snapshot.ReplicationConfiguration) string {
	w.t.Helper()
	data, err := json.MarshalIndent(cfg, "", "  ")
	w.must("encode configuration", err)
	file := filepath.Join(w.dir, "replication.json")
	w.must("write configuration", os.WriteFile(file, data, 0o644))
	return file
}

// toS3 converts a configuration to the SDK's shape.
func toS3(cfg snapshot.ReplicationConfiguration) *s3types.ReplicationConfiguration {
	out := &s3types.ReplicationConfiguration{Role: aws.String(cfg.Role)}
	for _, r := range cfg.Rules {
		rule := s3types.ReplicationRule{ID: aws.String(r.ID), Status: s3types.ReplicationRuleStatus(r.Status), Prefix: r.Prefix}
		if r.Priority != nil {
			rule.Priority = aws.Int32(int32(*r.Priority))
		}
		if r.Filter != nil {
			rule.Filter = &s3types.ReplicationRuleFilter{Prefix: r.Filter.Prefix}
		}
		if r.DeleteMarkerReplication != nil {
			rule.DeleteMarkerReplication = &s3types.DeleteMarkerReplication{Status: s3types.DeleteMarkerReplicationStatus(r.DeleteMarkerReplication.Status)}
		}
		d := r.Destination
		rule.Destination = &s3types.Destination{Bucket: aws.String(d.Bucket), StorageClass: s3types.StorageClass(d.StorageClass)}
		if d.Account != "" {
			rule.Destination.Account = aws.String(d.Account)
		}
		if d.AccessControlTranslation != nil {
			rule.Destination.AccessControlTranslation = &s3types.AccessControlTranslation{Owner: s3types.OwnerOverride(d.AccessControlTranslation.Owner)}
		}
		if d.EncryptionConfiguration != nil {
			rule.Destination.EncryptionConfiguration = &s3types.EncryptionConfiguration{ReplicaKmsKeyID: aws.String(d.EncryptionConfiguration.ReplicaKmsKeyID)}
		}
		if d.Metrics != nil {
			rule.Destination.Metrics = &s3types.Metrics{Status: s3types.MetricsStatus(d.Metrics.Status)}
		}
		out.Rules = append(out.Rules, rule)
	}
	return out
}

// statement is one IAM policy statement.
type statement struct {
	Sid       string         `json:"Sid,omitempty"`
	Effect    string         `json:"Effect"`
	Principal any            `json:"Principal,omitempty"`
	Action    []string       `json:"Action"`
	Resource  []string       `json:"Resource,omitempty"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// policy returns a policy document of statements.
func policy(stmts ...statement) string {
	data, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	if err != nil {
		panic(err)
	}
	return string(data)
}

// allow is an Allow statement.
func allow(actions []string, resources ...string) statement {
	return statement{Effect: "Allow", Action: actions, Resource: resources}
}

// The actions a replication role needs (replication-walkthrough-1.html),
// by resource.
var (
	sourceBucketActions = []string{"s3:GetReplicationConfiguration", "s3:ListBucket"}
	sourceObjectActions = []string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging",
		"s3:GetObjectRetention", "s3:GetObjectLegalHold"}
	destinationActions = []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
		"s3:ObjectOwnerOverrideToBucketOwner", "s3:PutObjectRetention", "s3:PutObjectLegalHold"}
	kmsActions = []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}
)

// without returns actions minus drop.
func without(actions []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(actions), func(a string) bool { return slices.Contains(drop, a) })
}

// replicationPolicy is the role policy that lets S3 replicate from src to
// dst, minus the actions in drop.
func replicationPolicy(src, dst string, drop ...string) string {
	return policy(
		allow(without(sourceBucketActions, drop...), "arn:aws:s3:::"+src),
		allow(without(sourceObjectActions, drop...), "arn:aws:s3:::"+src+"/*"),
		allow(without(destinationActions, drop...), "arn:aws:s3:::"+dst+"/*"),
		allow(without(kmsActions, drop...), "*"),
	)
}

// destinationPolicy is the destination bucket policy that lets role
// replicate into dst across accounts, plus extra statements.
func destinationPolicy(dst, role string, extra ...statement) string {
	grant := allow(destinationActions, "arn:aws:s3:::"+dst+"/*")
	grant.Sid, grant.Principal = "ReplicationRole", map[string]string{"AWS": role}
	return policy(append([]statement{grant}, extra...)...)
}

// rule is the usual V2 rule: everything in src to dst, delete markers not
// replicated, metrics Enabled (so ReplicationMetricsDisabled passes).
func rule(id, dstBucket string) snapshot.ReplicationRule {
	return snapshot.ReplicationRule{
		ID: id, Priority: ptr(1), Status: "Enabled",
		Filter:                  &snapshot.ReplicationRuleFilter{Prefix: ptr("")},
		DeleteMarkerReplication: &snapshot.StatusElement{Status: "Disabled"},
		Destination:             snapshot.Destination{Bucket: "arn:aws:s3:::" + dstBucket, Metrics: &snapshot.Metrics{Status: "Enabled"}},
	}
}

func ptr[T any](v T) *T { return &v }

// pair is the usual set-up of a scenario, healthy unless its fields say
// otherwise: a source bucket in srcAccount replicating everything to a
// destination bucket (in dstAccount when cross is set, with a bucket policy
// that grants the role), through a role with replicationPolicy.
type pair struct {
	cross     bool
	src, dst  []bucketOpt // more options for the two buckets
	role      []roleOpt   // more options for the role
	drop      []string    // actions missing from the role policy
	rule      func(*snapshot.ReplicationRule)
	useConfig bool                       // give the configuration with --config instead of putting it on the bucket
	noConfig  bool                       // put no configuration anywhere
	target    string                     // the destination bucket the rule and the role policy name, if not dstBucket
	more      []snapshot.ReplicationRule // rules after the first
}

// Names of the pair's resources.
const (
	srcBucket = "e2e-src"
	dstBucket = "e2e-dst"
	roleName  = "replication"
)

// roleARN is the ARN the pair's configuration names.
const roleARN = "arn:aws:iam::" + srcAccount + ":role/" + roleName

// readerRole is the role the CLI assumes to read the destination account;
// moto lets anyone assume any role name.
const readerRole = "arn:aws:iam::" + dstAccount + ":role/replcheck-reader"

// build creates the pair and returns the CLI arguments that check it.
func (w *world) build(p pair) []string {
	w.t.Helper()
	w.bucket(srcBucket, p.src...)
	dstOpts := p.dst
	if p.cross {
		dstOpts = append([]bucketOpt{in(dstAccount, home), withPolicy(destinationPolicy(dstBucket, roleARN))}, dstOpts...)
	}
	w.bucket(dstBucket, dstOpts...)
	target := dstBucket
	if p.target != "" {
		target = p.target
	}
	w.role(roleName, append([]roleOpt{inline(replicationPolicy(srcBucket, target, p.drop...))}, p.role...)...)
	r := rule("replicate-all", target)
	if p.rule != nil {
		p.rule(&r)
	}
	cfg := snapshot.ReplicationConfiguration{Role: roleARN, Rules: append([]snapshot.ReplicationRule{r}, p.more...)}
	args := []string{"--source", srcBucket}
	switch {
	case p.noConfig:
	case p.useConfig:
		args = append(args, "--config", w.configFile(cfg))
	default:
		w.replication(srcBucket, cfg)
	}
	if p.cross {
		args = append(args, "--destination-role", readerRole)
	}
	return args
}

// deleteRole deletes a role of srcAccount and its inline policy, as when
// a role is deleted after the configuration was written.
func (w *world) deleteRole(name string) {
	w.t.Helper()
	c := w.iam(srcAccount)
	_, err := c.DeleteRolePolicy(w.ctx, &iam.DeleteRolePolicyInput{RoleName: &name, PolicyName: aws.String("replication")})
	w.must("delete role policy of "+name, err)
	_, err = c.DeleteRole(w.ctx, &iam.DeleteRoleInput{RoleName: &name})
	w.must("delete role "+name, err)
}

// deleteBucketPolicy deletes a bucket's policy.
func (w *world) deleteBucketPolicy(account, bucket string) {
	w.t.Helper()
	_, err := w.s3(account, home).DeleteBucketPolicy(w.ctx, &s3.DeleteBucketPolicyInput{Bucket: &bucket})
	w.must("delete policy of "+bucket, err)
}

// batchRole creates a Batch Operations job role for Batch Replication of
// srcBucket, minus the actions in drop, and returns its ARN.
func (w *world) batchRole(drop ...string) string {
	w.t.Helper()
	return w.role("batch-job", trusting("batchoperations.s3.amazonaws.com"), inline(policy(
		allow(without([]string{"s3:InitiateReplication", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"}, drop...), "arn:aws:s3:::"+srcBucket+"/*"),
		allow(without([]string{"s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"}, drop...), "arn:aws:s3:::"+srcBucket),
	)))
}
