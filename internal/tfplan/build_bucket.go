package tfplan

import (
	"github.com/replcheck/replcheck/internal/snapshot"
)

// bucket builds a bucket's facts from the resources that configure it.
// Settings no resource declares are AWS's defaults for a bucket the plan
// creates, what aws_s3_bucket recorded for one that exists, and Unknown
// when the plan does not manage the bucket. account is the rule's
// destination account, used when the plan does not manage the bucket.
func (b *builder) bucket(name string, account snapshot.Fact[string]) snapshot.Bucket {
	bk := snapshot.Bucket{Name: name}
	bucketRes := b.planned(name, "aws_s3_bucket")
	why := notInPlan("bucket " + name)
	if IsPlaceholder(name) {
		why = afterApply("the destination bucket " + name)
	}
	if bucketRes == nil {
		unknownAll(&bk, why)
		if account.IsKnown() {
			bk.Account = account
		}
	} else {
		bk.Exists = snapshot.KnownFact(true)
		bk.Region = stringFact(b.p.Region(bucketRes))
		bk.Account = stringFact(b.p.Account(bucketRes))
	}
	o := snapshot.BucketOrigins{}
	if bucketRes != nil {
		o.Bucket = bucketRes.Address
	}
	aspects := []struct {
		typ  string
		addr *string
		set  func(r *Resource)
	}{
		{"aws_s3_bucket_versioning", &o.Versioning, func(r *Resource) { bk.Versioning = b.versioning(r, bucketRes) }},
		{"aws_s3_bucket_object_lock_configuration", &o.ObjectLock, func(r *Resource) { bk.ObjectLock = b.objectLock(r, bucketRes) }},
		{"aws_s3_bucket_server_side_encryption_configuration", &o.Encryption, func(r *Resource) { bk.Encryption = b.encryption(r, bucketRes) }},
		{"aws_s3_bucket_policy", &o.Policy, func(r *Resource) { bk.Policy = b.policy(r, bucketRes) }},
		{"aws_s3_bucket_ownership_controls", &o.Ownership, func(r *Resource) { bk.Ownership = b.ownership(r, bucketRes) }},
		{"aws_s3_bucket_request_payment_configuration", &o.RequestPayment, func(r *Resource) { bk.RequestPayment = b.requestPayment(r, bucketRes) }},
		{"aws_s3_bucket_lifecycle_configuration", &o.Lifecycle, func(r *Resource) { bk.Lifecycle = b.lifecycle(r, bucketRes) }},
	}
	for _, a := range aspects {
		r := b.planned(name, a.typ)
		if r != nil {
			*a.addr = r.Address
		}
		if r != nil || bucketRes != nil {
			a.set(r)
		}
	}
	b.untiedSettings(name, &bk, &o)
	if o != (snapshot.BucketOrigins{}) {
		b.origins.Buckets[name] = o
	}
	if b.outside != nil && !IsPlaceholder(name) && undecided(bk) {
		live := b.outside.Bucket(name)
		fill(&bk.Exists, live.Exists)
		fill(&bk.Account, live.Account)
		fill(&bk.Region, live.Region)
		fill(&bk.Versioning, live.Versioning)
		fill(&bk.ObjectLock, live.ObjectLock)
		fill(&bk.Encryption, live.Encryption)
		fill(&bk.Policy, live.Policy)
		fill(&bk.Ownership, live.Ownership)
		fill(&bk.RequestPayment, live.RequestPayment)
		fill(&bk.Lifecycle, live.Lifecycle)
	}
	return bk
}

// undecided reports whether any of a bucket's facts is not the plan's to
// decide.
func undecided(b snapshot.Bucket) bool {
	for _, e := range []*snapshot.FactError{b.Exists.Error, b.Account.Error, b.Region.Error, b.Versioning.Error, b.ObjectLock.Error,
		b.Encryption.Error, b.Policy.Error, b.Ownership.Error, b.RequestPayment.Error, b.Lifecycle.Error} {
		if notManaged(e) {
			return true
		}
	}
	return false
}

func notManaged(e *snapshot.FactError) bool { return e != nil && e.Code == CodeNotInPlan }

// fill replaces a fact the plan does not decide with the one read live.
func fill[T any](f *snapshot.Fact[T], live snapshot.Fact[T]) {
	if f.IsUnknown() && notManaged(f.Error) {
		*f = live
	}
}

// unknownAll marks every fact of a bucket Unknown.
func unknownAll(b *snapshot.Bucket, why *snapshot.FactError) {
	b.Exists = snapshot.UnknownFact[bool](why)
	b.Account = snapshot.UnknownFact[string](why)
	b.Region = snapshot.UnknownFact[string](why)
	b.Versioning = snapshot.UnknownFact[string](why)
	b.ObjectLock = snapshot.UnknownFact[snapshot.ObjectLockConfiguration](why)
	b.Encryption = snapshot.UnknownFact[snapshot.BucketEncryption](why)
	b.Policy = snapshot.UnknownFact[snapshot.PolicyDocument](why)
	b.Ownership = snapshot.UnknownFact[string](why)
	b.RequestPayment = snapshot.UnknownFact[string](why)
	b.Lifecycle = snapshot.UnknownFact[snapshot.Lifecycle](why)
}

func stringFact(v Value) snapshot.Fact[string] {
	if s, ok := v.Str(); ok && s != "" {
		return snapshot.KnownFact(s)
	}
	return unknownFact[string](v)
}

// legacy reads a setting from aws_s3_bucket's own (deprecated, computed)
// block or attribute. ok is false when the bucket resource says nothing:
// the attribute is pending and the configuration does not set it, which
// for a bucket the apply creates means AWS's default.
func (b *builder) legacy(bucketRes *Resource, attr string) (v Value, ok bool) {
	v = b.p.Get(bucketRes, attr)
	if v.Known {
		return v, true
	}
	if bucketRes.Creates() && (bucketRes.Config == nil || !bucketRes.Config.Body.Has(attr)) {
		return v, false
	}
	return v, true
}

// fallback is the fact of a setting that no resource of the plan decides:
// the default of a new bucket, or Unknown.
func fallback[T any](bucketRes *Resource, what string, def snapshot.Fact[T]) snapshot.Fact[T] {
	if bucketRes != nil && bucketRes.Creates() {
		return def
	}
	return snapshot.UnknownFact[T](notInPlan(what))
}

// versioning: aws_s3_bucket_versioning wins over aws_s3_bucket's
// versioning block. A new bucket is unversioned.
func (b *builder) versioning(r, bucketRes *Resource) snapshot.Fact[string] {
	if r != nil {
		s, v := b.p.strOf(r, "versioning_configuration", 0, "status")
		switch {
		case !v.Known:
			return unknownFact[string](v)
		case s == "Enabled" || s == "Suspended":
			return snapshot.KnownFact(s)
		}
		return snapshot.AbsentFact[string]() // Disabled: never enabled
	}
	v, ok := b.legacy(bucketRes, "versioning")
	if !ok {
		return snapshot.AbsentFact[string]()
	}
	if !v.Known {
		return unknownFact[string](v)
	}
	if n, _ := b.p.count(bucketRes, "versioning"); n == 0 {
		return fallback(bucketRes, "the versioning of "+bucketRes.Address, snapshot.AbsentFact[string]())
	}
	on := b.p.Get(bucketRes, "versioning", 0, "enabled")
	switch enabled, _ := on.V.(bool); {
	case !on.Known:
		return unknownFact[string](on)
	case enabled:
		return snapshot.KnownFact("Enabled")
	case wasEnabled(bucketRes.Before):
		return snapshot.KnownFact("Suspended")
	}
	return snapshot.AbsentFact[string]()
}

// wasEnabled reports whether a prior aws_s3_bucket value had versioning
// enabled: disabling it then suspends it.
func wasEnabled(before any) bool {
	v, _ := walk(before, []any{"versioning", 0, "enabled"})
	on, _ := v.(bool)
	return on
}

// objectLock: Object Lock is on when the bucket is created with it
// (object_lock_enabled, or the legacy block) or a separate configuration
// enables it; the default retention comes from that configuration.
func (b *builder) objectLock(r, bucketRes *Resource) snapshot.Fact[snapshot.ObjectLockConfiguration] {
	cfg := snapshot.ObjectLockConfiguration{}
	rulePath := []any{}
	src := r
	switch {
	case r != nil:
		cfg.Enabled = true
		rulePath = []any{"rule", 0, "default_retention", 0}
	default:
		// The legacy block decides first: with only the block set, the
		// provider computes the top-level object_lock_enabled, which a
		// new bucket's plan leaves unknown.
		block, bv := b.p.strOf(bucketRes, "object_lock_configuration", 0, "object_lock_enabled")
		if n, _ := b.p.count(bucketRes, "object_lock_configuration"); n > 0 && !bv.Known {
			return unknownFact[snapshot.ObjectLockConfiguration](bv)
		}
		on := bv.Known && block == "Enabled"
		if !on {
			v, ok := b.legacy(bucketRes, "object_lock_enabled")
			if !ok {
				return snapshot.AbsentFact[snapshot.ObjectLockConfiguration]()
			}
			if !v.Known {
				return unknownFact[snapshot.ObjectLockConfiguration](v)
			}
			on, _ = v.V.(bool)
		}
		if !on {
			return snapshot.AbsentFact[snapshot.ObjectLockConfiguration]()
		}
		cfg.Enabled = true
		src, rulePath = bucketRes, []any{"object_lock_configuration", 0, "rule", 0, "default_retention", 0}
	}
	mode, mv := b.p.strOf(src, at(rulePath, "mode")...)
	if !mv.Known {
		return unknownFact[snapshot.ObjectLockConfiguration](mv)
	}
	cfg.DefaultMode = mode
	if n, ok := Number(b.p.Get(src, at(rulePath, "days")...).V); ok {
		cfg.DefaultDays = n
	}
	if n, ok := Number(b.p.Get(src, at(rulePath, "years")...).V); ok {
		cfg.DefaultYears = n
	}
	return snapshot.KnownFact(cfg)
}

// encryption: aws_s3_bucket_server_side_encryption_configuration wins over
// the legacy block. Since January 2023, S3 encrypts new buckets with
// SSE-S3 (AES256) by default.
func (b *builder) encryption(r, bucketRes *Resource) snapshot.Fact[snapshot.BucketEncryption] {
	def := snapshot.KnownFact(snapshot.BucketEncryption{Algorithm: "AES256"})
	src, rule := r, []any{"rule", 0}
	if r == nil {
		v, ok := b.legacy(bucketRes, "server_side_encryption_configuration")
		if !ok {
			return def
		}
		if !v.Known {
			return unknownFact[snapshot.BucketEncryption](v)
		}
		if n, _ := b.p.count(bucketRes, "server_side_encryption_configuration"); n == 0 {
			if bucketRes.Creates() {
				return def
			}
			return snapshot.AbsentFact[snapshot.BucketEncryption]() // as aws_s3_bucket last read it
		}
		src, rule = bucketRes, []any{"server_side_encryption_configuration", 0, "rule", 0}
	}
	alg, av := b.p.strOf(src, at(rule, "apply_server_side_encryption_by_default", 0, "sse_algorithm")...)
	if !av.Known {
		return unknownFact[snapshot.BucketEncryption](av)
	}
	if alg == "" {
		return def
	}
	enc := snapshot.BucketEncryption{Algorithm: alg}
	if alg != "AES256" {
		enc.KMSKeyID = b.keyID(src, at(rule, "apply_server_side_encryption_by_default", 0, "kms_master_key_id"))
	}
	if on, _ := b.p.Get(src, at(rule, "bucket_key_enabled")...).V.(bool); on {
		enc.BucketKeyEnabled = true
	}
	return snapshot.KnownFact(enc)
}

// policy: aws_s3_bucket_policy wins over aws_s3_bucket's policy
// attribute; a new bucket has none.
func (b *builder) policy(r, bucketRes *Resource) snapshot.Fact[snapshot.PolicyDocument] {
	if r != nil {
		return policyDoc(b.p.Get(r, "policy"))
	}
	v, ok := b.legacy(bucketRes, "policy")
	if !ok {
		return snapshot.AbsentFact[snapshot.PolicyDocument]()
	}
	return policyDoc(v)
}

// ownership: a new bucket is BucketOwnerEnforced (the default since April
// 2023); aws_s3_bucket does not record it for one that exists.
func (b *builder) ownership(r, bucketRes *Resource) snapshot.Fact[string] {
	if r != nil {
		return stringFact(b.p.Get(r, "rule", 0, "object_ownership"))
	}
	return fallback(bucketRes, "the Object Ownership of "+bucketRes.Address, snapshot.KnownFact("BucketOwnerEnforced"))
}

// requestPayment: a new bucket is paid by its owner.
func (b *builder) requestPayment(r, bucketRes *Resource) snapshot.Fact[string] {
	if r != nil {
		return stringFact(b.p.Get(r, "payer"))
	}
	v, ok := b.legacy(bucketRes, "request_payer")
	if s, _ := v.Str(); !ok || (v.Known && s == "") {
		return fallback(bucketRes, "the request payment of "+bucketRes.Address, snapshot.KnownFact("BucketOwner"))
	}
	return stringFact(v)
}

// lifecycle summarises the enabled rules that delete versions.
func (b *builder) lifecycle(r, bucketRes *Resource) snapshot.Fact[snapshot.Lifecycle] {
	src, rules, enabled, noncurrent := r, "rule", []any{"status"}, []any{"noncurrent_version_expiration", 0, "noncurrent_days"}
	if r == nil {
		v, ok := b.legacy(bucketRes, "lifecycle_rule")
		if !ok {
			return snapshot.AbsentFact[snapshot.Lifecycle]()
		}
		if !v.Known {
			return unknownFact[snapshot.Lifecycle](v)
		}
		src, rules, enabled, noncurrent = bucketRes, "lifecycle_rule", []any{"enabled"}, []any{"noncurrent_version_expiration", 0, "days"}
	}
	n, ok := b.p.count(src, rules)
	if !ok {
		return unknownFact[snapshot.Lifecycle](pending(src.Address + "." + rules))
	}
	if n == 0 {
		return snapshot.AbsentFact[snapshot.Lifecycle]()
	}
	var lc snapshot.Lifecycle
	for i := range n {
		on := b.p.Get(src, at([]any{rules, i}, enabled...)...)
		if !on.Known {
			return unknownFact[snapshot.Lifecycle](on)
		}
		if s, _ := on.V.(string); s != "Enabled" && on.V != true {
			continue
		}
		if d, ok := Number(b.p.Get(src, at([]any{rules, i}, noncurrent...)...).V); ok && d > 0 && (lc.NoncurrentVersionExpirationDays == 0 || d < lc.NoncurrentVersionExpirationDays) {
			lc.NoncurrentVersionExpirationDays = d
		}
		if d, ok := Number(b.p.Get(src, rules, i, "expiration", 0, "days").V); ok && d > 0 && (lc.ExpirationDays == 0 || d < lc.ExpirationDays) {
			lc.ExpirationDays = d
		}
	}
	return snapshot.KnownFact(lc)
}
