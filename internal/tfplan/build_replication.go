package tfplan

import (
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// replication builds the replication configuration of a source: from
// aws_s3_bucket_replication_configuration, or from the legacy
// replication_configuration block of aws_s3_bucket. A role or rule status
// known only after apply makes the whole configuration Unknown.
func (b *builder) replication(src source) snapshot.Fact[snapshot.ReplicationConfiguration] {
	r := src.res
	base, rulesKey := []any{}, "rule"
	if src.inline {
		base, rulesKey = []any{"replication_configuration", 0}, "rules"
	}
	role, rv := b.p.strOf(r, at(base, "role")...)
	if !snapshot.IsRoleARN(role) {
		if !rv.Known {
			return unknownFact[snapshot.ReplicationConfiguration](rv)
		}
		return snapshot.UnknownFact[snapshot.ReplicationConfiguration](&snapshot.FactError{Operation: planOperation, Code: "InvalidRole",
			Message: r.Address + ": role " + role + " is not an IAM role ARN"})
	}
	n, ok := b.p.count(r, at(base, rulesKey)...)
	if !ok || n == 0 {
		return unknownFact[snapshot.ReplicationConfiguration](pending(r.Address + "." + rulesKey))
	}
	cfg := snapshot.ReplicationConfiguration{Role: role}
	for i := range n {
		path := at(base, rulesKey, i)
		var rule snapshot.ReplicationRule
		var why *Value
		if src.inline {
			rule, why = b.legacyRule(r, path)
		} else {
			rule, why = b.rule(r, path)
		}
		if why != nil {
			return unknownFact[snapshot.ReplicationConfiguration](*why)
		}
		cfg.Rules = append(cfg.Rules, rule)
	}
	return snapshot.KnownFact(cfg)
}

// ruleReader reads the fields of one rule; the first value that is
// needed but pending is kept.
type ruleReader struct {
	b    *builder
	r    *Resource
	path []any
	why  *Value
}

// str reads an optional string; a pending one is "" and recorded.
func (rr *ruleReader) str(steps ...any) string {
	s, v := rr.b.p.strOf(rr.r, at(rr.path, steps...)...)
	if !v.Known && rr.why == nil {
		rr.why = &v
	}
	return s
}

// optStr reads a string that may be null.
func (rr *ruleReader) optStr(steps ...any) *string {
	v := rr.b.p.Get(rr.r, at(rr.path, steps...)...)
	if !v.Known {
		if rr.why == nil {
			rr.why = &v
		}
		return nil
	}
	s, ok := v.V.(string)
	if !ok {
		return nil
	}
	return &s
}

// num reads an optional number.
func (rr *ruleReader) num(steps ...any) *int {
	v := rr.b.p.Get(rr.r, at(rr.path, steps...)...)
	if !v.Known {
		if rr.why == nil {
			rr.why = &v
		}
		return nil
	}
	if n, ok := Number(v.V); ok {
		return &n
	}
	return nil
}

// has reports whether a nested block is present.
func (rr *ruleReader) has(steps ...any) bool {
	n, ok := rr.b.p.count(rr.r, at(rr.path, steps...)...)
	if !ok && rr.why == nil {
		v := pending(rr.r.Address + pathString(at(rr.path, steps...)))
		rr.why = &v
	}
	return n > 0
}

// status reads a {status = "..."} block as a StatusElement.
func (rr *ruleReader) status(steps ...any) *snapshot.StatusElement {
	if !rr.has(steps...) {
		return nil
	}
	return &snapshot.StatusElement{Status: rr.str(at(steps, 0, "status")...)}
}

// rule reads one rule of aws_s3_bucket_replication_configuration.
func (b *builder) rule(r *Resource, path []any) (snapshot.ReplicationRule, *Value) {
	rr := &ruleReader{b: b, r: r, path: path}
	rule := snapshot.ReplicationRule{
		ID:       rr.str("id"),
		Priority: rr.num("priority"),
		Status:   rr.str("status"),
	}
	if rr.has("filter") {
		// The provider sends V2 rules' Priority, 0 when unset, and V1
		// rules' Prefix, "" when unset.
		rule.Priority = zeroIfNil(rule.Priority)
		f := &snapshot.ReplicationRuleFilter{}
		switch {
		case rr.has("filter", 0, "and"):
			and := &snapshot.ReplicationRuleAndOperator{Prefix: rr.optStr("filter", 0, "and", 0, "prefix")}
			and.Tags = rr.tags(at([]any{"filter", 0, "and", 0}, "tags"))
			f.And = and
		case rr.has("filter", 0, "tag"):
			f.Tag = &snapshot.Tag{Key: rr.str("filter", 0, "tag", 0, "key"), Value: rr.str("filter", 0, "tag", 0, "value")}
		default:
			prefix := ""
			if p := rr.optStr("filter", 0, "prefix"); p != nil {
				prefix = *p
			}
			f.Prefix = &prefix
		}
		rule.Filter = f
	} else {
		rule.Priority = nil
		rule.Prefix = zeroIfNilStr(rr.optStr("prefix"))
	}
	rule.DeleteMarkerReplication = rr.status("delete_marker_replication")
	rule.ExistingObjectReplication = rr.status("existing_object_replication")
	if rr.has("source_selection_criteria") {
		rule.SourceSelectionCriteria = &snapshot.SourceSelectionCriteria{
			SseKmsEncryptedObjects: rr.status("source_selection_criteria", 0, "sse_kms_encrypted_objects"),
			ReplicaModifications:   rr.status("source_selection_criteria", 0, "replica_modifications"),
		}
	}
	d := []any{"destination", 0}
	rule.Destination = snapshot.Destination{
		Bucket:       b.bucketARN(r, at(path, at(d, "bucket")...)),
		Account:      rr.str(at(d, "account")...),
		StorageClass: rr.str(at(d, "storage_class")...),
	}
	if rr.has(at(d, "access_control_translation")...) {
		rule.Destination.AccessControlTranslation = &snapshot.AccessControlTranslation{Owner: rr.str(at(d, "access_control_translation", 0, "owner")...)}
	}
	if rr.has(at(d, "encryption_configuration")...) {
		rule.Destination.EncryptionConfiguration = &snapshot.EncryptionConfiguration{
			ReplicaKmsKeyID: b.keyID(r, at(path, at(d, "encryption_configuration", 0, "replica_kms_key_id")...)),
		}
	}
	if rr.has(at(d, "replication_time")...) {
		rt := &snapshot.ReplicationTime{Status: rr.str(at(d, "replication_time", 0, "status")...)}
		if rr.has(at(d, "replication_time", 0, "time")...) {
			if m := rr.num(at(d, "replication_time", 0, "time", 0, "minutes")...); m != nil {
				rt.Time = &snapshot.ReplicationMinutes{Minutes: *m}
			}
		}
		rule.Destination.ReplicationTime = rt
	}
	if rr.has(at(d, "metrics")...) {
		m := &snapshot.Metrics{Status: rr.str(at(d, "metrics", 0, "status")...)}
		if rr.has(at(d, "metrics", 0, "event_threshold")...) {
			if n := rr.num(at(d, "metrics", 0, "event_threshold", 0, "minutes")...); n != nil {
				m.EventThreshold = &snapshot.ReplicationMinutes{Minutes: *n}
			}
		}
		rule.Destination.Metrics = m
	}
	if rule.Status != "Enabled" && rule.Status != "Disabled" && rr.why == nil {
		v := pending(r.Address + pathString(at(path, "status")))
		rr.why = &v
	}
	return rule, rr.why
}

// tags reads a map of tags in key order.
func (rr *ruleReader) tags(path []any) []snapshot.Tag {
	v := rr.b.p.Get(rr.r, at(rr.path, path...)...)
	if !v.Known {
		if rr.why == nil {
			rr.why = &v
		}
		return nil
	}
	m, _ := v.V.(map[string]any)
	var out []snapshot.Tag
	for _, k := range sortedKeys(m) {
		s, _ := m[k].(string)
		out = append(out, snapshot.Tag{Key: k, Value: s})
	}
	return out
}

// legacyRule reads one rule of aws_s3_bucket's replication_configuration
// block (AWS provider v3 and earlier; deprecated since v4).
func (b *builder) legacyRule(r *Resource, path []any) (snapshot.ReplicationRule, *Value) {
	rr := &ruleReader{b: b, r: r, path: path}
	rule := snapshot.ReplicationRule{ID: rr.str("id"), Status: rr.str("status")}
	if rr.has("filter") {
		rule.Priority = zeroIfNil(rr.num("priority"))
		prefix := rr.optStr("filter", 0, "prefix")
		tags := rr.tags([]any{"filter", 0, "tags"})
		f := &snapshot.ReplicationRuleFilter{}
		switch {
		case len(tags) == 1 && (prefix == nil || *prefix == ""):
			f.Tag = &tags[0]
		case len(tags) > 0:
			f.And = &snapshot.ReplicationRuleAndOperator{Prefix: prefix, Tags: tags}
		default:
			p := ""
			if prefix != nil {
				p = *prefix
			}
			f.Prefix = &p
		}
		rule.Filter = f
		status := "Disabled"
		if s := rr.str("delete_marker_replication_status"); s != "" {
			status = s
		}
		rule.DeleteMarkerReplication = &snapshot.StatusElement{Status: status}
	} else {
		rule.Prefix = zeroIfNilStr(rr.optStr("prefix"))
	}
	if rr.has("source_selection_criteria", 0, "sse_kms_encrypted_objects") {
		v := b.p.Get(r, at(path, "source_selection_criteria", 0, "sse_kms_encrypted_objects", 0, "enabled")...)
		status := "Disabled"
		if on, _ := v.V.(bool); on {
			status = "Enabled"
		}
		rule.SourceSelectionCriteria = &snapshot.SourceSelectionCriteria{SseKmsEncryptedObjects: &snapshot.StatusElement{Status: status}}
	}
	d := []any{"destination", 0}
	rule.Destination = snapshot.Destination{
		Bucket:       b.bucketARN(r, at(path, at(d, "bucket")...)),
		Account:      rr.str(at(d, "account_id")...),
		StorageClass: rr.str(at(d, "storage_class")...),
	}
	if id := b.keyID(r, at(path, at(d, "replica_kms_key_id")...)); id != "" {
		rule.Destination.EncryptionConfiguration = &snapshot.EncryptionConfiguration{ReplicaKmsKeyID: id}
	}
	if rr.has(at(d, "access_control_translation")...) {
		rule.Destination.AccessControlTranslation = &snapshot.AccessControlTranslation{Owner: rr.str(at(d, "access_control_translation", 0, "owner")...)}
	}
	if rr.has(at(d, "replication_time")...) {
		rt := &snapshot.ReplicationTime{Status: rr.str(at(d, "replication_time", 0, "status")...)}
		if m := rr.num(at(d, "replication_time", 0, "minutes")...); m != nil {
			rt.Time = &snapshot.ReplicationMinutes{Minutes: *m}
		}
		rule.Destination.ReplicationTime = rt
	}
	if rr.has(at(d, "metrics")...) {
		m := &snapshot.Metrics{Status: rr.str(at(d, "metrics", 0, "status")...)}
		if n := rr.num(at(d, "metrics", 0, "minutes")...); n != nil {
			m.EventThreshold = &snapshot.ReplicationMinutes{Minutes: *n}
		}
		rule.Destination.Metrics = m
	}
	if rule.Status != "Enabled" && rule.Status != "Disabled" && rr.why == nil {
		v := pending(r.Address + pathString(at(path, "status")))
		rr.why = &v
	}
	return rule, rr.why
}

// bucketARN reads a destination bucket ARN; one known only after apply is
// a placeholder bucket, whose facts are all Unknown.
func (b *builder) bucketARN(r *Resource, path []any) string {
	s, v := b.p.strOf(r, path...)
	if _, ok := snapshot.BucketFromARN(s); ok {
		return s
	}
	what := v.Pending
	if what == "" {
		what = r.Address + pathString(path) + " = " + s
	}
	return "arn:aws:s3:::" + placeholder(what)
}

// keyID reads a KMS key identifier. One known only after apply stands in
// as a placeholder of the same form: the ARN of the aws_kms_key it will
// be (its Region and account are known), or a bare key ID.
func (b *builder) keyID(r *Resource, path []any) string {
	s, v := b.p.strOf(r, path...)
	if v.Known {
		return s
	}
	ph := placeholder(v.Pending)
	addr, attr := splitAttr(v.Pending)
	key := b.p.Resource(addr)
	if key == nil || key.Type != "aws_kms_key" {
		b.pendingKeys[ph] = nil
		return ph
	}
	if attr == "arn" {
		region, _ := b.p.Region(key).Str()
		account, _ := b.p.Account(key).Str()
		if region != "" && account != "" {
			ph = "arn:" + partition(region) + ":kms:" + region + ":" + account + ":key/" + ph
		}
	}
	b.pendingKeys[ph] = key
	return ph
}

// splitAttr splits "ADDRESS.ATTR" at its last dot.
func splitAttr(what string) (addr, attr string) {
	i := strings.LastIndexByte(what, '.')
	if i < 0 {
		return what, ""
	}
	return what[:i], what[i+1:]
}

func zeroIfNil(p *int) *int {
	if p == nil {
		return new(int)
	}
	return p
}

func zeroIfNilStr(p *string) *string {
	if p == nil {
		return new(string)
	}
	return p
}
