package checks

// ReplicationMetricsDisabled warns that a rule's replication failures
// would go unnoticed.
var ReplicationMetricsDisabled = &Check{
	Reason: "ReplicationMetricsDisabled",
	Scope:  ScopeLive,
	Title:  "replication metrics are off, so failures stay invisible",
	Why: "S3 sends s3:Replication:OperationFailedReplication events, which carry the failure reason, only for " +
		"rules whose Destination.Metrics is Enabled. Without metrics a FAILED object is never retried and nothing " +
		"reports it: the failure is found only by reading each object's replication status.",
	Predicts:  "reads Destination.Metrics of each enabled rule: absent or Disabled warns.",
	Fix:       `add "Metrics": {"Status": "Enabled"} to the rule's Destination and an event notification for s3:Replication:OperationFailedReplication`,
	DocURL:    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html",
	Config:    true,
	RulesOnly: true,
	Run: func(t *Target) Outcome {
		r := t.Rule
		if r.Status != "Enabled" {
			return skip("rule " + t.RuleName + " is " + r.Status + ", so it has no failures to report")
		}
		m := r.Destination.Metrics
		status, state := "absent", "no replication metrics"
		if m != nil {
			status, state = m.Status, "replication metrics "+m.Status
		}
		evidence := t.ruleEvidence("Destination.Metrics.Status=" + status)
		if m != nil && m.Status == "Enabled" {
			return pass("rule "+t.RuleName+" has replication metrics Enabled, so failures raise events", evidence)
		}
		change := `add "Metrics": {"Status": "Enabled"} to the Destination of rule ` + t.RuleName
		if !r.IsV2() {
			change += ` (metrics need the V2 schema: replace the top-level Prefix with a Filter and add Priority and DeleteMarkerReplication)`
		}
		return warn("rule "+t.RuleName+" has "+state+": S3 emits no failure events for it, so replication failures go unnoticed",
			t.putConfigFix(change)+`; then subscribe to failures: aws s3api put-bucket-notification-configuration --bucket `+t.Source().Name+
				` --notification-configuration file://notification.json (an s3:Replication:OperationFailedReplication event to SQS, SNS or Lambda)`,
			evidence)
	},
}
