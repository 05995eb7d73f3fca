package checks

import (
	"fmt"
	"strings"
)

// DuplicateRulePriority reports rules that share a Priority or an ID.
var DuplicateRulePriority = &Check{
	Reason: "DuplicateRulePriority",
	Scope:  ScopeLive,
	Title:  "the rule shares its Priority or its ID with another rule",
	Why: "S3 uses Priority to pick the one rule that applies when several rules replicate the same object to the " +
		"same destination, so each rule's Priority must be unique, and each rule's ID identifies it. " +
		"PutBucketReplication rejects duplicate priorities (the exact error text is not documented); duplicate " +
		"IDs are rejected by S3-compatible implementations and make failure events ambiguous.",
	Predicts:  "compares the rule's Priority and ID with every other rule of the configuration, Disabled rules included.",
	Fix:       "give every rule a distinct Priority and a distinct ID",
	DocURL:    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html",
	Config:    true,
	RulesOnly: true,
	Run: func(t *Target) Outcome {
		r := t.Rule
		var samePriority, sameID []string
		for i, other := range t.Config().Rules {
			if i == t.Index {
				continue
			}
			if r.Priority != nil && other.Priority != nil && *r.Priority == *other.Priority {
				samePriority = append(samePriority, t.Config().RuleName(i))
			}
			if r.ID != "" && other.ID == r.ID {
				sameID = append(sameID, fmt.Sprintf("rule[%d]", i))
			}
		}
		var problems []ruleProblem
		if len(samePriority) > 0 {
			problems = append(problems, ruleProblem{StatusFail,
				fmt.Sprintf("rule %s has Priority %d, like %s", t.RuleName, *r.Priority, strings.Join(samePriority, ", ")),
				fmt.Sprintf(`give rule %s a Priority no other rule uses, such as "Priority": %d`, t.RuleName, unusedPriority(t.Config())+t.Index)})
		}
		if len(sameID) > 0 {
			problems = append(problems, ruleProblem{StatusFail,
				fmt.Sprintf("rule[%d] has the ID %q, like %s", t.Index, r.ID, strings.Join(sameID, ", ")),
				fmt.Sprintf(`give rule[%d] an ID no other rule uses, such as "ID": "%s-%d"`, t.Index, r.ID, t.Index)})
		}
		return t.configOutcome(problems, "rule "+t.RuleName+" has a unique Priority and ID",
			t.ruleEvidence(fmt.Sprintf("ID=%q, Priority=%s", r.ID, priorityOf(r.Priority))))
	},
}
