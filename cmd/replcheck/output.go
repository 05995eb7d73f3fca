package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/internal/report"
)

// outputFlags are the flags that say how to report: preflight, plan and
// audit share them.
func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: " + strings.Join(report.Formats, ", ")},
		&cli.StringFlag{Name: "output", Usage: "write the report to `FILE` instead of standard output"},
	}
}

// checkOutputFlags validates the output flags before any work is done.
func checkOutputFlags(c *cli.Context) error {
	if _, err := report.New(c.String("format"), false); err != nil {
		return formatError(err)
	}
	return nil
}

// finish writes the report of a checking command and returns its exit
// status.
func finish(c *cli.Context, r *report.Report) error {
	r.Version = buildVersion()
	if err := writeReport(c, r); err != nil {
		return err
	}
	return exitStatus(exitCode(report.Summarize(r.Findings)))
}

// exitCode maps a summary to the exit code: failures outrank unknowns, and
// warnings do not count.
func exitCode(s report.Summary) int {
	switch {
	case s.Fail > 0:
		return exitFail
	case s.Unknown > 0:
		return exitUnknown
	}
	return 0
}

// writeReport writes r in --format to --output, or to standard output.
// The report is rendered whole first, so that a failure leaves no partial
// file.
func writeReport(c *cli.Context, r *report.Report) error {
	out := c.String("output")
	rep, err := report.New(c.String("format"), out == "" && colorful(c.App.Writer))
	if err != nil {
		return formatError(err)
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf, r); err != nil {
		return usageError(fmt.Errorf("cannot render the report: %w", err))
	}
	return writeOutput(c, "the report", buf.Bytes())
}

// writeOutput writes data, which names what it is for errors, to
// --output, or to standard output.
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
		return usageError(fmt.Errorf("cannot write %s to %s: %w", what, outputName(out), err),
			"check that the directory exists and is writable")
	}
	return nil
}

// formatError is the usage error of an unknown --format.
func formatError(err error) error {
	return usageError(fmt.Errorf("--format: %w", err), "pass --format with one of "+strings.Join(report.Formats, ", "))
}

// outputName names the output in messages.
func outputName(out string) string {
	if out == "" {
		return "standard output"
	}
	return out
}

// colorful reports whether w is a terminal and NO_COLOR (no-color.org) is
// unset or empty.
func colorful(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
