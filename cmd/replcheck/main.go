// Command replcheck predicts Amazon S3 replication failures before they
// happen. This package only parses flags and wires commands to the packages
// that do the work; see README.md for usage.
package main

import (
	"io"
	"os"

	"github.com/urfave/cli/v2"
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line args and returns the process exit code. It
// is the one place where errors become exit codes.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin)
	app.Writer, app.ErrWriter = stdout, stderr
	return handleError(stderr, app.Run(planFileLast(flagsAfterCommand(app.Commands, args))))
}

// newApp builds the command tree; commands read their input from stdin.
func newApp(stdin io.Reader) *cli.App {
	app := &cli.App{
		Name:    "replcheck",
		Usage:   "predict Amazon S3 replication failures before they happen",
		Version: buildVersion(),
		Description: `replcheck reads a bucket's replication setup and predicts which replication
failure reasons S3 would report, so they can be fixed before replication is
enabled, in CI, and in audits.

Examples:

   replcheck preflight --snapshot snap.json
   replcheck plan plan.json
   replcheck audit --organization --assume-role-name replcheck-audit
   replcheck explain DstBucketUnversioned
   replcheck policy eval cases.json
   replcheck policy generate --snapshot snap.json --verify`,
		Commands: []*cli.Command{
			preflightCommand(),
			planCommand(),
			auditCommand(),
			snapshotCommand(),
			explainCommand(),
			policyCommand(stdin),
		},
		Action:         helpOrUnknown,
		OnUsageError:   onUsageError,
		ExitErrHandler: func(*cli.Context, error) {}, // run maps errors to exit codes
	}
	singleValueFlags(app.Commands)
	return app
}
