// Package report writes findings in the formats replcheck offers: text for
// people, JSON (the canonical, versioned schema), SARIF 2.1.0 for code
// scanning, and JUnit XML for CI test reports. Reporters know nothing about
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

// Report is one run's result.
type Report struct {
	Source Source
	// Findings are the checks' findings, in the order the checks reported
	// them.
	Findings []checks.Finding
	// Checks describe the reasons the findings name; SARIF takes its rule
	// metadata from them.
	Checks []*checks.Check
	// Input is the file the facts or configuration came from, if any;
	// SARIF results point at it.
	Input string
	// Version is replcheck's version.
	Version string
}

// Summarize counts the findings by status.
func Summarize(findings []checks.Finding) Summary {
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
var Formats = []string{"text", "json", "sarif", "junit"}

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
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// group is the findings of one rule and destination.
type group struct {
	Rule, Destination string
	Findings          []checks.Finding
}

// groups splits findings by rule and destination, in order of first
// appearance; within a group, findings keep their order.
func groups(findings []checks.Finding) []group {
	var out []group
	index := map[[2]string]int{}
	for _, f := range findings {
		k := [2]string{f.Rule, f.Destination}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, group{Rule: f.Rule, Destination: f.Destination})
		}
		out[i].Findings = append(out[i].Findings, f)
	}
	return out
}

// title names a group for people: "replicate-all → arn:aws:s3:::dst".
func (g group) title() string {
	if g.Rule == "" && g.Destination == "" {
		return "no replication rule"
	}
	return g.Rule + " → " + g.Destination
}

// bySeverity returns findings sorted fail, warn, unknown, pass, skip,
// keeping the order within a status.
func bySeverity(findings []checks.Finding) []checks.Finding {
	out := slices.Clone(findings)
	slices.SortStableFunc(out, func(a, b checks.Finding) int { return a.Status.Rank() - b.Status.Rank() })
	return out
}

// destinations counts the distinct destinations the findings name.
func destinations(findings []checks.Finding) int {
	seen := map[string]bool{}
	for _, f := range findings {
		if f.Destination != "" {
			seen[f.Destination] = true
		}
	}
	return len(seen)
}
