package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/replcheck/replcheck/internal/hint"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Hints for input files.
const (
	snapshotHint = "fix the field; docs/snapshot.md describes the snapshot format"
	configHint   = "the configuration is the JSON of 'aws s3api put-bucket-replication --replication-configuration', " +
		"bare or wrapped in {\"ReplicationConfiguration\": …} as get-bucket-replication prints it"
)

// File is a snapshot file (docs/snapshot.md), as 'replcheck snapshot'
// writes it.
type File struct {
	// Path is the snapshot file.
	Path string
	// Bucket, if set, must be the snapshot's source bucket name.
	Bucket string
	// Config, if set, replaces the snapshot's replication configuration.
	Config *snapshot.ReplicationConfiguration
	// BatchRole, if set, is the Batch Operations job role to check.
	BatchRole string
}

// Snapshots yields the file's one snapshot.
func (f File) Snapshots(_ context.Context, yield func(*snapshot.Snapshot) error) error {
	snap, err := snapshot.Load(f.Path)
	if err != nil {
		return inputError("snapshot", f.Path, err, snapshotHint)
	}
	if f.Bucket != "" && f.Bucket != snap.Source.Name {
		return hint.With(fmt.Errorf("--source %s does not match the snapshot's source bucket %s", f.Bucket, snap.Source.Name),
			"drop --source, or pass the snapshot of "+f.Bucket)
	}
	if f.Config != nil {
		snap.Replication = snapshot.KnownFact(*f.Config)
	}
	if f.BatchRole != "" {
		if snap.Batch == nil {
			snap.Batch = &snapshot.BatchJob{}
			if snap.Source.Region.IsKnown() {
				snap.Batch.Region = snap.Source.Region.Value
			}
		}
		snap.Batch.RoleARN = f.BatchRole
	}
	return yield(snap)
}

// LoadConfig reads a proposed replication configuration file (--config).
func LoadConfig(file string) (*snapshot.ReplicationConfiguration, error) {
	cfg, err := snapshot.LoadConfig(file)
	if err != nil {
		return nil, inputError("replication configuration", file, err, configHint)
	}
	return cfg, nil
}

// inputError gives a file's read or decode error its hint: a FileError
// names the file and field itself; a read error gets the file named.
func inputError(what, file string, err error, fix string) error {
	var fe *snapshot.FileError
	if errors.As(err, &fe) {
		return hint.With(err, fix)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return hint.With(fmt.Errorf("cannot read %s %s: %w", what, file, err), "check the path")
}
