package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/spell"
)

const explainDescription = `Without an argument, lists every check: its reason, other spellings, scope
(live, batch or object) and title. With a REASON, in either spelling and any
case, explains what S3 does and what triggers the failure, how replcheck
predicts it, how to fix it, and where AWS documents it.

Examples:

   replcheck explain
   replcheck explain DstPutObjectNotPermitted`

// explainCommand is `replcheck explain [REASON]`.
func explainCommand() *cli.Command {
	return &cli.Command{
		Name:         "explain",
		Usage:        "list the checks, or explain one failure reason",
		ArgsUsage:    "[REASON]",
		Description:  explainDescription,
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			switch c.NArg() {
			case 0:
				return listChecks(c.App.Writer)
			case 1:
				return explain(c.App.Writer, c.Args().First())
			}
			return usageError(fmt.Errorf("too many arguments: want at most one REASON, got %d", c.NArg()),
				"explain one reason at a time")
		},
	}
}

// listChecks writes a table of every check.
func listChecks(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REASON\tALIASES\tSCOPE\tTITLE")
	for _, c := range checks.All {
		aliases := strings.Join(c.Aliases, ", ")
		if aliases == "" {
			aliases = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Reason, aliases, c.Scope, c.Title)
	}
	return tw.Flush()
}

// explain writes one check's documentation.
func explain(w io.Writer, reason string) error {
	c := checks.Lookup(reason)
	if c == nil {
		hint := "run 'replcheck explain' for the list of reasons"
		if s := closestReason(reason); s != "" {
			hint = fmt.Sprintf("did you mean %s? %s", s, hint)
		}
		return usageError(fmt.Errorf("unknown failure reason %q", reason), hint)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s: %s\n", c.Reason, c.Title)
	if len(c.Aliases) > 0 {
		fmt.Fprintf(bw, "also reported as: %s\n", strings.Join(c.Aliases, ", "))
	}
	fmt.Fprintf(bw, "scope: %s\n", c.Scope)
	for _, sec := range []struct{ head, body string }{
		{"What S3 does", c.Why},
		{"How replcheck predicts it", c.Predicts},
		{"How to fix it", c.Fix},
		{"AWS documentation", c.DocURL},
	} {
		fmt.Fprintf(bw, "\n%s:\n", sec.head)
		for _, line := range wrap(sec.body, 76) {
			fmt.Fprintf(bw, "  %s\n", line)
		}
	}
	if len(c.Requires) > 0 {
		fmt.Fprintf(bw, "\nSources are pages under https://docs.aws.amazon.com/AmazonS3/latest/userguide/ (API/ pages under .../AmazonS3/latest/).\n")
	}
	writeRequirements(bw, "Permissions AWS documents (a denial fails)", c.Documented())
	writeRequirements(bw, "Permissions replcheck only warns about (AWS does not document them, or its pages disagree)", c.WarnOnly())
	if g := c.GeneratePolicies(); g != "" {
		fmt.Fprintf(bw, "\nGenerate the policies:\n")
		for _, line := range wrap(g, 76) {
			fmt.Fprintf(bw, "  %s\n", line)
		}
	}
	return bw.Flush()
}

// writeRequirements writes a section listing permissions and their
// sources, or nothing when there are none.
func writeRequirements(w io.Writer, head string, reqs []checks.Requirement) {
	if len(reqs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", head)
	for _, r := range reqs {
		for i, line := range wrap(r.Action+" on "+r.On, 76) {
			indent := "    "
			if i == 0 {
				indent = "  - "
			}
			fmt.Fprintf(w, "%s%s\n", indent, line)
		}
		for _, line := range wrap("source: "+r.Source, 74) {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
}

// wrap splits text into lines of at most width runes, at spaces; longer
// words stand alone.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// closestReason returns the reason or alias nearest to name by edit
// distance, ignoring case, if it is near enough to be a typo.
func closestReason(name string) string {
	best, bestDist := "", len(name)/2+1
	for _, c := range checks.All {
		for _, n := range c.Names() {
			if d := spell.Distance(strings.ToLower(name), strings.ToLower(n)); d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	return best
}
