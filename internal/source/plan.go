package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/gather"
	"github.com/replcheck/replcheck/internal/hint"
	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/internal/tfplan"
)

// planHint says how to make the input a plan reads.
const planHint = "pass the JSON of a saved plan: terraform plan -out=tfplan && terraform show -json tfplan > plan.json"

// Plan is a Terraform (or OpenTofu) plan as 'terraform show -json
// PLANFILE' prints it. It yields the state the plan would produce: one
// snapshot per source bucket that has a replication configuration in the
// planned state, with the Terraform address of every fact.
type Plan struct {
	// Path is the plan's JSON file.
	Path string
	// Dir is the Terraform configuration directory; when set, findings
	// carry the .tf file and line of the resource that causes them.
	Dir string
	// Batch adds a Batch Replication job with the replication role.
	Batch bool
	// Live, if set, says how to read from AWS the facts the plan does not
	// decide (what it does not manage, and organization policies);
	// Recorder records those reads.
	Live     *Access
	Recorder *Recorder
}

// Snapshots reads the plan and yields its snapshots.
func (p Plan) Snapshots(ctx context.Context, yield func(*snapshot.Snapshot) error) error {
	data, err := os.ReadFile(p.Path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return hint.With(fmt.Errorf("cannot read plan %s: %w", p.Path, err), "check the path")
	}
	plan, err := tfplan.Decode(data)
	if err != nil {
		var te *tfplan.Error
		if errors.As(err, &te) {
			return hint.With(&snapshot.FileError{File: p.Path, Path: te.Path, Msg: te.Msg}, planHint)
		}
		return hint.With(fmt.Errorf("%s: %w", p.Path, err), planHint)
	}
	var locate *tfplan.Locator
	if p.Dir != "" {
		locate = tfplan.NewLocator(plan, p.Dir)
	}
	var outside tfplan.Outside
	var reader *gather.Reader
	if p.Live != nil {
		if reader, err = gather.NewReader(ctx, *p.Live, p.Recorder); err != nil {
			return gatherError(err)
		}
		defer reader.Close()
		outside = reader
	}
	snaps := tfplan.Build(plan, outside)
	if reader != nil {
		for _, s := range snaps {
			for _, id := range accountsOf(s) {
				s.Accounts = append(s.Accounts, reader.Account(id))
			}
		}
		if err := reader.Err(); err != nil {
			return gatherError(err)
		}
	}
	for _, s := range snaps {
		if p.Batch && s.Replication.IsKnown() {
			s.Batch = &snapshot.BatchJob{RoleARN: s.Replication.Value.Role}
			if s.Source.Region.IsKnown() {
				s.Batch.Region = s.Source.Region.Value
			}
		}
		if reader == nil {
			s.Accounts = withoutOrganization(s)
		}
		if locate != nil {
			locateOrigins(s.Origins, locate)
		}
		if err := s.Validate(); err != nil {
			return hint.With(fmt.Errorf("%s: the state this plan would produce is not one replcheck can check: %w", p.Path, err), planHint)
		}
		if err := yield(s); err != nil {
			return err
		}
	}
	return nil
}

// accountsOf lists the accounts a snapshot's facts are in: the buckets',
// the roles' and the keys'.
func accountsOf(s *snapshot.Snapshot) []string {
	var out []string
	add := func(id string) {
		if len(id) == 12 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, b := range append([]snapshot.Bucket{s.Source}, s.Destinations...) {
		if b.Account.IsKnown() {
			add(b.Account.Value)
		}
	}
	for _, r := range s.Roles {
		if a, ok := arn.Parse(r.ARN); ok {
			add(a.Account)
		}
	}
	for _, k := range s.KMSKeys {
		if a, ok := arn.Parse(k.ARN); ok {
			add(a.Account)
		}
	}
	return out
}

// withoutOrganization gives each account no organization policies: a
// plan holds none, and without --live none are read (see README.md, "CI
// gate").
func withoutOrganization(s *snapshot.Snapshot) []snapshot.Account {
	var out []snapshot.Account
	for _, id := range accountsOf(s) {
		out = append(out, snapshot.Account{ID: id,
			SCPs: snapshot.AbsentFact[[][]snapshot.NamedPolicy](),
			RCPs: snapshot.AbsentFact[[][]snapshot.NamedPolicy]()})
	}
	return out
}

// locateOrigins records the file and line of every address the origins
// name.
func locateOrigins(o *snapshot.Origins, l *tfplan.Locator) {
	if o == nil {
		return
	}
	o.Locations = map[string]snapshot.Location{}
	add := func(addr string) {
		if addr == "" {
			return
		}
		if file, line, ok := l.Locate(addr); ok {
			o.Locations[addr] = snapshot.Location{File: filepath.ToSlash(file), Line: line}
		}
	}
	add(o.Replication)
	for _, b := range o.Buckets {
		for _, a := range []string{b.Bucket, b.Versioning, b.ObjectLock, b.Encryption, b.Policy, b.Ownership, b.RequestPayment, b.Lifecycle} {
			add(a)
		}
	}
	for _, r := range o.Roles {
		add(r.Role)
		for _, a := range r.Policies {
			add(a)
		}
	}
	for _, a := range o.Keys {
		add(a)
	}
}
