package tfplan

import (
	"slices"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// keys builds the facts of every KMS key the configuration and the
// buckets' default encryption name.
func (b *builder) keys(s *snapshot.Snapshot) []snapshot.KMSKey {
	type want struct{ id, region, account string }
	var wants []want
	add := func(id string, bk *snapshot.Bucket) {
		if id == "" || slices.ContainsFunc(wants, func(w want) bool { return w.id == id }) {
			return
		}
		w := want{id: id}
		if bk != nil && bk.Region.IsKnown() {
			w.region = bk.Region.Value
		}
		if bk != nil && bk.Account.IsKnown() {
			w.account = bk.Account.Value
		}
		wants = append(wants, w)
	}
	if enc := s.Source.Encryption; enc.IsKnown() && strings.HasPrefix(enc.Value.Algorithm, "aws:kms") {
		add(enc.Value.KMSKeyID, &s.Source)
	}
	for _, rule := range s.Replication.Value.Rules {
		name, _ := snapshot.BucketFromARN(rule.Destination.Bucket)
		dest := destination(s, name)
		if ec := rule.Destination.EncryptionConfiguration; ec != nil {
			add(ec.ReplicaKmsKeyID, dest)
		}
	}
	for i := range s.Destinations {
		if enc := s.Destinations[i].Encryption; enc.IsKnown() && strings.HasPrefix(enc.Value.Algorithm, "aws:kms") {
			add(enc.Value.KMSKeyID, &s.Destinations[i])
		}
	}
	var out []snapshot.KMSKey
	for _, w := range wants {
		if k, ok := b.key(w.id, w.region, w.account); ok {
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
	}
	return out
}

func destination(s *snapshot.Snapshot, name string) *snapshot.Bucket {
	for i := range s.Destinations {
		if s.Destinations[i].Name == name {
			return &s.Destinations[i]
		}
	}
	return nil
}

// key builds one key's facts. id is the key as configured: key ARN,
// alias ARN, alias name or key ID (region and account locate the last
// two), or a placeholder of one known only after apply.
func (b *builder) key(id, region, account string) (snapshot.KMSKey, bool) {
	r := b.findKey(id)
	if r == nil && b.outside != nil && !IsPlaceholder(id) && (strings.HasPrefix(id, "arn:") || region != "" && account != "") {
		return b.outside.Key(id, region, account), true
	}
	arn := id
	if r != nil {
		if s, _ := b.p.strOf(r, "arn"); s != "" {
			arn = s
		} else {
			arn = b.pendingARN(r, id)
		}
	}
	if !strings.HasPrefix(arn, "arn:") {
		if region == "" || account == "" {
			return snapshot.KMSKey{}, false
		}
		resource := "key/" + id
		if strings.HasPrefix(id, "alias/") {
			resource = id
		}
		arn = "arn:" + partition(region) + ":kms:" + region + ":" + account + ":" + resource
	}
	k := snapshot.KMSKey{ARN: arn}
	if id != arn {
		k.Aliases = []string{id}
	}
	if r == nil {
		why := notInPlan("KMS key " + id)
		k.Metadata = snapshot.UnknownFact[snapshot.KeyMetadata](why)
		k.Policy = snapshot.UnknownFact[snapshot.PolicyDocument](why)
		return k, true
	}
	b.origins.Keys[arn] = r.Address
	if id != arn {
		b.origins.Keys[id] = r.Address
	}
	if IsPlaceholder(arn) {
		why := afterApply("the ARN of " + r.Address + ", so which key the configuration names,")
		k.Metadata = snapshot.UnknownFact[snapshot.KeyMetadata](why)
		k.Policy = snapshot.UnknownFact[snapshot.PolicyDocument](why)
		return k, true
	}
	k.Metadata = b.keyMetadata(r)
	k.Policy = b.keyPolicy(r)
	return k, true
}

// pendingARN is the placeholder ARN of a key created by the apply.
func (b *builder) pendingARN(r *Resource, id string) string {
	if IsPlaceholder(id) && strings.HasPrefix(id, "arn:") {
		return id
	}
	region, _ := b.p.Region(r).Str()
	account, _ := b.p.Account(r).Str()
	if region == "" || account == "" {
		return id
	}
	return "arn:" + partition(region) + ":kms:" + region + ":" + account + ":key/" + placeholder(r.Address+".arn")
}

// findKey returns the aws_kms_key that id names (through an aws_kms_alias
// for alias names), or nil.
func (b *builder) findKey(id string) *Resource {
	if r, ok := b.pendingKeys[id]; ok {
		return r
	}
	for _, r := range b.p.Resources {
		if r.Mode != "managed" || r.Type != "aws_kms_key" || r.After == nil && !r.Deletes() {
			continue
		}
		for _, attr := range []string{"arn", "key_id", "id"} {
			if s, _ := b.p.strOf(r, attr); s == id {
				return r
			}
		}
	}
	for _, a := range b.p.Resources {
		if a.Mode != "managed" || a.Type != "aws_kms_alias" || !a.Planned() {
			continue
		}
		name, _ := b.p.strOf(a, "name")
		arn, _ := b.p.strOf(a, "arn")
		if id != name && id != arn {
			continue
		}
		target, tv := b.p.strOf(a, "target_key_id")
		if !tv.Known {
			addr, _ := splitAttr(tv.Pending)
			if k := b.p.Resource(addr); k != nil && k.Type == "aws_kms_key" {
				return k
			}
			return nil
		}
		return b.findKey(target)
	}
	return nil
}

// keyMetadata is what kms:DescribeKey will answer for a key the plan
// declares.
func (b *builder) keyMetadata(r *Resource) snapshot.Fact[snapshot.KeyMetadata] {
	region, account := b.p.Region(r), b.p.Account(r)
	if !region.Known {
		return unknownFact[snapshot.KeyMetadata](region)
	}
	if !account.Known {
		return unknownFact[snapshot.KeyMetadata](account)
	}
	vals := r.After
	if r.Deletes() {
		vals = r.Before
	}
	get := func(attr, def string) string {
		if v, ok := walk(vals, []any{attr}); ok {
			if s, ok := v.(string); ok && s != "" {
				return s
			}
		}
		return def
	}
	md := snapshot.KeyMetadata{
		KeyState:   "Enabled",
		KeyManager: "CUSTOMER",
		KeySpec:    get("customer_master_key_spec", "SYMMETRIC_DEFAULT"),
		KeyUsage:   get("key_usage", "ENCRYPT_DECRYPT"),
		Origin:     "AWS_KMS",
	}
	md.Region, _ = region.Str()
	md.Account, _ = account.Str()
	if v, ok := walk(vals, []any{"multi_region"}); ok && v == true {
		md.MultiRegion = true
	}
	switch v, _ := walk(vals, []any{"is_enabled"}); {
	case r.Deletes():
		md.KeyState = "PendingDeletion"
	case v == false:
		md.KeyState = "Disabled"
	case isUnknownAt(vals, []any{"is_enabled"}):
		return unknownFact[snapshot.KeyMetadata](pending(r.Address + ".is_enabled"))
	}
	return snapshot.KnownFact(md)
}

// keyPolicy is the key policy: the policy argument, or the default key
// policy KMS gives a key created without one (key-policy-default.html),
// which lets the account's IAM policies decide.
func (b *builder) keyPolicy(r *Resource) snapshot.Fact[snapshot.PolicyDocument] {
	v := b.p.Get(r, "policy")
	if v.Known {
		if s, _ := v.Str(); s != "" {
			return policyDoc(v)
		}
	}
	if r.Creates() && (r.Config == nil || !r.Config.Body.Has("policy")) {
		account, _ := b.p.Account(r).Str()
		region, _ := b.p.Region(r).Str()
		if account != "" {
			return snapshot.KnownFact(snapshot.PolicyDocument(`{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:` +
				partition(region) + `:iam::` + account + `:root"},"Action":"kms:*","Resource":"*"}]}`))
		}
	}
	if !v.Known {
		return unknownFact[snapshot.PolicyDocument](v)
	}
	return snapshot.UnknownFact[snapshot.PolicyDocument](notInPlan("the key policy of " + r.Address))
}
