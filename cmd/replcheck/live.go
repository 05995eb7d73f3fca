package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/internal/source"
)

// liveSource is the source of facts of preflight and snapshot without
// --snapshot: AWS, read with the credential flags. rec records every
// operation the run invokes.
func liveSource(c *cli.Context, rec *source.Recorder) (source.Source, error) {
	if c.String("source") == "" {
		return nil, usageError(errors.New("--source is required"),
			"name the source bucket (--source NAME or --source arn:aws:s3:::NAME), or check a snapshot with --snapshot FILE")
	}
	if err := checkLiveFlags(c); err != nil {
		return nil, err
	}
	l := source.Live{
		Access:    accessFlags(c),
		Bucket:    c.String("source"),
		Batch:     c.Bool("batch"),
		BatchRole: c.String("batch-role"),
		Objects:   c.Int("objects"),
		Recorder:  rec,
	}
	if cf := c.String("config"); cf != "" {
		cfg, err := source.LoadConfig(cf)
		if err != nil {
			return nil, err
		}
		l.Config = cfg
	}
	if terminal(c.App.ErrWriter) { // progress only on a terminal
		l.Progress = c.App.ErrWriter
	}
	return l, nil
}

// accessFlags are the credential, Region and endpoint flags.
func accessFlags(c *cli.Context) source.Access {
	return source.Access{
		Profile:            c.String("profile"),
		Region:             c.String("region"),
		DestinationProfile: c.String("destination-profile"),
		DestinationRole:    c.String("destination-role"),
		EndpointURL:        c.String("endpoint-url"),
	}
}

// writeCallLog writes the AWS operations a run invoked, and how often, as
// JSON to the file REPLCHECK_CALL_LOG names, if it names one: tests use it
// to prove that replcheck only reads.
func writeCallLog(rec *source.Recorder) error {
	file := os.Getenv("REPLCHECK_CALL_LOG")
	if file == "" {
		return nil
	}
	data, err := json.MarshalIndent(rec.Calls(), "", "  ")
	if err == nil {
		err = os.WriteFile(file, append(data, '\n'), 0o644)
	}
	if err != nil {
		return usageError(fmt.Errorf("REPLCHECK_CALL_LOG: %w", err))
	}
	return nil
}
