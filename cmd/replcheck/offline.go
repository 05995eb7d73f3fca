package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/internal/source"
)

// fileSource is the source of facts of preflight --snapshot FILE.
func fileSource(c *cli.Context) (source.Source, error) {
	for _, f := range awsFlags {
		if c.IsSet(f) {
			return nil, usageError(fmt.Errorf("--%s reads from AWS and has no effect with --snapshot", f),
				"the snapshot already holds the facts: drop --"+f)
		}
	}
	f := source.File{Path: c.String("snapshot"), BatchRole: c.String("batch-role")}
	if s := c.String("source"); s != "" {
		f.Bucket, _ = bucketArg("--source", s) // checked by checkCommonFlags
	}
	if cf := c.String("config"); cf != "" {
		cfg, err := source.LoadConfig(cf)
		if err != nil {
			return nil, err
		}
		f.Config = cfg
	}
	return f, nil
}
