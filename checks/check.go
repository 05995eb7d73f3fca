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
	// Requires lists the permissions the check asks about, each with the
	// AWS documentation that requires it and what a denial reports. A
	// permission AWS does not document only warns.
	Requires []Requirement
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

// Requirement is a permission a check asks about.
type Requirement struct {
	// Action is the IAM action, such as s3:ReplicateObject.
	Action string
	// On says on what, and when S3 needs it.
	On string
	// Source cites where AWS documents the need (page#section under
	// https://docs.aws.amazon.com/AmazonS3/latest/, with the words that
	// matter), or says that AWS does not.
	Source string
	// Denied is what a decided denial reports: StatusFail for what AWS
	// documents or enforces, StatusWarn for what it does not.
	Denied Status
	// NoGrant, when set, says why the policies that 'replcheck policy
	// generate' writes grant no statement for the permission, although
	// the check asks about it.
	NoGrant string
}

// GeneratePoliciesURL is README's section on 'replcheck policy generate',
// which writes the policies that grant a check's permissions.
const GeneratePoliciesURL = "https://github.com/replcheck/replcheck#generate-the-policies"

// GeneratePolicies says, for a permission check, how to get the policies
// that grant what it requires; "" for other checks.
func (c *Check) GeneratePolicies() string {
	if len(c.Requires) == 0 {
		return ""
	}
	return "replcheck policy generate writes the least-privilege policies that grant these permissions for your configuration, proven by these checks: " + GeneratePoliciesURL
}

// Documented and WarnOnly split the check's requirements by what a
// denial reports.
func (c *Check) Documented() []Requirement { return c.requirements(StatusFail) }

// WarnOnly returns the requirements whose denial only warns.
func (c *Check) WarnOnly() []Requirement { return c.requirements(StatusWarn) }

func (c *Check) requirements(s Status) []Requirement {
	var out []Requirement
	for _, r := range c.Requires {
		if r.Denied == s {
			out = append(out, r)
		}
	}
	return out
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
	// Subject, if set, is the fact that decided (a permission outcome
	// names the policy); otherwise the check's usual subject applies.
	Subject *Subject
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
	// Subject is the fact the finding is about, for sources of facts
	// that can name where it is declared.
	Subject Subject `json:"-"`
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
