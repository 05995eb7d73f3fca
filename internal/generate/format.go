package generate

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/replcheck/replcheck/internal/report"
)

// Formats are the output formats of Write, the default first.
var Formats = []string{"json", "terraform", "cli"}

// Write renders the policies of each source bucket in format: json (one
// document, or an array of them for several source buckets), terraform
// (HCL to paste into a module), or cli (the aws CLI commands that would
// apply them, for review).
func Write(w io.Writer, format string, all []*Policies) error {
	var buf bytes.Buffer
	switch format {
	case "json":
		var v any = all
		if len(all) == 1 {
			v = all[0]
		}
		if err := report.WriteJSON(&buf, v); err != nil {
			return err
		}
	case "terraform":
		writeTerraform(&buf, all)
	case "cli":
		writeCLI(&buf, all)
	default:
		return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ValidFormat reports whether Write knows format.
func ValidFormat(format string) bool { return slices.Contains(Formats, format) }

// proofLines summarizes a proof for the comment lines of the terraform and
// cli formats.
func proofLines(p *Proof) []string {
	if p == nil {
		return nil
	}
	verdict := "verified: every permission check passes with these policies, and each statement is needed"
	if !p.Verified {
		verdict = "NOT verified:"
		if !p.Sufficient {
			verdict += " a permission check fails or is undecided with these policies;"
		}
		if !p.Necessary {
			verdict += " a statement is not needed by any check;"
		}
		verdict = strings.TrimSuffix(verdict, ";")
	}
	lines := []string{"replcheck --verify: " + verdict}
	for _, f := range p.Findings {
		beyond := ""
		if f.BeyondPolicies {
			beyond = " (not a matter of these policies)"
		}
		lines = append(lines, fmt.Sprintf("  %s %s, rule %s → %s%s: %s", f.Reason, f.Status, f.Rule, f.Destination, beyond, f.Message))
	}
	for _, s := range p.Statements {
		without := "nothing"
		if len(s.WithoutIt) > 0 {
			without = strings.Join(s.WithoutIt, ", ")
		}
		lines = append(lines, fmt.Sprintf("  without %s statement %s: %s", s.Policy, s.Sid, without))
	}
	return lines
}

// comment writes lines as # comments.
func comment(w io.Writer, lines ...string) {
	for _, l := range lines {
		for part := range strings.SplitSeq(l, "\n") {
			fmt.Fprintln(w, strings.TrimRight("# "+part, " "))
		}
	}
}
