// Package source holds the adapters that produce the facts replcheck
// checks. Each source of facts (live AWS, a snapshot file, and the others
// the commands add) is a Source that yields snapshot.Snapshots; the checks
// and the reporters see only those snapshots, so they never learn where
// the facts came from.
//
// Errors a Source returns stop the run: bad input, no credentials, an
// unreachable endpoint. They carry hints (package hint) that say how to fix
// them. A fact that merely could not be read is not an error: it is an
// Unknown fact inside the snapshot.
package source

import (
	"context"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// A Source yields the snapshots to check, one per source bucket.
type Source interface {
	// Snapshots calls yield with each snapshot in turn, in a stable order,
	// and returns the first error of the source or of yield.
	Snapshots(ctx context.Context, yield func(*snapshot.Snapshot) error) error
}
