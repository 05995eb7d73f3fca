package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/replcheck/replcheck/checks"
)

// Text writes findings for people: grouped by rule and destination, each
// group's findings from fail to skip, one line per finding, with evidence
// and the fix under fail, warn and unknown findings (and a waived finding's
// justification), and at the end a one-line summary and the line that says
// which --fail-on threshold decided the exit code. A report that covers
// accounts (Report.Audit) is grouped by account, then bucket, then rule and
// destination, and shows only fail, warn and unknown findings unless
// Report.ShowPass is set.
type Text struct {
	// Color turns on ANSI colours for the status labels.
	Color bool
	// Quiet leaves out pass and skip findings, and groups without any
	// other.
	Quiet bool
}

// statusColor is the ANSI SGR code of each status.
var statusColor = map[checks.Status]string{
	checks.StatusFail:    "31", // red
	checks.StatusWarn:    "33", // yellow
	checks.StatusUnknown: "35", // magenta
	checks.StatusPass:    "32", // green
	checks.StatusSkip:    "2",  // dim
}

// labelWidth fits the longest status label, UNKNOWN.
const labelWidth = len("UNKNOWN")

// Write writes r as text.
func (t Text) Write(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	if r.Audit != nil {
		t.writeAudit(bw, r)
	} else {
		t.writeGroups(bw, r)
	}
	fmt.Fprintln(bw, "replcheck: "+Decide(r.Findings, r.FailOn).String())
	return bw.Flush()
}

// writeGroups writes the findings of a report by rule and destination,
// then the summary line.
func (t Text) writeGroups(bw *bufio.Writer, r *Report) {
	width := reasonWidth(r.Findings)
	shown := 0
	for _, g := range groups(r.Findings) {
		findings := t.shown(g.Findings)
		if len(findings) == 0 {
			continue
		}
		if shown > 0 {
			fmt.Fprintln(bw)
		}
		shown++
		fmt.Fprintln(bw, g.title())
		for _, f := range bySeverity(findings) {
			t.finding(bw, f, "  ", width)
		}
	}
	if shown > 0 {
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, SummaryLine(r))
}

// reasonWidth is the width of the longest reason, for aligned columns.
func reasonWidth(findings []Finding) int {
	width := 0
	for _, f := range findings {
		width = max(width, len(f.Reason))
	}
	return width
}

// shown are the findings the text lists: all of them, or with Quiet only
// fail, warn and unknown.
func (t Text) shown(findings []Finding) []Finding {
	if !t.Quiet {
		return findings
	}
	var out []Finding
	for _, f := range findings {
		if Actionable(f.Status) {
			out = append(out, f)
		}
	}
	return out
}

// label renders a status padded to labelWidth, coloured if asked.
func (t Text) label(s checks.Status) string {
	l := fmt.Sprintf("%-*s", labelWidth, strings.ToUpper(string(s)))
	if !t.Color {
		return l
	}
	return "\x1b[" + statusColor[s] + "m" + l + "\x1b[0m"
}

// SummaryLine is the one-line summary of text output:
// "replcheck: 1 fail, 0 warn, 29 pass, 0 unknown, 4 skip (src-bucket → 1 destination)",
// with ", N waived" after the skips when findings are waived.
func SummaryLine(r *Report) string {
	if r.Audit != nil {
		return auditSummaryLine(r)
	}
	s := Summarize(r.Findings)
	n := destinations(r.Findings)
	plural := "s"
	if n == 1 {
		plural = ""
	}
	waived := ""
	if s.Waived > 0 {
		waived = fmt.Sprintf(", %d waived", s.Waived)
	}
	return fmt.Sprintf("replcheck: %d fail, %d warn, %d pass, %d unknown, %d skip%s (%s → %d destination%s)",
		s.Fail, s.Warn, s.Pass, s.Unknown, s.Skip, waived, sources(r), n, plural)
}

// sources names what a report covers: its source bucket, or how many
// source buckets its findings name.
func sources(r *Report) string {
	if r.Source != nil {
		return r.Source.Bucket
	}
	seen := map[string]bool{}
	for _, f := range r.Findings {
		seen[sourceKey(f.Source)] = true
	}
	if len(seen) == 1 {
		return "1 source bucket"
	}
	return fmt.Sprintf("%d source buckets", len(seen))
}
