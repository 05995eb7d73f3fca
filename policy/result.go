package policy

import (
	"encoding/json"
	"fmt"
)

// Decision is the outcome of an evaluation. The zero value is ImplicitDeny,
// so a Decision that was never set denies.
type Decision uint8

// The three outcomes IAM reports.
const (
	ImplicitDeny Decision = iota
	Allowed
	ExplicitDeny
)

var decisionNames = [...]string{ImplicitDeny: "implicitDeny", Allowed: "allowed", ExplicitDeny: "explicitDeny"}

// String returns the decision as IAM's simulator spells it.
func (d Decision) String() string {
	if int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return fmt.Sprintf("Decision(%d)", d)
}

// MarshalText encodes the decision as its String form.
func (d Decision) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes "allowed", "explicitDeny" or "implicitDeny".
func (d *Decision) UnmarshalText(b []byte) error {
	for i, n := range decisionNames {
		if n == string(b) {
			*d = Decision(i)
			return nil
		}
	}
	return fmt.Errorf("unknown decision %q (want allowed, explicitDeny or implicitDeny)", b)
}

// Kind names the role a policy plays in an evaluation.
type Kind uint8

// Policy kinds, in the order Input lists them.
const (
	KindIdentity Kind = iota
	KindResource
	KindBoundary
	KindSCP
	KindRCP
	KindSession
)

var kindNames = [...]string{
	KindIdentity: "identity",
	KindResource: "resource",
	KindBoundary: "permissionsBoundary",
	KindSCP:      "scp",
	KindRCP:      "rcp",
	KindSession:  "session",
}

// String returns the kind as findings and `policy eval` output name it.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// MarshalText encodes the kind as its String form.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// MatchedStatement identifies one statement that decided an evaluation.
type MatchedStatement struct {
	// Kind is the policy's role in the evaluation.
	Kind Kind `json:"policy"`
	// Policy is the policy's index among those of its kind: the index in
	// Input.Identity, or the organization level for SCPs and RCPs.
	Policy int `json:"policyIndex"`
	// Member is the policy's index within its organization level (SCPs and
	// RCPs only).
	Member int `json:"member,omitempty"`
	// Statement is the statement's index in the document.
	Statement int `json:"statement"`
	// Sid is the statement's Sid, if any.
	Sid string `json:"sid,omitempty"`
	// Effect is the statement's effect.
	Effect Effect `json:"effect"`
}

// String renders the statement for a finding's evidence, for example
// `resource policy statement 2 (Sid "DenyUnencrypted", Deny)`.
func (m MatchedStatement) String() string {
	where := fmt.Sprintf("%s policy %d", m.Kind, m.Policy)
	switch m.Kind {
	case KindResource, KindBoundary, KindSession:
		where = m.Kind.String() + " policy"
	case KindSCP, KindRCP:
		where = fmt.Sprintf("%s level %d policy %d", m.Kind, m.Policy, m.Member)
	}
	if m.Sid != "" {
		return fmt.Sprintf("%s statement %d (Sid %q, %s)", where, m.Statement, m.Sid, m.Effect)
	}
	return fmt.Sprintf("%s statement %d (%s)", where, m.Statement, m.Effect)
}

// Result is a decision and the statements that decided it.
type Result struct {
	Decision Decision `json:"decision"`
	// Matched lists the deciding statements: every matching Deny for an
	// explicit deny; for an allow, the first allowing statement of each
	// policy layer that had to allow.
	Matched []MatchedStatement `json:"matched"`
	// Reason says in one line why, for example "no statement in the
	// permissions boundary allows the action".
	Reason string `json:"reason"`
}

// MarshalJSON always writes matched as an array, never null.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	if r.Matched == nil {
		r.Matched = []MatchedStatement{}
	}
	return json.Marshal(plain(r))
}
