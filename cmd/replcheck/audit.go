package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/pipeline"
	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/source"
)

const auditDescription = `Checks every rule and destination of every bucket that has a replication
configuration, in one account or many, and reports what would fail. Buckets
without a replication configuration produce no findings; they are counted.

It reads with the base credentials (--profile, or the SDK's standard chain)
and, in every audited account other than their own, with the role that
--assume-role-name names, assumed from them once per account. Destination
buckets in other accounts are read with the same role name, tried once; an
account that cannot be read is reported (AccountNotReadable) and the audit
goes on. It only ever reads.

Text output is grouped by account, bucket, then rule and destination, and
shows fail, warn and unknown findings (--show-pass for all); JSON has every
finding, each with its source bucket, and an "audit" object.

Exit codes: 0 no failure predicted and every check decided; 1 at least one
failure predicted; 2 usage or input error (nothing was checked); 3 no
failure, but at least one check could not be decided (or an account could
not be read, or the audit was interrupted).

Examples:

   replcheck audit
   replcheck audit --organization --assume-role-name replcheck-audit --format json --output audit.json
   replcheck audit --accounts 111111111111,222222222222 --assume-role-name replcheck-audit --bucket 'logs-*'`

// auditCommand is `replcheck audit`.
func auditCommand() *cli.Command {
	return &cli.Command{
		Name:         "audit",
		Usage:        "check every replication rule of every bucket, across accounts",
		Description:  auditDescription,
		OnUsageError: onUsageError,
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "accounts", Usage: "accounts `ID[,ID...]` to audit (repeatable); default: the base credentials' own"},
			&cli.BoolFlag{Name: "organization", Usage: "audit every ACTIVE account of the AWS Organization (organizations:ListAccounts)"},
			&cli.StringFlag{Name: "assume-role-name", Usage: "assume arn:aws:iam::ID:role/`NAME` in each audited account, from the base credentials"},
			&cli.StringSliceFlag{Name: "bucket", Usage: "only source buckets whose name matches `GLOB` (repeatable; * and ?)"},
			&cli.StringSliceFlag{Name: "bucket-region", Usage: "only source buckets in these Regions `NAME[,NAME...]`"},
			&cli.StringFlag{Name: "profile", Usage: "AWS shared-config `NAME` of the base credentials"},
			&cli.StringFlag{Name: "region", Usage: "AWS Region `NAME` of the base credentials' clients"},
			&cli.StringFlag{Name: "endpoint-url", Usage: "one endpoint `URL` for S3, IAM, KMS, STS and Organizations"},
			&cli.BoolFlag{Name: "batch", Usage: "also predict S3 Batch Replication failures (the replication role as the job role)"},
			&cli.IntFlag{Name: "objects", Usage: "inspect up to `N` object versions per rule for object-level reasons (0 turns it off)"},
			&cli.IntFlag{Name: "concurrency", Value: 16, Usage: "`N` buckets checked at once"},
			&cli.BoolFlag{Name: "show-pass", Usage: "text output: list pass and skip findings too"},
		}, outputFlags()...),
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageError(fmt.Errorf("unexpected argument %q", c.Args().First()),
					"filter buckets with --bucket GLOB, and name accounts with --accounts")
			}
			return audit(c)
		},
	}
}

// accountID matches a 12-digit AWS account ID.
var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// roleName matches an IAM role name, optionally with a path.
var roleName = regexp.MustCompile(`^(/[\w+=,.@-]+)*/?[\w+=,.@-]{1,64}$`)

// checkAuditFlags validates the audit's own flags.
func checkAuditFlags(c *cli.Context) error {
	for _, a := range c.StringSlice("accounts") {
		if !accountID.MatchString(a) {
			return usageError(fmt.Errorf("--accounts %q is not a 12-digit account ID", a), "pass account IDs such as 111122223333, comma-separated or repeated")
		}
	}
	if c.Bool("organization") && c.IsSet("accounts") {
		return usageError(errors.New("--organization and --accounts both say which accounts to audit"),
			"pass one: --organization for every account of the organization, or --accounts for some")
	}
	if n := c.String("assume-role-name"); c.IsSet("assume-role-name") && !roleName.MatchString(n) {
		hint := "pass the role's name, such as replcheck-audit"
		if strings.HasPrefix(n, "arn:") {
			hint = "pass the role's name, not its ARN: replcheck builds arn:aws:iam::ACCOUNT:role/NAME for each account"
		}
		return usageError(fmt.Errorf("--assume-role-name %q is not an IAM role name", n), hint)
	}
	for _, g := range c.StringSlice("bucket") {
		if _, err := path.Match(g, ""); err != nil || strings.ContainsAny(g, "/:") {
			return usageError(fmt.Errorf("--bucket %q is not a bucket name pattern", g), "use a bucket name with * and ? as wildcards, such as 'logs-*'")
		}
	}
	for _, r := range c.StringSlice("bucket-region") {
		if !regionName.MatchString(r) {
			return usageError(fmt.Errorf("--bucket-region %q is not an AWS Region name", r), "pass Regions such as us-east-1,eu-west-1")
		}
	}
	if n := c.Int("concurrency"); n < 1 {
		return usageError(fmt.Errorf("--concurrency %d is not a positive number", n), "pass how many buckets to check at once, such as 16")
	}
	return checkLiveFlags(c)
}

// audit validates the flags, audits and writes the report.
func audit(c *cli.Context) error {
	if err := checkOutputFlags(c); err != nil {
		return err
	}
	if err := checkAuditFlags(c); err != nil {
		return err
	}
	rec := &source.Recorder{}
	a := &source.Audit{
		Access:         source.Access{Profile: c.String("profile"), Region: c.String("region"), EndpointURL: c.String("endpoint-url")},
		Accounts:       c.StringSlice("accounts"),
		Organization:   c.Bool("organization"),
		AssumeRoleName: c.String("assume-role-name"),
		Buckets:        c.StringSlice("bucket"),
		Regions:        c.StringSlice("bucket-region"),
		Batch:          c.Bool("batch"),
		Objects:        c.Int("objects"),
		Concurrency:    c.Int("concurrency"),
		Recorder:       rec,
	}
	var bar *auditProgress
	if terminal(c.App.ErrWriter) { // progress only on a terminal
		bar = newAuditProgress(c.App.ErrWriter, 100*time.Millisecond)
		a.Progress = bar.update
	}
	// Ctrl-C stops the calls in flight; what was checked is reported.
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt)
	defer stop()
	r, err := pipeline.Run(ctx, a, pipeline.Options{Checks: checks.Options{Batch: c.Bool("batch")}, SourcePerFinding: true})
	if bar != nil {
		bar.finish()
	}
	if lerr := writeCallLog(rec); lerr != nil {
		return lerr
	}
	var interrupted *source.InterruptedError
	if err != nil && !errors.As(err, &interrupted) {
		return err
	}
	r.Command, r.Audit, r.ShowPass = "audit", pipeline.AuditReport(a.Coverage()), c.Bool("show-pass")
	status := finish(c, r)
	if interrupted == nil {
		return status
	}
	code := report.ExitUnknown // not every bucket was checked
	var ee *exitError
	if errors.As(status, &ee) {
		if ee.err != nil {
			return status
		}
		code = max(code, ee.code)
		if ee.code == report.ExitFail {
			code = report.ExitFail
		}
	}
	return &exitError{code: code, err: interrupted, hints: []string{"the report covers the buckets checked before the interruption; run the audit again to check them all"}}
}
