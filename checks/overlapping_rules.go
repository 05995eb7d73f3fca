package checks

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// OverlappingRules warns about enabled rules to the same destination that
// can select the same objects.
var OverlappingRules = &Check{
	Reason: "OverlappingRules",
	Scope:  ScopeLive,
	Title:  "another enabled rule to the same destination selects the same objects",
	Why: "When several enabled rules replicate an object to the same destination bucket, S3 applies only the " +
		"rule with the highest Priority. The other rule's settings (storage class, SSE-KMS opt-in, delete marker " +
		"replication, owner override, RTC) silently do not apply to those objects. AWS documents the choice of " +
		"rule; that every option follows the winning rule is an inference.",
	Predicts: "for each other enabled rule with the same Destination.Bucket, decides whether one key can match " +
		"both filters: one prefix is a prefix of the other, and no tag key is required with two different values.",
	Fix:       "make the rules' filters disjoint, or merge them into one rule; the higher Priority wins where they overlap",
	DocURL:    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html",
	Config:    true,
	RulesOnly: true,
	Run: func(t *Target) Outcome {
		r := t.Rule
		if r.Status != "Enabled" {
			return skip("rule " + t.RuleName + " is " + r.Status + ", so it selects no object")
		}
		var overlaps, evidence []string
		for i := range t.Config().Rules {
			other := &t.Config().Rules[i]
			if i == t.Index || other.Status != "Enabled" || other.Destination.Bucket != r.Destination.Bucket || !filtersOverlap(r, other) {
				continue
			}
			name := t.Config().RuleName(i)
			evidence = append(evidence, "replication rule "+name+" -> "+describeFilter(other)+", Priority="+priorityOf(other.Priority))
			switch mine, theirs := priorityValue(r), priorityValue(other); {
			case mine > theirs:
				overlaps = append(overlaps, fmt.Sprintf("it wins over rule %s (Priority %d), whose settings do not apply there", name, theirs))
			case mine < theirs:
				overlaps = append(overlaps, fmt.Sprintf("rule %s (Priority %d) wins over it there, so its own settings do not apply", name, theirs))
			default:
				overlaps = append(overlaps, fmt.Sprintf("rule %s has the same Priority %d (see DuplicateRulePriority)", name, theirs))
			}
		}
		evidence = append([]string{t.ruleEvidence(describeFilter(r) + ", Priority=" + priorityOf(r.Priority))}, evidence...)
		if len(overlaps) > 0 {
			return warn(fmt.Sprintf("rule %s can select the same objects as other enabled rules to %s, and only the highest Priority applies to those: %s",
				t.RuleName, t.DestARN, strings.Join(overlaps, "; ")),
				t.putConfigFix("give the overlapping rules disjoint prefixes (or incompatible tags), or merge them into one rule"),
				evidence...)
		}
		return pass("no other enabled rule to "+t.DestARN+" selects the objects of rule "+t.RuleName, evidence...)
	},
}

// filtersOverlap reports whether one key with one set of tags can match
// both rules.
func filtersOverlap(a, b *snapshot.ReplicationRule) bool {
	pa, pb := a.FilterPrefix(), b.FilterPrefix()
	if !strings.HasPrefix(pa, pb) && !strings.HasPrefix(pb, pa) {
		return false
	}
	want := map[string]string{}
	for _, tag := range a.FilterTags() {
		want[tag.Key] = tag.Value
	}
	for _, tag := range b.FilterTags() {
		if v, ok := want[tag.Key]; ok && v != tag.Value {
			return false
		}
	}
	return true
}

// describeFilter renders a rule's selection for evidence.
func describeFilter(r *snapshot.ReplicationRule) string {
	s := fmt.Sprintf("prefix %q", r.FilterPrefix())
	if tags := r.FilterTags(); len(tags) > 0 {
		s += ", tags " + tagQuery(tags)
	}
	return s
}

// priorityValue is a rule's Priority; S3 treats a missing one as 0.
func priorityValue(r *snapshot.ReplicationRule) int {
	if r.Priority == nil {
		return 0
	}
	return *r.Priority
}
