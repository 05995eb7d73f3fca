package checks

// Status is a finding's verdict.
type Status string

// Finding statuses, in the order reports list them.
const (
	// StatusFail: replication will fail.
	StatusFail Status = "fail"
	// StatusWarn: likely or partial failure, or silent non-replication.
	StatusWarn Status = "warn"
	// StatusUnknown: could not be decided; the message says which fact or
	// permission was missing.
	StatusUnknown Status = "unknown"
	// StatusPass: decided, no failure.
	StatusPass Status = "pass"
	// StatusSkip: the check does not apply; the message says why.
	StatusSkip Status = "skip"
)

// Rank orders statuses from most to least severe.
func (s Status) Rank() int {
	switch s {
	case StatusFail:
		return 0
	case StatusWarn:
		return 1
	case StatusUnknown:
		return 2
	case StatusPass:
		return 3
	}
	return 4
}

// Scope says when a failure reason can occur.
type Scope string

// Check scopes.
const (
	// ScopeLive: live replication of new objects.
	ScopeLive Scope = "live"
	// ScopeBatch: S3 Batch Replication jobs only.
	ScopeBatch Scope = "batch"
	// ScopeObject: decided per object version, from sampled objects.
	ScopeObject Scope = "object"
	// ScopeAccount: decided once per account, on a snapshot that stands
	// for a whole account (Snapshot.IsAccount), as a source that
	// enumerates accounts yields; such snapshots are decided by account
	// checks alone, and bucket snapshots by the others alone.
	ScopeAccount Scope = "account"
)

// Check predicts one failure reason.
type Check struct {
	// Reason is the failure reason as the 2022 table of S3 replication
	// failure reasons spells it, or a replcheck PascalCase name for
	// problems AWS reports under no failure reason.
	Reason string
	// Aliases are other spellings of the reason, such as the name AWS uses
	// today for a renamed reason.
	Aliases []string
	// Scope says when the failure can occur.
	Scope Scope
	// Title is a one-line summary.
	Title string
	// Why explains what S3 does and what triggers the failure.
	Why string
	// Predicts explains how replcheck predicts it.
	Predicts string
	// Fix is the general remediation; findings carry a concrete one.
	Fix string
	// DocURL is the AWS documentation page.
	DocURL string
	// Config marks a configuration check: a problem AWS reports under no
	// failure reason. Configuration checks also judge Disabled rules.
	Config bool
	// RulesOnly marks a configuration check that judges only the rules, so
	// it still runs when a bucket does not exist.
	RulesOnly bool
	// WithoutConfig marks a check that runs when the source bucket has no
	// replication configuration (Target.Rule is then nil).
	WithoutConfig bool
	// Run decides the check for one rule and destination.
	Run func(t *Target) Outcome
}

// Names returns the reason and its aliases.
func (c *Check) Names() []string {
	return append([]string{c.Reason}, c.Aliases...)
}

// Outcome is a check's verdict on one target.
type Outcome struct {
	Status   Status
	Message  string
	Evidence []string
	// Remediation is a concrete fix for this target (an aws CLI command or
	// a policy statement); empty for pass and skip.
	Remediation string
}

// Finding is one check's outcome for one rule and destination, as the JSON
// output (schema version 1) writes it.
type Finding struct {
	Reason      string   `json:"reason"`
	Aliases     []string `json:"aliases"`
	Status      Status   `json:"status"`
	Rule        string   `json:"rule"`
	Destination string   `json:"destination"`
	Message     string   `json:"message"`
	Evidence    []string `json:"evidence"`
	Remediation string   `json:"remediation"`
}

// pass, fail, warn, unknown and skip build outcomes.
func pass(msg string, evidence ...string) Outcome {
	return Outcome{Status: StatusPass, Message: msg, Evidence: evidence}
}

func fail(msg, fix string, evidence ...string) Outcome {
	return Outcome{Status: StatusFail, Message: msg, Evidence: evidence, Remediation: fix}
}

func warn(msg, fix string, evidence ...string) Outcome {
	return Outcome{Status: StatusWarn, Message: msg, Evidence: evidence, Remediation: fix}
}

func unknown(msg string, evidence ...string) Outcome {
	return Outcome{Status: StatusUnknown, Message: msg, Evidence: evidence}
}

func skip(msg string) Outcome {
	return Outcome{Status: StatusSkip, Message: msg}
}
