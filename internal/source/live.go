package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/gather"
	"github.com/replcheck/replcheck/internal/hint"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Access says how to reach AWS: credentials, Region and endpoint.
type Access = gather.Access

// Recorder records the AWS operations a run invokes.
type Recorder = gather.Recorder

// Live reads the facts of one source bucket and its destinations from
// AWS, read-only (package gather).
type Live struct {
	Access
	// Bucket is the source bucket, by name or ARN.
	Bucket string
	// Config, if set, is the proposed replication configuration to check
	// instead of the bucket's current one.
	Config *snapshot.ReplicationConfiguration
	// Batch asks for the facts of Batch Replication, with BatchRole as
	// the job role (default: the replication role).
	Batch     bool
	BatchRole string
	// Objects is how many object versions to sample per rule (0: none).
	Objects int
	// Recorder, if set, records every operation invoked.
	Recorder *Recorder
	// Progress, if set, receives one line before and one after reading.
	Progress io.Writer
}

// Snapshots reads the facts and yields them as one snapshot.
func (l Live) Snapshots(ctx context.Context, yield func(*snapshot.Snapshot) error) error {
	opt := gather.Options{
		Access:    l.Access,
		Source:    l.Bucket,
		Config:    l.Config,
		Batch:     l.Batch,
		BatchRole: l.BatchRole,
		Objects:   l.Objects,
		Recorder:  l.Recorder,
		Questions: simulatorQuestions(checks.Options{Batch: l.Batch}),
	}
	start := time.Now()
	if l.Progress != nil {
		fmt.Fprintf(l.Progress, "replcheck: reading the facts of %s from AWS…\n", opt.Source)
	}
	snap, err := gather.Gather(ctx, opt)
	if err != nil {
		return gatherError(err)
	}
	if l.Progress != nil && opt.Recorder != nil {
		fmt.Fprintf(l.Progress, "replcheck: %d AWS calls in %s\n", opt.Recorder.Total(), time.Since(start).Round(time.Millisecond))
	}
	return yield(snap)
}

// simulatorQuestions returns the identity-side permission questions the
// checks will ask of a snapshot, for iam:SimulatePrincipalPolicy.
func simulatorQuestions(opt checks.Options) func(*snapshot.Snapshot) []gather.Question {
	return func(s *snapshot.Snapshot) []gather.Question {
		qs, err := checks.Questions(s, opt)
		if err != nil {
			return nil // the checks will report the same error
		}
		out := make([]gather.Question, len(qs))
		for i, q := range qs {
			out[i] = gather.Question{Principal: q.Role.ARN, Action: q.Action, Resource: q.Resource, Context: q.Context}
		}
		return out
	}
}

// gatherError gives a gathering failure the hint that fixes it.
func gatherError(err error) error {
	var nc *gather.NoCredentialsError
	var ee *gather.EndpointError
	switch {
	case errors.As(err, &nc):
		return hint.With(err, "replcheck finds credentials as the AWS SDKs do (environment, --profile or AWS_PROFILE, SSO, "+
			"credential_process, web identity, container endpoint, EC2 instance role): check the source named above, then 'aws sts get-caller-identity'")
	case errors.As(err, &ee):
		return hint.With(err, ee.Hint())
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted: nothing was checked")
	case strings.Contains(err.Error(), "profile"):
		return hint.With(err, "list the profiles with 'aws configure list-profiles'")
	}
	return hint.With(err, "run with a valid --source, profile and Region")
}
