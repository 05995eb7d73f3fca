package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/spell"
)

const explainDescription = `Without an argument, lists every check: its reason, other spellings, scope
(live, batch, object, or account for the checks that decide a whole
account) and title. With a REASON, in either spelling and any
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
	return c.Explain(w)
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
