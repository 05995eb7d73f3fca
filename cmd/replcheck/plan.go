package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/pipeline"
	"github.com/replcheck/replcheck/internal/source"
)

const planDescription = `Checks the state a Terraform plan would produce, offline: the JSON that
'terraform show -json PLANFILE' (or 'tofu show -json') prints. Every finding
names the Terraform address of the resource that causes it, or of the
replication configuration of its rule.

Values known only after apply are unknown facts, never guesses. Resources
the plan does not manage (a destination bucket of another state, a key named
by ARN, an AWS managed policy) are unknown unless --live reads them from AWS
with the usual credential flags; --live reads only what the plan does not
decide, and the organization policies (SCPs, RCPs), which a plan never holds.
Without --live, organization policies are taken to allow everything.

One finding exists only for plans: ReplicationBeforeVersioning (warn), when
the apply may put the replication configuration before the versioning it
needs.

Exit codes: 0 no failure predicted and every check decided; 1 at least one
failure predicted; 2 usage or input error (the file is not a plan, or is
malformed: the message names the file and the JSON path); 3 no failure, but at
least one check could not be decided.

Examples:

   terraform plan -out=tfplan && terraform show -json tfplan > plan.json
   replcheck plan plan.json
   replcheck plan plan.json --format sarif --output replcheck.sarif
   replcheck plan plan.json --chdir infra/ --live --destination-profile dr`

// planCommand is `replcheck plan PLAN.json`.
func planCommand() *cli.Command {
	return &cli.Command{
		Name:         "plan",
		Usage:        "predict the replication failures a Terraform plan would cause",
		ArgsUsage:    "PLAN.json",
		Description:  planDescription,
		OnUsageError: onUsageError,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "chdir", Usage: "the Terraform configuration `DIR`, for the file and line of each resource (default: the plan file's directory)"},
			&cli.BoolFlag{Name: "live", Usage: "read from AWS the facts the plan does not decide"},
			&cli.StringFlag{Name: "profile", Usage: "AWS shared-config `NAME` for the source account (with --live)"},
			&cli.StringFlag{Name: "region", Usage: "AWS Region `NAME` of the source account's clients (with --live)"},
			&cli.StringFlag{Name: "destination-profile", Usage: "AWS shared-config `NAME` for the destination account (with --live)"},
			&cli.StringFlag{Name: "destination-role", Usage: "role `ARN` to assume, from the source credentials, to read the destination account (with --live)"},
			&cli.StringFlag{Name: "endpoint-url", Usage: "one endpoint `URL` for S3, IAM, KMS, STS and Organizations (with --live)"},
			&cli.BoolFlag{Name: "batch", Usage: "also predict S3 Batch Replication failures, with the replication role as the job role"},
		}, outputFlags()...),
		Action: planAction,
	}
}

// planFlags are the flags that only --live reads.
var planLiveFlags = []string{"profile", "region", "destination-profile", "destination-role", "endpoint-url"}

func planAction(c *cli.Context) error {
	if err := checkOutputFlags(c); err != nil {
		return err
	}
	if c.NArg() != 1 {
		return usageError(errors.New("replcheck plan takes one argument, the plan's JSON file"),
			"terraform plan -out=tfplan && terraform show -json tfplan > plan.json && replcheck plan plan.json")
	}
	file := c.Args().First()
	src := source.Plan{Path: file, Dir: c.String("chdir"), Batch: c.Bool("batch")}
	if !c.IsSet("chdir") {
		src.Dir = filepath.Dir(file)
	} else if info, err := os.Stat(src.Dir); err != nil || !info.IsDir() {
		return usageError(fmt.Errorf("--chdir %s is not a directory", src.Dir), "pass the directory that holds the configuration's .tf files")
	}
	rec := &source.Recorder{}
	if c.Bool("live") {
		if err := checkLiveFlags(c); err != nil {
			return err
		}
		access := accessFlags(c)
		src.Live, src.Recorder = &access, rec
	} else {
		for _, f := range planLiveFlags {
			if c.IsSet(f) {
				return usageError(fmt.Errorf("--%s reads from AWS, which replcheck plan does only with --live", f),
					"add --live to read what the plan does not decide, or drop --"+f)
			}
		}
		fmt.Fprintln(c.App.ErrWriter, "replcheck: note: organization policies (SCPs, RCPs) are not in a plan; they were taken to allow everything (--live reads them)")
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt)
	defer stop()
	r, err := pipeline.Run(ctx, src, pipeline.Options{Checks: checks.Options{Batch: c.Bool("batch")}, SourcePerFinding: false})
	if lerr := writeCallLog(rec); lerr != nil {
		return lerr
	}
	if err != nil {
		return err
	}
	r.Command, r.Input = "plan", file
	return finish(c, r)
}

// planFileLast moves the plan file of 'replcheck plan FILE --flags' after
// the flags, so that flags may come before or after it (urfave/cli stops
// at the first argument). A value of a flag that takes one stays with it.
func planFileLast(args []string) []string {
	i := slices.Index(args, "plan")
	if i < 0 || slices.ContainsFunc(args[1:i], func(a string) bool { return !strings.HasPrefix(a, "-") }) {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range planCommand().Flags {
		if _, isBool := f.(*cli.BoolFlag); !isBool {
			for _, n := range f.Names() {
				takesValue[n] = true
			}
		}
	}
	var flags, files []string
	rest := args[i+1:]
	for j := 0; j < len(rest); j++ {
		a := rest[j]
		switch {
		case a == "--":
			files = append(files, rest[j:]...)
			j = len(rest)
		case strings.HasPrefix(a, "-"):
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && j+1 < len(rest) {
				j++
				flags = append(flags, rest[j])
			}
		default:
			files = append(files, a)
		}
	}
	out := append(slices.Clone(args[:i+1]), flags...)
	return append(out, files...)
}
