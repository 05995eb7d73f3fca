// Package report writes findings in the formats replcheck offers: text for
// people, JSON (the canonical, versioned schema), SARIF 2.1.0 for code
// scanning, JUnit XML for CI test reports, and one self-contained HTML
// page to browse them. Reporters know nothing about
// where the facts came from, so every mode (preflight, audit, plan) shares
// them.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

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

// Summary counts findings by status.
type Summary struct {
	Fail    int `json:"fail"`
	Warn    int `json:"warn"`
	Pass    int `json:"pass"`
	Unknown int `json:"unknown"`
	Skip    int `json:"skip"`
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

// Summarize counts the findings by status.
func Summarize(findings []Finding) Summary {
	var s Summary
	for _, f := range findings {
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

// Reporter writes a report in one format.
type Reporter interface {
	Write(w io.Writer, r *Report) error
}

// Formats are the names New accepts, in the order help lists them.
var Formats = []string{"text", "json", "sarif", "junit", "html"}

// New returns the reporter for format. color turns on ANSI colours in
// text output; the other formats ignore it.
func New(format string, color bool) (Reporter, error) {
	switch format {
	case "text":
		return Text{Color: color}, nil
	case "json":
		return JSON{}, nil
	case "sarif":
		return SARIF{}, nil
	case "junit":
		return JUnit{}, nil
	case "html":
		return HTML{}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
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
// prefixed with the source bucket when findings name their own.
func (g group) title() string {
	t := g.Rule + " → " + g.Destination
	if g.Rule == "" && g.Destination == "" {
		t = "no replication rule"
	}
	if g.Source != nil && g.Source.Bucket != "" {
		t = g.Source.Bucket + ": " + t
	}
	return t
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
