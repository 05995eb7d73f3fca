package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/internal/pipeline"
	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/internal/source"
)

const snapshotDescription = `Reads every fact that preflight needs about a source bucket and its
destinations from AWS, read-only, and writes them as a snapshot (JSON,
docs/snapshot.md). 'replcheck preflight --snapshot FILE' then checks them
offline with the same findings: for CI, for reviews, or to check again
after a change without calling AWS.

Examples:

   replcheck snapshot --source src-bucket --output snap.json
   replcheck snapshot --source src-bucket --destination-profile dst --objects 100 --output snap.json`

// snapshotCommand is 'replcheck snapshot'.
func snapshotCommand() *cli.Command {
	return &cli.Command{
		Name:         "snapshot",
		Usage:        "gather the facts of a source bucket and its destinations into a snapshot file",
		Description:  snapshotDescription,
		OnUsageError: onUsageError,
		Flags: append(gatherFlags(),
			&cli.StringFlag{Name: "output", Usage: "write the snapshot to `FILE` instead of standard output"},
		),
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageError(fmt.Errorf("unexpected argument %q", c.Args().First()), "name the source bucket with --source")
			}
			if err := checkCommonFlags(c); err != nil {
				return err
			}
			rec := &source.Recorder{}
			src, err := liveSource(c, rec)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt)
			defer stop()
			var data []byte
			err = src.Snapshots(ctx, func(s *snapshot.Snapshot) error {
				if err := pipeline.CheckDestinations(s, destinationNames(c)); err != nil {
					return err
				}
				var err error
				data, err = json.MarshalIndent(s, "", "  ")
				return err
			})
			if lerr := writeCallLog(rec); lerr != nil {
				return lerr
			}
			if err != nil {
				return err
			}
			return writeOutput(c, "the snapshot", append(data, '\n'))
		},
	}
}
