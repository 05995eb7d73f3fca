// Package checks predicts S3 replication failures from a snapshot of
// facts. There is one check per S3 replication failure reason, plus
// configuration checks for problems AWS reports under no failure reason.
//
// A check is a value (Check) carrying its metadata and a pure function of
// the facts. All lists every check, in one place. Checks decide permissions
// through package policy, and never import an AWS SDK: gathering facts is
// someone else's job, so the same checks run on live facts, snapshots,
// fixtures and plans.
//
// A check never reports pass on a fact it could not read: that is unknown.
package checks
