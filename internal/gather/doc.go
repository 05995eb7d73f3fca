// Package gather reads the facts of a replication setup from AWS with
// aws-sdk-go-v2 and fills a snapshot.Snapshot. It is the only package that
// talks to AWS.
//
// Facts are fetched lazily through a per-run memo, so each is read once and
// independent reads run in parallel (bounded by a semaphore): the wall time
// approaches the dependency depth times one round trip.
//
// Two guards make replcheck read-only, provably (readonly.go): every
// operation on the user's resources is recorded by a middleware and refused
// unless it is on the read-only allowlist (ReadOnly); the SDK's credential
// providers (IMDS, the container endpoint, web identity, IAM Identity
// Center, profile roles) may only fetch credentials (CredentialOperation).
//
// Errors are classified at this boundary. Answers about a resource become
// facts: "not configured" answers make them Absent, others (AccessDenied)
// Unknown, naming the operation and the permission that was missing. A
// failure of the endpoint itself (unreachable, an answer that did not come
// from AWS, a 5xx after retries) stops the run with an *EndpointError, so
// that no check ever reads a transport or protocol error as a fact; so does
// a cancelled context.
package gather
