package main

import (
	"bytes"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/internal/generate"
	"github.com/replcheck/replcheck/internal/pipeline"
	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/source"
)

const policyGenerateDescription = `Writes the least-privilege policies that make a replication configuration
work: the replication role's trust policy (with aws:SourceAccount and
aws:SourceArn) and identity policy, the statements to add to destination
bucket policies across accounts and to KMS key policies (naming the role),
and with --batch the Batch Operations job role's policy. Every permission
is derived from what replcheck's checks ask of this configuration: delete
markers, owner override, Object Lock and SSE-KMS get their permissions only
when the configuration needs them, and object resources are scoped to the
rules' prefixes. Existing bucket and key policies get only the statements to
add.

It reads what preflight reads: --source and --config live (read-only), or
--snapshot FILE; or, with --plan PLAN.json, the state a Terraform plan would
produce (one set of policies per source bucket the plan configures). --verify proves the policies with the checks: with them in
place every permission check passes, and without any one statement a check
fails. replcheck never applies them: --format cli prints the aws commands
that would, for review.

Exit codes: 0 the policies were written (and, with --verify, proven); 1 with
--verify, the proof failed; 2 usage or input error.

Examples:

   replcheck policy generate --source src-bucket --config proposed.json --destination-role arn:aws:iam::222222222222:role/replcheck-reader
   replcheck policy generate --snapshot snap.json --verify
   replcheck policy generate --snapshot snap.json --format terraform --output replication-iam.tf
   replcheck policy generate --snapshot snap.json --format cli
   replcheck policy generate --plan plan.json --format terraform`

// policyGenerateCommand is 'replcheck policy generate'.
func policyGenerateCommand() *cli.Command {
	return &cli.Command{
		Name:         "generate",
		Usage:        "write the least-privilege policies a replication configuration needs",
		Description:  policyGenerateDescription,
		OnUsageError: onUsageError,
		Flags: append(gatherFlagsExcept("destination"),
			&cli.StringFlag{Name: "snapshot", Usage: "offline: read every fact from snapshot `FILE` instead of calling AWS"},
			&cli.StringFlag{Name: "plan", Usage: "offline: the state a Terraform plan would produce, from `PLAN.json` ('terraform show -json PLANFILE')"},
			&cli.StringFlag{Name: "format", Value: generate.Formats[0], Usage: "output `FORMAT`: " + strings.Join(generate.Formats, ", ")},
			&cli.StringFlag{Name: "output", Usage: "write the policies to `FILE` instead of standard output"},
			&cli.BoolFlag{Name: "verify", Usage: "prove the policies with the checks; exit 1 when the proof fails"},
			&cli.BoolFlag{Name: "no-trust-conditions", Usage: "leave aws:SourceAccount and aws:SourceArn out of the trust policies"},
		),
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageError(fmt.Errorf("unexpected argument %q", c.Args().First()),
					"name the source bucket with --source and the snapshot with --snapshot")
			}
			return policyGenerate(c)
		},
	}
}

// policyGenerate reads the facts, generates the policies and writes them.
func policyGenerate(c *cli.Context) error {
	if f := c.String("format"); !generate.ValidFormat(f) {
		return usageError(fmt.Errorf("--format: unknown format %q", f), "pass --format with one of "+strings.Join(generate.Formats, ", "))
	}
	if err := checkCommonFlags(c); err != nil {
		return err
	}
	rec := &source.Recorder{}
	src, err := generateSource(c, rec)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt)
	defer stop()
	opt := generate.Options{Batch: c.Bool("batch"), NoTrustConditions: c.Bool("no-trust-conditions")}
	all, err := pipeline.Generate(ctx, src, opt, c.Bool("verify"))
	if lerr := writeCallLog(rec); lerr != nil {
		return lerr
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := generate.Write(&buf, c.String("format"), all); err != nil {
		return usageError(fmt.Errorf("cannot render the policies: %w", err))
	}
	if err := writeOutput(c, "the policies", buf.Bytes()); err != nil {
		return err
	}
	if c.Bool("verify") && slices.ContainsFunc(all, func(p *generate.Policies) bool { return !p.Verification.Verified }) {
		return exitStatus(report.ExitFail)
	}
	return nil
}

// generateSource is where policy generate reads the facts: the plan of
// --plan, else as preflight does.
func generateSource(c *cli.Context, rec *source.Recorder) (source.Source, error) {
	file := c.String("plan")
	if file == "" {
		return factsSource(c, rec)
	}
	for _, f := range append([]string{"snapshot", "source", "config", "batch-role"}, awsFlags...) {
		if c.IsSet(f) {
			return nil, usageError(fmt.Errorf("--%s has no effect with --plan, which holds the facts and the configuration", f),
				"drop --"+f+", or drop --plan")
		}
	}
	return source.Plan{Path: file, Dir: filepath.Dir(file), Batch: c.Bool("batch")}, nil
}

// gatherFlagsExcept is gatherFlags without the named flags.
func gatherFlagsExcept(names ...string) []cli.Flag {
	return slices.DeleteFunc(gatherFlags(), func(f cli.Flag) bool { return slices.Contains(names, f.Names()[0]) })
}
