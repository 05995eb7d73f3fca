package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/pipeline"
	"github.com/replcheck/replcheck/internal/source"
)

const preflightDescription = `Predicts the S3 replication failure reasons for one source bucket and its
destinations, and prints one finding per check for every rule and
destination: fail, warn, unknown (could not be decided), pass or skip.

Live, it reads the facts with the source credentials (--profile, or the
SDK's standard chain) and, for another destination account, with
--destination-profile or --destination-role; it only ever reads. Offline,
--snapshot FILE reads every fact from a snapshot file (docs/snapshot.md;
'replcheck snapshot' writes one). --config FILE checks a proposed
replication configuration instead of the current one.

--format may be repeated: each FORMAT=FILE writes that file, and at most one
FORMAT alone goes to standard output (or --output); every report of a run
holds the same findings. Waivers in .replcheck.yaml (or --waivers FILE)
accept reviewed findings until their expiry date: waived findings stay in
the reports, marked, and do not count toward the exit code.

Exit codes: 0 no failure predicted and every check decided; 1 at least one
failure predicted; 2 usage or input error (nothing was checked); 3 no
failure, but at least one check could not be decided. --fail-on sets the
least severe status that counts: unknown (the default), fail (unknowns exit
0) or warn (warnings exit 1 too). By default warnings do not change the exit
code.

Examples:

   replcheck preflight --source src-bucket --config proposed.json
   replcheck preflight --source src-bucket --destination-role arn:aws:iam::222222222222:role/replcheck-reader --format json
   replcheck preflight --snapshot snap.json
   replcheck preflight --snapshot snap.json --config proposed.json --format json
   replcheck preflight --snapshot snap.json --destination dst-bucket --format sarif --output replcheck.sarif
   replcheck preflight --snapshot snap.json --format text --format sarif=replcheck.sarif --format junit=replcheck.xml --fail-on warn --quiet`

// preflightCommand is `replcheck preflight`.
func preflightCommand() *cli.Command {
	return &cli.Command{
		Name:         "preflight",
		Usage:        "predict the replication failures of a source bucket and its destinations",
		Description:  preflightDescription,
		OnUsageError: onUsageError,
		Flags: append(append(gatherFlags(), outputFlags()...),
			&cli.StringFlag{Name: "snapshot", Usage: "offline: read every fact from snapshot `FILE` instead of calling AWS"},
		),
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageError(fmt.Errorf("unexpected argument %q", c.Args().First()),
					"name the source bucket with --source and the snapshot with --snapshot")
			}
			return preflight(c)
		},
	}
}

// gatherFlags are the flags that say what to read and how: preflight and
// snapshot share them.
func gatherFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "source", Usage: "source bucket `NAME|ARN` (required unless --snapshot is given)"},
		&cli.StringFlag{Name: "config", Usage: "proposed replication configuration `FILE` (bare, or wrapped in {\"ReplicationConfiguration\": …}); default: the current one"},
		&cli.StringSliceFlag{Name: "destination", Usage: "only check this destination bucket `NAME|ARN` (repeatable); default: every destination"},
		&cli.StringFlag{Name: "profile", Usage: "AWS shared-config `NAME` for the source account"},
		&cli.StringFlag{Name: "region", Usage: "AWS Region `NAME` of the source account's clients"},
		&cli.StringFlag{Name: "destination-profile", Usage: "AWS shared-config `NAME` for the destination account"},
		&cli.StringFlag{Name: "destination-role", Usage: "role `ARN` to assume, from the source credentials, to read the destination account"},
		&cli.StringFlag{Name: "endpoint-url", Usage: "one endpoint `URL` for S3, IAM, KMS, STS and Organizations"},
		&cli.BoolFlag{Name: "batch", Usage: "also predict S3 Batch Replication failures"},
		&cli.StringFlag{Name: "batch-role", Usage: "the Batch Operations job role `ARN` (with --batch)"},
		&cli.IntFlag{Name: "objects", Usage: "inspect up to `N` object versions per rule for object-level reasons (0 turns it off)"},
	}
}

// preflight validates the flags, runs the checks and writes the report.
func preflight(c *cli.Context) error {
	if err := checkOutputFlags(c); err != nil {
		return err
	}
	if err := checkCommonFlags(c); err != nil {
		return err
	}
	rec := &source.Recorder{}
	src, err := factsSource(c, rec)
	if err != nil {
		return err
	}
	// Ctrl-C cancels every call in flight.
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt)
	defer stop()
	r, err := pipeline.Run(ctx, src, pipeline.Options{Checks: checks.Options{Batch: c.Bool("batch"), Destinations: destinationNames(c)}})
	if lerr := writeCallLog(rec); lerr != nil {
		return lerr
	}
	if err != nil {
		return err
	}
	r.Command, r.Input = "preflight", inputFile(c)
	return finish(c, r)
}

// destinationNames are the bucket names --destination gives.
func destinationNames(c *cli.Context) []string {
	var names []string
	for _, d := range c.StringSlice("destination") {
		name, _ := bucketArg("--destination", d) // checked by checkCommonFlags
		names = append(names, name)
	}
	return names
}

// factsSource is where preflight and snapshot read the facts: the snapshot
// file of --snapshot, or else AWS.
func factsSource(c *cli.Context, rec *source.Recorder) (source.Source, error) {
	if c.String("snapshot") != "" {
		return fileSource(c)
	}
	return liveSource(c, rec)
}

// checkCommonFlags validates the forms of the flags both modes read.
func checkCommonFlags(c *cli.Context) error {
	if s := c.String("source"); c.IsSet("source") {
		if _, err := bucketArg("--source", s); err != nil {
			return err
		}
	}
	for _, d := range c.StringSlice("destination") {
		if _, err := bucketArg("--destination", d); err != nil {
			return err
		}
	}
	if c.IsSet("batch-role") {
		if !c.Bool("batch") {
			return usageError(errors.New("--batch-role names the Batch Operations job role, but --batch is not set"),
				"add --batch to predict Batch Replication failures")
		}
		if err := roleArg("--batch-role", c.String("batch-role")); err != nil {
			return err
		}
	}
	return nil
}

// inputFile is the file the report's findings point at: the proposed
// configuration, or else the snapshot.
func inputFile(c *cli.Context) string {
	if f := c.String("config"); f != "" {
		return f
	}
	return c.String("snapshot")
}
