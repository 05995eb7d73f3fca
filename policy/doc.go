// Package policy is replcheck's local IAM policy evaluator.
//
// It parses every legal form of an IAM policy document (identity policies,
// bucket policies, KMS key policies, role trust policies, permissions
// boundaries, SCPs, RCPs and session policies) and decides a request the way
// AWS does: an explicit deny anywhere wins, every organization level must
// allow, same-account and cross-account resource-policy grants are weighed by
// the principal form they name, permissions boundaries and session policies
// cap the identity side, and a KMS key policy is the primary authority for its
// key.
//
// The package imports no AWS SDK: it is a pure function of documents and a
// request, so that checks, offline plans and tests all reach the same answer.
// Documents are parsed once with Parse and evaluated many times with Evaluate;
// the hot path allocates at most once per decision.
package policy
