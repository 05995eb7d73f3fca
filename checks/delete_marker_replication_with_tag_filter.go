package checks

import "fmt"

// DeleteMarkerReplicationWithTagFilter reports a rule that filters by tag
// and replicates delete markers.
var DeleteMarkerReplicationWithTagFilter = &Check{
	Reason: "DeleteMarkerReplicationWithTagFilter",
	Scope:  ScopeLive,
	Title:  "a rule with a Tag filter enables delete marker replication",
	Why: "Delete markers carry no tags, so S3 cannot replicate them under a tag-based rule: " +
		"PutBucketReplication rejects a rule whose Filter names a tag (Tag, or Tags under And) while " +
		"DeleteMarkerReplication is Enabled (\"Delete marker replication is not supported if any Tag filter is " +
		"specified\"). Tag-filtered rules therefore never replicate delete markers.",
	Predicts:  "reads the rule's Filter tags and DeleteMarkerReplication status. V1 rules have no tag filter.",
	Fix:       `set "DeleteMarkerReplication": {"Status": "Disabled"} on the tag-filtered rule, or replicate delete markers with a separate prefix-only rule`,
	DocURL:    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html",
	Config:    true,
	RulesOnly: true,
	Run: func(t *Target) Outcome {
		r := t.Rule
		tags := r.FilterTags()
		if len(tags) == 0 {
			return skip("rule " + t.RuleName + " has no Tag filter")
		}
		evidence := t.ruleEvidence(fmt.Sprintf("Filter tags %s, DeleteMarkerReplication=%s", tagQuery(tags), statusOf(r.DeleteMarkerReplication)))
		if r.DeleteMarkerReplication.Enabled() {
			return fail(fmt.Sprintf("rule %s filters by tag (%s) and enables delete marker replication, which S3 rejects", t.RuleName, tagQuery(tags)),
				t.putConfigFix(`set "DeleteMarkerReplication": {"Status": "Disabled"} on rule `+t.RuleName+` (to replicate delete markers, add a prefix-only rule with its own Priority)`),
				evidence)
		}
		return pass(fmt.Sprintf("rule %s filters by tag and leaves delete marker replication off", t.RuleName), evidence)
	},
}
