package main

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/internal/snapshot"
)

const (
	snapshotHint = "fix the field; docs/snapshot.md describes the snapshot format"
	configHint   = "the configuration is the JSON of 'aws s3api put-bucket-replication --replication-configuration', " +
		"bare or wrapped in {\"ReplicationConfiguration\": …} as get-bucket-replication prints it"
)

// offlineSnapshot loads --snapshot, applies --config and --batch-role, and
// checks --source and --destination against it.
func offlineSnapshot(c *cli.Context) (*snapshot.Snapshot, error) {
	for _, f := range awsFlags {
		if c.IsSet(f) {
			return nil, usageError(fmt.Errorf("--%s reads from AWS and has no effect with --snapshot", f),
				"the snapshot already holds the facts: drop --"+f)
		}
	}
	file := c.String("snapshot")
	snap, err := snapshot.Load(file)
	if err != nil {
		return nil, inputError("snapshot", file, err, snapshotHint)
	}
	if s := c.String("source"); s != "" {
		name, _ := bucketArg("--source", s) // checked by checkCommonFlags
		if name != snap.Source.Name {
			return nil, usageError(fmt.Errorf("--source %s does not match the snapshot's source bucket %s", s, snap.Source.Name),
				"drop --source, or pass the snapshot of "+name)
		}
	}
	if cf := c.String("config"); cf != "" {
		cfg, err := snapshot.LoadConfig(cf)
		if err != nil {
			return nil, inputError("replication configuration", cf, err, configHint)
		}
		snap.Replication = snapshot.KnownFact(*cfg)
	}
	if err := checkDestinations(snap, c.StringSlice("destination")); err != nil {
		return nil, err
	}
	if role := c.String("batch-role"); role != "" {
		if snap.Batch == nil {
			snap.Batch = &snapshot.BatchJob{}
			if snap.Source.Region.IsKnown() {
				snap.Batch.Region = snap.Source.Region.Value
			}
		}
		snap.Batch.RoleARN = role
	}
	return snap, nil
}

// inputError turns a Load error into a usage error: a FileError names the
// file and field itself; a read error gets the file named.
func inputError(what, file string, err error, hint string) error {
	var fe *snapshot.FileError
	if errors.As(err, &fe) {
		return usageError(err, hint)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return usageError(fmt.Errorf("cannot read %s %s: %w", what, file, err), "check the path")
}

// checkDestinations makes sure every --destination names a destination of
// the replication configuration.
func checkDestinations(snap *snapshot.Snapshot, want []string) error {
	if len(want) == 0 {
		return nil
	}
	if !snap.Replication.IsKnown() {
		return usageError(fmt.Errorf("--destination %s: the snapshot has no replication configuration to filter", want[0]),
			"drop --destination, or pass the proposed configuration with --config FILE")
	}
	var have []string
	for _, r := range snap.Replication.Value.Rules {
		if name, ok := snapshot.BucketFromARN(r.Destination.Bucket); ok && !slices.Contains(have, name) {
			have = append(have, name)
		}
	}
	for _, d := range want {
		name, _ := bucketArg("--destination", d) // checked by checkCommonFlags
		if !slices.Contains(have, name) {
			return usageError(fmt.Errorf("--destination %s matches no rule of the replication configuration", d),
				"the configuration replicates to: "+strings.Join(have, ", "))
		}
	}
	return nil
}
