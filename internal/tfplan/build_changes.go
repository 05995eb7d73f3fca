package tfplan

import (
	"encoding/json"
	"reflect"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// changes lists what the apply changes that the apply-order check needs:
// the replication configuration, and the versioning it creates or
// enables.
func (b *builder) changes(src source) *snapshot.Changes {
	c := &snapshot.Changes{}
	if action := changeAction(src.res); action != "" && (!src.inline || replicationChanged(src.res)) {
		c.Replication = &snapshot.Change{Address: src.res.Address, Action: action, DependsOn: b.p.DependsOn(src.res)}
	}
	for _, r := range b.p.Resources {
		if r.Mode != "managed" || !r.Planned() || changeAction(r) == "" {
			continue
		}
		var now, before bool
		switch r.Type {
		case "aws_s3_bucket_versioning":
			s, _ := b.p.strOf(r, "versioning_configuration", 0, "status")
			now = s == "Enabled"
			v, _ := walk(r.Before, []any{"versioning_configuration", 0, "status"})
			before = v == "Enabled"
		case "aws_s3_bucket":
			if r.Config == nil || !r.Config.Body.Has("versioning") {
				continue
			}
			on, _ := b.p.Get(r, "versioning", 0, "enabled").V.(bool)
			now, before = on, wasEnabled(r.Before)
		default:
			continue
		}
		if !now || before && !r.Creates() {
			continue
		}
		names := []string{}
		if name, _ := b.p.strOf(r, "bucket"); name != "" {
			names = append(names, name)
		} else {
			// Which bucket it enables is not known: it may be any the
			// configuration needs.
			names = b.untiedBuckets(r)
		}
		for _, name := range names {
			c.Versioning = append(c.Versioning, snapshot.VersioningChange{Bucket: name, Address: r.Address, Action: changeAction(r)})
		}
	}
	return c
}

// changeAction names what the apply does to an instance: create, replace,
// update, or "" for nothing (or a read or delete).
func changeAction(r *Resource) string {
	switch {
	case r.Creates() && r.Before != nil:
		return "replace"
	case r.Creates():
		return "create"
	case r.Updates():
		return "update"
	}
	return ""
}

// replicationChanged reports whether an update of aws_s3_bucket changes
// its replication_configuration block.
func replicationChanged(r *Resource) bool {
	if r.Creates() {
		return true
	}
	before, _ := walk(r.Before, []any{"replication_configuration"})
	after, _ := walk(r.After, []any{"replication_configuration"})
	return !reflect.DeepEqual(normal(before), normal(after))
}

// normal round-trips a value through JSON so that equal values compare
// equal.
func normal(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(data, &out)
	return out
}
