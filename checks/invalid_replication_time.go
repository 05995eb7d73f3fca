package checks

import "fmt"

// InvalidReplicationTime reports S3 Replication Time Control and metrics
// settings that PutBucketReplication rejects.
var InvalidReplicationTime = &Check{
	Reason: "InvalidReplicationTime",
	Scope:  ScopeLive,
	Title:  "the rule's Replication Time Control or metrics settings are invalid",
	Why: "S3 Replication Time Control (Destination.ReplicationTime) needs replication metrics " +
		"(Destination.Metrics) with the same status; when RTC is Enabled, ReplicationTime.Time.Minutes and " +
		"Metrics.EventThreshold.Minutes are required and must be 15, the only value S3 accepts. Metrics must have " +
		"a Status. PutBucketReplication rejects other combinations with InvalidRequest or MalformedXML.",
	Predicts:  "reads Destination.ReplicationTime and Destination.Metrics of the rule.",
	Fix:       `use "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}} with "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}`,
	DocURL:    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html",
	Config:    true,
	RulesOnly: true,
	Run: func(t *Target) Outcome {
		rt, m := t.Rule.Destination.ReplicationTime, t.Rule.Destination.Metrics
		if rt == nil && m == nil {
			return skip("rule " + t.RuleName + " uses neither Replication Time Control nor replication metrics")
		}
		name := t.RuleName
		fix := `either set "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}} with "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}, ` +
			`or remove ReplicationTime and keep "Metrics": {"Status": "Enabled"}, in the Destination of rule ` + name
		if rt == nil {
			fix = `set "Metrics": {"Status": "Enabled"} (an EventThreshold belongs with Replication Time Control and must be 15 minutes) in the Destination of rule ` + name
		}
		var problems []ruleProblem
		add := func(msg string) { problems = append(problems, ruleProblem{StatusFail, msg, fix}) }
		evidence := t.ruleEvidence("ReplicationTime=" + compactJSON(rt) + ", Metrics=" + compactJSON(m))
		if rt != nil {
			switch {
			case rt.Status != "Enabled" && rt.Status != "Disabled":
				add(fmt.Sprintf("ReplicationTime.Status of rule %s is %q, not Enabled or Disabled", name, rt.Status))
			case m == nil:
				add("rule " + name + " sets ReplicationTime without Metrics; Replication Time Control needs replication metrics")
			case m.Status != rt.Status:
				add(fmt.Sprintf("rule %s has ReplicationTime %s but Metrics %s; they must have the same status", name, rt.Status, m.Status))
			}
			if rt.Status == "Enabled" {
				if rt.Time == nil || rt.Time.Minutes != 15 {
					add("ReplicationTime.Time.Minutes of rule " + name + " must be 15")
				}
				if m != nil && m.EventThreshold == nil {
					add("Metrics.EventThreshold of rule " + name + " is required with Replication Time Control (Minutes 15)")
				}
			}
		}
		if m != nil {
			if m.Status != "Enabled" && m.Status != "Disabled" {
				add(fmt.Sprintf("Metrics.Status of rule %s is %q, not Enabled or Disabled", name, m.Status))
			}
			if m.EventThreshold != nil && m.EventThreshold.Minutes != 15 {
				add(fmt.Sprintf("Metrics.EventThreshold.Minutes of rule %s is %d; it must be 15", name, m.EventThreshold.Minutes))
			}
		}
		return t.configOutcome(problems, "the Replication Time Control and metrics settings of rule "+name+" are valid", evidence)
	},
}
