// Package gather reads the facts of a replication setup from AWS with
// aws-sdk-go-v2 and fills a snapshot.Snapshot. It is the only package that
// talks to AWS.
//
// Facts are fetched lazily through a per-run memo, so each is read once and
// independent reads run in parallel (bounded by a semaphore): the wall time
// approaches the dependency depth times one round trip. Every operation is
// recorded by a middleware and refused unless it is on the read-only
// allowlist (ReadOnly), so replcheck cannot mutate an account.
//
// Errors become Unknown facts that name the operation and the permission
// that was missing; "not configured" answers become Absent facts. Only a
// failure to reach an endpoint, or a cancelled context, stops a run.
package gather
