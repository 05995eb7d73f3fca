package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/waiver"
)

// outputFlags are the flags that say how to report and when to fail:
// preflight, plan and audit share them.
func outputFlags() []cli.Flag {
	thresholds := make([]string, len(report.Thresholds))
	for i, t := range report.Thresholds {
		thresholds[i] = string(t)
	}
	return []cli.Flag{
		&cli.GenericFlag{Name: "format", Value: &formatList{},
			Usage: "report format `FORMAT[=FILE]`: " + strings.Join(report.Formats, ", ") + " (default: text); repeatable: " +
				"each FORMAT=FILE writes FILE, and at most one FORMAT alone goes to --output or standard output"},
		&cli.StringFlag{Name: "output", Usage: "write the report of the --format without =FILE to `FILE` instead of standard output"},
		&cli.StringFlag{Name: "fail-on", Value: string(report.FailOnUnknown),
			Usage: "the least severe `STATUS` that makes the exit code non-zero: " + strings.Join(thresholds, ", ") +
				" (unknown: fail exits 1, else unknown 3; fail: only fail exits 1; warn: fail or warn exits 1, else unknown 3)"},
		&cli.StringFlag{Name: "waivers", Usage: "read waivers from `FILE` (default: " + waiver.DefaultFile + " in the working directory, when it exists)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "text report: list only fail, warn and unknown findings, and the summary"},
	}
}

// formatList collects the values of a repeated --format flag. (A
// StringSliceFlag would split FILE names at commas.)
type formatList struct{ values []string }

func (l *formatList) Set(v string) error {
	l.values = append(l.values, v)
	return nil
}

func (l *formatList) String() string { return strings.Join(l.values, ", ") }

// outputChoice is what the output flags ask for.
type outputChoice struct {
	outputs []report.Output
	failOn  report.Threshold
	// waivers is the waivers file; nil when there is none.
	waivers *waiver.File
}

// today is the date waivers expire against; tests replace it.
var today = func() time.Time { return time.Now().UTC() }

// checkOutputFlags validates the output flags, and reads the waivers
// file, before any work is done.
func checkOutputFlags(c *cli.Context) error {
	_, err := outputOptions(c)
	return err
}

// outputOptions reads the output flags and the waivers file.
func outputOptions(c *cli.Context) (*outputChoice, error) {
	var formats []string
	if l, ok := c.Generic("format").(*formatList); ok {
		formats = l.values
	}
	outs, err := report.Outputs(formats, c.String("output"))
	if err != nil {
		return nil, usageError(err,
			"pass --format FORMAT once for standard output (or --output FILE), and --format FORMAT=FILE for each file; formats: "+
				strings.Join(report.Formats, ", "))
	}
	t, err := report.ParseThreshold(c.String("fail-on"))
	if err != nil {
		return nil, usageError(fmt.Errorf("--fail-on: %w", err), "pass --fail-on fail, unknown (the default) or warn")
	}
	w, err := waiver.Open(c.String("waivers"))
	if err != nil {
		return nil, err
	}
	return &outputChoice{outputs: outs, failOn: t, waivers: w}, nil
}

// finish applies the waivers to the report of a checking command, writes
// it in every format asked for, lists waivers that did not apply on
// standard error, and returns the exit status that --fail-on decides.
func finish(c *cli.Context, r *report.Report) error {
	out, err := outputOptions(c)
	if err != nil {
		return err
	}
	r.Version = buildVersion()
	r.FailOn = out.failOn
	if out.waivers != nil {
		out.waivers.Apply(r, today())
	}
	opt := report.Options{Color: colorful(c.App.Writer), Quiet: c.Bool("quiet")}
	if err := report.WriteOutputs(out.outputs, r, c.App.Writer, opt); err != nil {
		var we *report.WriteError
		if errors.As(err, &we) {
			return usageError(err, "check that the directory exists and is writable")
		}
		return usageError(err)
	}
	if out.waivers != nil {
		for _, n := range out.waivers.Notices(r.Waivers) {
			fmt.Fprintf(c.App.ErrWriter, "replcheck: warning: %s\n", n)
		}
	}
	return exitStatus(report.Decide(r.Findings, r.FailOn).Code)
}

// colorful reports whether w is a terminal and NO_COLOR (no-color.org) is
// unset or empty.
func colorful(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && terminal(w)
}

// terminal reports whether w is a terminal, not merely a character device
// such as /dev/null: progress and colours are for people only.
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// writeOutput writes data, which names what it is for errors, to
// --output, or to standard output (for commands whose output is not a
// report of findings).
func writeOutput(c *cli.Context, what string, data []byte) error {
	out := c.String("output")
	var err error
	if out == "" {
		_, err = c.App.Writer.Write(data)
	} else {
		err = os.WriteFile(out, data, 0o644)
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		where := out
		if where == "" {
			where = "standard output"
		}
		return usageError(fmt.Errorf("cannot write %s to %s: %w", what, where, err),
			"check that the directory exists and is writable")
	}
	return nil
}
