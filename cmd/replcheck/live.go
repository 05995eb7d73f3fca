package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/gather"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// liveSnapshot gathers the facts from AWS for the flags of preflight and
// snapshot.
func liveSnapshot(c *cli.Context) (*snapshot.Snapshot, error) {
	if c.String("source") == "" {
		return nil, usageError(errors.New("--source is required"),
			"name the source bucket (--source NAME or --source arn:aws:s3:::NAME), or check a snapshot with --snapshot FILE")
	}
	if err := checkLiveFlags(c); err != nil {
		return nil, err
	}
	opt := gather.Options{
		Access: gather.Access{
			Profile:            c.String("profile"),
			Region:             c.String("region"),
			DestinationProfile: c.String("destination-profile"),
			DestinationRole:    c.String("destination-role"),
			EndpointURL:        c.String("endpoint-url"),
		},
		Source:    c.String("source"),
		Batch:     c.Bool("batch"),
		BatchRole: c.String("batch-role"),
		Objects:   c.Int("objects"),
	}
	if cf := c.String("config"); cf != "" {
		cfg, err := snapshot.LoadConfig(cf)
		if err != nil {
			return nil, inputError("replication configuration", cf, err, configHint)
		}
		opt.Config = cfg
	}
	checkOpt := checks.Options{Batch: opt.Batch}
	opt.Questions = func(s *snapshot.Snapshot) []gather.Question {
		qs, err := checks.Questions(s, checkOpt)
		if err != nil {
			return nil // the checks will report the same error
		}
		out := make([]gather.Question, len(qs))
		for i, q := range qs {
			out[i] = gather.Question{Principal: q.Role.ARN, Action: q.Action, Resource: q.Resource, Context: q.Context}
		}
		return out
	}
	rec := &gather.Recorder{}
	opt.Recorder = rec

	// Ctrl-C cancels every call in flight.
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt)
	defer stop()
	progress := colorful(c.App.ErrWriter) // a terminal
	start := time.Now()
	if progress {
		fmt.Fprintf(c.App.ErrWriter, "replcheck: reading the facts of %s from AWS…\n", opt.Source)
	}
	snap, err := gather.Gather(ctx, opt)
	if log := os.Getenv("REPLCHECK_CALL_LOG"); log != "" {
		if werr := writeCallLog(log, rec); werr != nil {
			return nil, usageError(fmt.Errorf("REPLCHECK_CALL_LOG: %w", werr))
		}
	}
	if err != nil {
		return nil, gatherError(err)
	}
	if progress {
		fmt.Fprintf(c.App.ErrWriter, "replcheck: %d AWS calls in %s\n", rec.Total(), time.Since(start).Round(time.Millisecond))
	}
	if err := checkDestinations(snap, c.StringSlice("destination")); err != nil {
		return nil, err
	}
	return snap, nil
}

// gatherError turns a gathering failure into an exit-2 error with a hint.
func gatherError(err error) error {
	var nc *gather.NoCredentialsError
	var ee *gather.EndpointError
	switch {
	case errors.As(err, &nc):
		return usageError(err, "replcheck finds credentials as the AWS SDKs do (environment, --profile or AWS_PROFILE, SSO, "+
			"credential_process, web identity, container endpoint, EC2 instance role): check the source named above, then 'aws sts get-caller-identity'")
	case errors.As(err, &ee):
		return usageError(err, ee.Hint())
	case errors.Is(err, context.Canceled):
		return usageError(errors.New("interrupted: nothing was checked"))
	case strings.Contains(err.Error(), "profile"):
		return usageError(err, "list the profiles with 'aws configure list-profiles'")
	}
	return usageError(err, "run with a valid --source, profile and Region")
}

// writeCallLog writes the AWS operations a run invoked, and how often, as
// JSON: tests use it to prove that replcheck only reads.
func writeCallLog(file string, rec *gather.Recorder) error {
	data, err := json.MarshalIndent(rec.Calls(), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(data, '\n'), 0o644)
}
