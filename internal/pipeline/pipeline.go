// Package pipeline runs every check over the snapshots that a source of
// facts yields and collects the findings into one report, or generates
// the policies each snapshot's configuration needs. It is the one place
// where sources, checks, the generator and reports meet; none of them
// knows the others.
package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/generate"
	"github.com/replcheck/replcheck/internal/hint"
	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/internal/source"
)

// Options are a run's choices.
type Options struct {
	// Checks are the options every snapshot is checked with. Each of
	// Checks.Destinations (bucket names) must be a destination of every
	// snapshot's replication configuration.
	Checks checks.Options
	// SourcePerFinding keeps the source bucket on every finding even when
	// the run checked only one (audits); otherwise a run of one source
	// bucket names it once, in Report.Source.
	SourcePerFinding bool
}

// Run checks every snapshot src yields and returns the report of their
// findings, in the order src yielded them. The report's Command, Input and
// Version are the caller's to set. With an error, the report holds the
// findings of the snapshots checked before it (an interrupted audit
// prints them).
func Run(ctx context.Context, src source.Source, opt Options) (*report.Report, error) {
	r := &report.Report{Checks: checks.All}
	var sources []*report.Source
	err := src.Snapshots(ctx, func(s *snapshot.Snapshot) error {
		if err := CheckDestinations(s, opt.Checks.Destinations); err != nil {
			return err
		}
		facts, err := checks.NewFacts(s)
		if err != nil {
			return hint.With(fmt.Errorf("source bucket %s: %w", s.Source.Name, err),
				"fix the policy document; docs/snapshot.md describes the format")
		}
		from := sourceOf(&s.Source)
		sources = append(sources, from)
		for _, f := range checks.Run(checks.All, facts, opt.Checks) {
			rf := report.Finding{Finding: f, Source: from}
			locate(&rf, s.Origins)
			r.Findings = append(r.Findings, rf)
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	if len(sources) == 1 && !opt.SourcePerFinding {
		r.Source = sources[0]
		for i := range r.Findings {
			r.Findings[i].Source = nil
		}
	}
	return r, nil
}

// sourceOf is the source bucket as reports name it; facts that were not
// read are empty.
func sourceOf(b *snapshot.Bucket) *report.Source {
	s := &report.Source{Bucket: b.Name}
	if b.Account.IsKnown() {
		s.Account = b.Account.Value
	}
	if b.Region.IsKnown() {
		s.Region = b.Region.Value
	}
	return s
}

// CheckDestinations makes sure every wanted destination bucket (by name)
// is one the replication configuration replicates to.
func CheckDestinations(snap *snapshot.Snapshot, want []string) error {
	if len(want) == 0 {
		return nil
	}
	if !snap.Replication.IsKnown() {
		return hint.With(fmt.Errorf("--destination %s: the source bucket %s has no replication configuration to filter", want[0], snap.Source.Name),
			"drop --destination, or pass the proposed configuration with --config FILE")
	}
	var have []string
	for _, r := range snap.Replication.Value.Rules {
		if name, ok := snapshot.BucketFromARN(r.Destination.Bucket); ok && !slices.Contains(have, name) {
			have = append(have, name)
		}
	}
	for _, d := range want {
		if !slices.Contains(have, d) {
			return hint.With(fmt.Errorf("--destination %s matches no rule of the replication configuration", d),
				"the configuration replicates to: "+strings.Join(have, ", "))
		}
	}
	return nil
}

// AuditReport is what an audit covered, as reports write it.
func AuditReport(c source.AuditCoverage) *report.Audit {
	a := &report.Audit{Accounts: []report.AccountStatus{}, Buckets: c.Buckets, BucketsWithReplication: c.BucketsWithReplication, Rules: c.Rules}
	for _, acct := range c.Accounts {
		st := report.AccountStatus{ID: acct.ID, Status: "ok"}
		if acct.Err != nil {
			st.Status, st.Error = "error", acct.Err.String()
		}
		a.Accounts = append(a.Accounts, st)
	}
	return a
}

// Generate writes the least-privilege policies for every snapshot src
// yields (package generate), in the order src yielded them, and with
// verify proves each with the checks (generate.Verify).
func Generate(ctx context.Context, src source.Source, opt generate.Options, verify bool) ([]*generate.Policies, error) {
	var out []*generate.Policies
	err := src.Snapshots(ctx, func(s *snapshot.Snapshot) error {
		p, err := generate.Generate(s, opt)
		if err != nil {
			return generateError(s, err)
		}
		if verify {
			if p.Verification, err = generate.Verify(s, p, checks.Options{Batch: opt.Batch}); err != nil {
				return generateError(s, err)
			}
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// generateError gives a generation's error its hint.
func generateError(s *snapshot.Snapshot, err error) error {
	if !s.Replication.IsKnown() {
		return hint.With(err, "pass the proposed replication configuration with --config FILE")
	}
	return hint.With(fmt.Errorf("source bucket %s: %w", s.Source.Name, err), "fix the policy document; docs/snapshot.md describes the format")
}
