package checks

import (
	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// exampleObject ends the key of the example object that permission
// questions name.
const exampleObject = "replcheck-example-object"

// exampleKey is the object key used in permission questions for a rule: a
// key under the rule's prefix, since policies scope by prefix.
func (t *Target) exampleKey() string {
	return t.Rule.FilterPrefix() + exampleObject
}

// SourceObjectARN is the ARN of an example source object of the rule.
func (t *Target) SourceObjectARN() string { return t.Source().ARN + "/" + t.exampleKey() }

// DestObjectARN is the ARN of the example object's replica.
func (t *Target) DestObjectARN() string {
	name, _ := snapshot.BucketFromARN(t.DestARN)
	return "arn:aws:s3:::" + name + "/" + t.exampleKey()
}

// s3Context is the request context S3 sends when the replication role
// acts on a bucket owned by account: over TLS, with s3:ResourceAccount, and
// without aws:SourceVpce or aws:SourceIp (the request comes from S3, not
// from a VPC). aws:PrincipalArn and aws:PrincipalAccount are derived by
// the policy engine from the role.
func s3Context(account snapshot.Fact[string]) map[string][]string {
	ctx := map[string][]string{"aws:SecureTransport": {"true"}}
	if account.IsKnown() {
		ctx["s3:ResourceAccount"] = []string{account.Value}
	}
	return ctx
}

// kmsContext is the context of a KMS request S3 makes for an object in a
// bucket: kms:ViaService names S3 in the bucket's Region, and the
// encryption context is the object ARN, or the bucket ARN when an S3 Bucket
// Key is in use (replication-config-for-kms-objects.html#bk-replication).
func kmsContext(region, callerAccount, contextARN string) map[string][]string {
	return map[string][]string{
		"aws:SecureTransport":              {"true"},
		"kms:ViaService":                   {"s3." + region + ".amazonaws.com"},
		"kms:CallerAccount":                {callerAccount},
		"kms:EncryptionContext:aws:s3:arn": {contextARN},
		"kms:EncryptionContextKeys":        {"aws:s3:arn"},
	}
}

// askSource asks whether the replication role may act on the rule's example
// source object (or, with bucketLevel, on the source bucket).
func (t *Target) askSource(action string, bucketLevel bool, extra map[string][]string) (Question, Answer) {
	src := t.Source()
	resource := t.SourceObjectARN()
	if bucketLevel {
		resource = src.ARN
	}
	q := Question{
		Role:            t.Role,
		Action:          action,
		Resource:        resource,
		ResourceAccount: src.Account,
		ResourcePolicy:  &src.Policy,
		Context:         merge(s3Context(src.Account), extra),
		KeyPrefix:       t.Rule.FilterPrefix(),
	}
	return q, t.Facts.Can(q)
}

// askDest asks whether the replication role may act on the replica of the
// example object in the destination bucket.
func (t *Target) askDest(action string, extra map[string][]string) (Question, Answer) {
	account, pol := t.destAccount(), t.destPolicy()
	q := Question{
		Role:            t.Role,
		Action:          action,
		Resource:        t.DestObjectARN(),
		ResourceAccount: account,
		ResourcePolicy:  &pol,
		Context:         merge(s3Context(account), extra),
		KeyPrefix:       t.Rule.FilterPrefix(),
	}
	return q, t.Facts.Can(q)
}

// askKey asks whether the replication role may use a KMS key through S3.
func (t *Target) askKey(k *KeyFacts, action string, ctx map[string][]string) (Question, Answer) {
	account := snapshot.UnknownFact[string](&snapshot.FactError{Operation: "kms:DescribeKey", Code: "NotGathered"})
	if k.Metadata.IsKnown() && k.Metadata.Value.Account != "" {
		account = snapshot.KnownFact(k.Metadata.Value.Account)
	} else if a := arn.Account(k.ARN); a != "" {
		account = snapshot.KnownFact(a)
	}
	q := Question{
		Role:            t.Role,
		Action:          action,
		Resource:        k.ARN,
		ResourceAccount: account,
		ResourcePolicy:  &k.Policy,
		Context:         ctx,
		KeyPrefix:       t.Rule.FilterPrefix(),
	}
	return q, t.Facts.Can(q)
}

// destAccount is the destination bucket's owner account.
func (t *Target) destAccount() snapshot.Fact[string] {
	if t.Dest == nil {
		return snapshot.UnknownFact[string](&snapshot.FactError{Operation: "s3:HeadBucket", Code: "NotGathered", Message: "the snapshot has no facts for " + t.DestARN})
	}
	return t.Dest.Account
}

// destPolicy is the destination bucket's policy fact.
func (t *Target) destPolicy() PolicyFact {
	if t.Dest == nil {
		return PolicyFact{State: snapshot.Unknown, Name: "bucket policy of " + t.DestARN, Why: "the snapshot has no facts for this bucket"}
	}
	return t.Dest.Policy
}

// CrossAccount reports whether the destination is owned by another account
// than the source; ok is false when either owner is unknown.
func (t *Target) CrossAccount() (cross, ok bool) {
	dst := t.destAccount()
	if !t.Source().Account.IsKnown() || !dst.IsKnown() {
		return false, false
	}
	return t.Source().Account.Value != dst.Value, true
}

func merge(base, extra map[string][]string) map[string][]string {
	for k, v := range extra {
		base[k] = v
	}
	return base
}
