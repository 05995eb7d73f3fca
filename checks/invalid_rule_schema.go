package checks

import (
	"fmt"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// InvalidRuleSchema reports rules that PutBucketReplication rejects for
// mixing or misusing the V1 and V2 configuration schemas.
var InvalidRuleSchema = &Check{
	Reason: "InvalidRuleSchema",
	Scope:  ScopeLive,
	Title:  "the rule breaks the V1 or V2 replication configuration schema",
	Why: "A V2 rule has a Filter and must also have Priority and DeleteMarkerReplication; a V1 rule has the " +
		"deprecated top-level Prefix and may not use DeleteMarkerReplication, Priority, ReplicaModifications or " +
		"ReplicationTime, and a V1 configuration may name only one destination bucket. A configuration cannot mix " +
		"V1 and V2 rules. A Filter holds at most one of Prefix, Tag and And (an empty Filter selects every object), " +
		"and And combines at least two conditions. S3 rejects such configurations with InvalidRequest or " +
		"MalformedXML; a configuration applied by other means never takes effect. The exact errors for mixing " +
		"schemas, Priority in V1 and a one-condition And are not documented.",
	Predicts: "reads the rule and the rest of the configuration: V1 (no Filter) against V2 (Filter) elements, the " +
		"number of distinct destinations of a V1 configuration, and the Filter's and And's contents.",
	Fix:       "write every rule in the V2 schema: a Filter, a unique Priority and DeleteMarkerReplication",
	DocURL:    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html",
	Config:    true,
	RulesOnly: true,
	Run: func(t *Target) Outcome {
		r := t.Rule
		var problems []ruleProblem
		add := func(status Status, msg, fix string) {
			problems = append(problems, ruleProblem{status, msg, fix})
		}
		schema := "V1"
		if r.IsV2() {
			schema = "V2"
		}
		for i, other := range t.Config().Rules {
			if i != t.Index && other.IsV2() != r.IsV2() {
				add(StatusFail, fmt.Sprintf("rule %s uses the %s schema but rule %s does not: a configuration cannot mix V1 (top-level Prefix) and V2 (Filter) rules", t.RuleName, schema, t.Config().RuleName(i)),
					"rewrite every rule in the V2 schema (a Filter instead of the top-level Prefix, with Priority and DeleteMarkerReplication)")
				break
			}
		}
		if r.IsV2() {
			problems = append(problems, v2Problems(t)...)
		} else {
			problems = append(problems, v1Problems(t)...)
		}
		selector := "Filter=" + compactJSON(r.Filter)
		if !r.IsV2() {
			selector = "Prefix=" + compactJSON(r.Prefix)
		}
		evidence := t.ruleEvidence(fmt.Sprintf("schema %s, Priority=%s, DeleteMarkerReplication=%s, %s",
			schema, priorityOf(r.Priority), statusOf(r.DeleteMarkerReplication), selector))
		return t.configOutcome(problems, fmt.Sprintf("rule %s is a well-formed %s rule", t.RuleName, schema), evidence)
	},
}

// v2Problems lists what a V2 rule is missing or has wrong.
func v2Problems(t *Target) []ruleProblem {
	r, name := t.Rule, t.RuleName
	var out []ruleProblem
	if r.Priority == nil {
		out = append(out, ruleProblem{StatusFail, "V2 rule " + name + " has no Priority",
			fmt.Sprintf(`add "Priority": %d to rule %s`, unusedPriority(t.Config()), name)})
	}
	if r.DeleteMarkerReplication == nil {
		out = append(out, ruleProblem{StatusFail, "V2 rule " + name + " has no DeleteMarkerReplication",
			`add "DeleteMarkerReplication": {"Status": "Disabled"} (or "Enabled", without a Tag filter) to rule ` + name})
	}
	if r.Prefix != nil {
		out = append(out, ruleProblem{StatusWarn, "rule " + name + " has both a Filter and the deprecated top-level Prefix",
			"remove the top-level Prefix from rule " + name + " and keep the prefix in Filter"})
	}
	f := r.Filter
	n := 0
	for _, set := range []bool{f.Prefix != nil, f.Tag != nil, f.And != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		out = append(out, ruleProblem{StatusFail, fmt.Sprintf("the Filter of rule %s holds %d of Prefix, Tag and And; it may hold only one", name, n),
			"combine a prefix and tags under Filter.And in rule " + name})
	}
	if f.And != nil {
		conds := len(f.And.Tags)
		if f.And.Prefix != nil {
			conds++
		}
		if conds < 2 {
			out = append(out, ruleProblem{StatusWarn, fmt.Sprintf("Filter.And of rule %s combines %d condition(s); And is for two or more, and S3 may reject it", name, conds),
				"use Filter.Prefix or Filter.Tag instead of And in rule " + name})
		}
	}
	return out
}

// v1Problems lists the V2-only elements of a V1 rule.
func v1Problems(t *Target) []ruleProblem {
	r, name := t.Rule, t.RuleName
	var out []ruleProblem
	for _, el := range []struct {
		set  bool
		name string
	}{
		{r.DeleteMarkerReplication != nil, "DeleteMarkerReplication"},
		{r.Priority != nil, "Priority"},
		{r.SourceSelectionCriteria != nil && r.SourceSelectionCriteria.ReplicaModifications != nil, "SourceSelectionCriteria.ReplicaModifications"},
		{r.Destination.ReplicationTime != nil, "Destination.ReplicationTime"},
	} {
		if el.set {
			out = append(out, ruleProblem{StatusFail, "V1 rule " + name + " uses " + el.name + ", which only the V2 schema allows",
				"remove " + el.name + " from rule " + name + ", or rewrite the configuration in the V2 schema (Filter, Priority, DeleteMarkerReplication)"})
		}
	}
	dests := map[string]bool{}
	for _, other := range t.Config().Rules {
		if !other.IsV2() {
			dests[other.Destination.Bucket] = true
		}
	}
	if len(dests) > 1 {
		out = append(out, ruleProblem{StatusFail, fmt.Sprintf("the V1 rules of this configuration name %d destination buckets; the V1 schema allows one", len(dests)),
			"rewrite the configuration in the V2 schema to replicate to several destinations"})
	}
	return out
}

// unusedPriority is a priority no rule of the configuration uses.
func unusedPriority(c *snapshot.ReplicationConfiguration) int {
	top := 0
	for _, r := range c.Rules {
		if r.Priority != nil && *r.Priority > top {
			top = *r.Priority
		}
	}
	return top + 1
}
