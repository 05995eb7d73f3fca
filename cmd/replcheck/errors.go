package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/internal/hint"
)

// exitUsage is the exit code for usage and input errors: nothing was checked.
const exitUsage = 2

// exitError is an error that ends the program with code, followed by hint
// lines telling the user how to fix it. Each line of err is printed as its
// own error line; a nil err prints nothing (the result was the output).
type exitError struct {
	code  int
	err   error
	hints []string
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageError returns an exitError with code exitUsage.
func usageError(err error, hints ...string) *exitError {
	return &exitError{code: exitUsage, err: err, hints: hints}
}

// exitStatus ends the program with code without printing an error; nil
// for code 0.
func exitStatus(code int) error {
	if code == 0 {
		return nil
	}
	return &exitError{code: code}
}

// handleError prints err, if any, the way age does (lower-case "replcheck: error:"
// lines, then "replcheck: hint:" lines) and returns the exit code. Errors
// that are not exitErrors are usage or input errors: from a source of facts
// or an input file, with the hints they carry, or from flag parsing or help.
func handleError(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		hints := hint.Of(err)
		if len(hints) == 0 {
			hints = []string{"run 'replcheck --help' for usage"}
		}
		ee = usageError(err, hints...)
	}
	if ee.err == nil {
		return ee.code
	}
	for line := range strings.SplitSeq(ee.err.Error(), "\n") {
		fmt.Fprintf(stderr, "replcheck: error: %s\n", line)
	}
	for _, h := range ee.hints {
		fmt.Fprintf(stderr, "replcheck: hint: %s\n", h)
	}
	return ee.code
}

// onUsageError turns a flag parsing error into a usage error that names the
// command, instead of letting urfave/cli print the whole help text.
func onUsageError(c *cli.Context, err error, _ bool) error {
	if v := repeatedFlag(c); v != nil {
		return usageError(v.repeated, fmt.Sprintf("give --%s once", v.name))
	}
	return usageError(err, fmt.Sprintf("run '%s --help' for usage", c.Command.HelpName))
}

// helpOrUnknown is the action of commands that only group subcommands: it
// shows their help, or rejects an unknown subcommand.
func helpOrUnknown(c *cli.Context) error {
	if c.Args().Present() {
		return usageError(fmt.Errorf("unknown command %q", c.Args().First()),
			fmt.Sprintf("run '%s --help' for the list of commands", c.Command.HelpName))
	}
	return cli.ShowSubcommandHelp(c)
}
