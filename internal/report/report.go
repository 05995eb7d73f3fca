// Package report writes findings in the formats replcheck offers: text for
// people, JSON (the canonical, versioned schema), SARIF 2.1.0 for code
// scanning, JUnit XML for CI test reports, and one self-contained HTML
// page to browse them. Reporters know nothing about
// where the facts came from, so every mode (preflight, audit, plan) shares
// them.
package report

import (
	"slices"

	"github.com/replcheck/replcheck/checks"
)

// SchemaVersion is the version of the JSON output schema.
const SchemaVersion = 1

// Source identifies the source bucket a report is about.
type Source struct {
	Bucket  string `json:"bucket"`
	Account string `json:"account"`
	Region  string `json:"region"`
}

// Summary counts findings by status, waived findings included; Waived
// says how many of them are waived.
type Summary struct {
	Fail    int `json:"fail"`
	Warn    int `json:"warn"`
	Pass    int `json:"pass"`
	Unknown int `json:"unknown"`
	Skip    int `json:"skip"`
	Waived  int `json:"waived"`
}

// Finding is a check's finding as reports write it, with where it came
// from: the JSON output's finding object (schema version 1).
type Finding struct {
	checks.Finding
	// Source is the source bucket the finding is about, in reports that
	// cover several (Report.Source is then nil); nil otherwise.
	Source *Source `json:"source,omitempty"`
	// Address is the address, in the source's own terms (a Terraform
	// resource address), of what causes the finding; "" when the source
	// of facts has no addresses.
	Address string `json:"address,omitempty"`
	// Location is the file and line that declare it, when known.
	Location *Location `json:"-"`
	// Waived is the waiver that accepts this finding; nil when none does.
	// A waived finding keeps its status but does not count toward the
	// exit code.
	Waived *Waived `json:"waived,omitempty"`
}

// Waived is the waiver that accepts a finding, as the JSON output writes
// it.
type Waived struct {
	Justification string `json:"justification"`
	// Expires is the waiver's last day, YYYY-MM-DD.
	Expires string `json:"expires"`
}

// WaiverUse says which waivers of the waivers file did not apply: by
// index in the file, from 0.
type WaiverUse struct {
	// File is the waivers file.
	File string `json:"-"`
	// Expired waivers are past their date and applied to nothing.
	Expired []int `json:"expired"`
	// Unused waivers are current but matched no fail, warn or unknown
	// finding.
	Unused []int `json:"unused"`
}

// Location is a position in an input file.
type Location struct {
	File string
	// Line is 1-based; 0 when only the file is known.
	Line int
}

// Report is one run's result.
type Report struct {
	// Command is the subcommand that made the report (preflight, plan,
	// audit).
	Command string
	// Source is the one source bucket the report is about, or nil when it
	// covers several (each finding then names its own).
	Source *Source
	// Findings are the checks' findings, in the order the checks reported
	// them.
	Findings []Finding
	// Checks describe the reasons the findings name; SARIF takes its rule
	// metadata from them.
	Checks []*checks.Check
	// Input is the file the facts or configuration came from, if any;
	// SARIF results point at it.
	Input string
	// Version is replcheck's version.
	Version string
	// Audit describes the accounts and buckets an audit covered; nil for
	// other commands.
	Audit *Audit
	// ShowPass makes the text of a report that covers accounts list pass
	// and skip findings too (audit --show-pass); other reports and
	// formats always hold every finding.
	ShowPass bool
	// Waivers says which waivers did not apply; nil when no waivers file
	// was read.
	Waivers *WaiverUse
	// FailOn is the threshold that decides the exit code; "" means the
	// default, FailOnUnknown.
	FailOn Threshold
}

// Audit is what an audit covered, as the JSON output's "audit" object
// writes it.
type Audit struct {
	// Accounts are the audited accounts, in the order they were audited.
	Accounts []AccountStatus `json:"accounts"`
	// Buckets counts the source buckets seen; BucketsWithReplication
	// those with a replication configuration, and Rules their rules.
	Buckets                int `json:"buckets"`
	BucketsWithReplication int `json:"bucketsWithReplication"`
	Rules                  int `json:"rules"`
}

// AccountStatus says whether an audited account could be read.
type AccountStatus struct {
	ID string `json:"id"`
	// Status is "ok" or "error".
	Status string `json:"status"`
	// Error says why the account could not be read.
	Error string `json:"error,omitempty"`
}

// Actionable reports whether s is a status that needs attention (fail, warn,
// unknown): the ones shown with evidence, and the ones waivers apply to.
func Actionable(s checks.Status) bool {
	return s == checks.StatusFail || s == checks.StatusWarn || s == checks.StatusUnknown
}

// Summarize counts the findings by status, and the waived ones.
func Summarize(findings []Finding) Summary {
	var s Summary
	for _, f := range findings {
		if f.Waived != nil {
			s.Waived++
		}
		switch f.Status {
		case checks.StatusFail:
			s.Fail++
		case checks.StatusWarn:
			s.Warn++
		case checks.StatusPass:
			s.Pass++
		case checks.StatusUnknown:
			s.Unknown++
		default:
			s.Skip++
		}
	}
	return s
}

// group is the findings of one rule and destination.
type group struct {
	Source            *Source
	Rule, Destination string
	Findings          []Finding
}

// groups splits findings by source bucket, rule and destination, in order
// of first appearance; within a group, findings keep their order.
func groups(findings []Finding) []group {
	var out []group
	index := map[[3]string]int{}
	for _, f := range findings {
		k := [3]string{sourceKey(f.Source), f.Rule, f.Destination}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, group{Source: f.Source, Rule: f.Rule, Destination: f.Destination})
		}
		out[i].Findings = append(out[i].Findings, f)
	}
	return out
}

// sourceKey identifies a finding's source bucket in maps; "" for none.
func sourceKey(s *Source) string {
	if s == nil {
		return ""
	}
	return s.Account + "/" + s.Bucket
}

// title names a group for people: "replicate-all → arn:aws:s3:::dst",
// prefixed with the source bucket when findings name their own; a group
// about an account rather than a bucket is "account ID".
func (g group) title() string {
	if g.Source != nil && g.Source.Bucket == "" && g.Source.Account != "" {
		return "account " + g.Source.Account
	}
	t := g.Rule + " → " + g.Destination
	if g.Rule == "" && g.Destination == "" {
		t = "no replication rule"
	}
	if g.Source != nil && g.Source.Bucket != "" {
		t = g.Source.Bucket + ": " + t
	}
	return t
}

// subject names what a finding is about for locations and fingerprints:
// its source bucket, or "account:ID" for a finding about an account.
func (r *Report) subject(f *Finding) string {
	if f != nil && f.Source != nil && f.Source.Bucket == "" && f.Source.Account != "" {
		return "account:" + f.Source.Account
	}
	return r.bucket(f)
}

// bucket names the source bucket of a report or of one of its findings.
func (r *Report) bucket(f *Finding) string {
	switch {
	case f != nil && f.Source != nil:
		return f.Source.Bucket
	case r.Source != nil:
		return r.Source.Bucket
	}
	return ""
}

// bySeverity returns findings sorted fail, warn, unknown, pass, skip,
// keeping the order within a status.
func bySeverity(findings []Finding) []Finding {
	out := slices.Clone(findings)
	slices.SortStableFunc(out, func(a, b Finding) int { return a.Status.Rank() - b.Status.Rank() })
	return out
}

// destinations counts the distinct destinations the findings name.
func destinations(findings []Finding) int {
	seen := map[string]bool{}
	for _, f := range findings {
		if f.Destination != "" {
			seen[f.Destination] = true
		}
	}
	return len(seen)
}
