package checks

import (
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Options are the run's choices that make checks apply or not.
type Options struct {
	// Batch is true when S3 Batch Replication failures should be predicted
	// too (--batch).
	Batch bool
	// Destinations, when not empty, limits the run to rules replicating to
	// these bucket ARNs (--destination).
	Destinations []string
}

// Target is one (rule, destination) pair a check decides. When the
// replication configuration is Absent or Unknown there is one target with
// a nil Rule.
type Target struct {
	Facts   *Facts
	Options Options
	// Index is the rule's index in the configuration, or -1.
	Index int
	// Rule is the replication rule, or nil.
	Rule *snapshot.ReplicationRule
	// RuleName is the rule's ID, or "rule[N]".
	RuleName string
	// DestARN is the destination bucket ARN from the rule.
	DestARN string
	// Dest holds the destination bucket's facts; nil when the snapshot has
	// none for it, which checks treat as Unknown.
	Dest *BucketFacts
	// Role is the replication role's facts; nil when the snapshot has none.
	Role *RoleFacts
}

// Source is the source bucket's facts.
func (t *Target) Source() *BucketFacts { return t.Facts.Source }

// Config is the replication configuration, or nil.
func (t *Target) Config() *snapshot.ReplicationConfiguration { return t.Facts.Config }

// targets lists the (rule, destination) pairs of a run.
func targets(f *Facts, opt Options) []*Target {
	if f.Config == nil || f.Snap.IsAccount() {
		return []*Target{{Facts: f, Options: opt, Index: -1}}
	}
	var out []*Target
	for i := range f.Config.Rules {
		r := &f.Config.Rules[i]
		if !wanted(opt.Destinations, r.Destination.Bucket) {
			continue
		}
		out = append(out, &Target{
			Facts:    f,
			Options:  opt,
			Index:    i,
			Rule:     r,
			RuleName: f.Config.RuleName(i),
			DestARN:  r.Destination.Bucket,
			Dest:     f.Destination(r.Destination.Bucket),
			Role:     f.Role(f.Config.Role),
		})
	}
	return out
}

func wanted(filter []string, bucketARN string) bool {
	if len(filter) == 0 {
		return true
	}
	name, _ := snapshot.BucketFromARN(bucketARN)
	for _, f := range filter {
		if f == bucketARN || f == name {
			return true
		}
	}
	return false
}

// Run runs every check in list over every target and returns the findings,
// rule by rule, in list order. A check whose scope the run excludes reports
// skip.
func Run(list []*Check, f *Facts, opt Options) []Finding {
	var out []Finding
	account := f.Snap.IsAccount()
	for _, t := range targets(f, opt) {
		for _, c := range list {
			if (c.Scope == ScopeAccount) != account {
				continue // account checks decide accounts, the others buckets
			}
			o := applicable(c, t)
			if o == nil {
				res := c.Run(t)
				o = &res
			}
			out = append(out, Finding{
				Reason:      c.Reason,
				Aliases:     append([]string{}, c.Aliases...),
				Status:      o.Status,
				Rule:        t.RuleName,
				Destination: t.DestARN,
				Message:     o.Message,
				Evidence:    append([]string{}, o.Evidence...),
				Remediation: o.Remediation,
				Subject:     subjectOf(c, t, *o),
			})
		}
	}
	return out
}

// applicable returns an outcome when a check cannot run on a target, or
// nil to run it.
func applicable(c *Check, t *Target) *Outcome {
	repl := t.Facts.Snap.Replication
	src := t.Facts.Source
	switch {
	case c.Scope == ScopeAccount:
		return nil
	case isMissing(src.Exists) && c != SrcBucketNotFound:
		// Nothing about a bucket that does not exist can be read; the one
		// reason S3 reports decides.
		o := skip("the source bucket " + src.Name + " does not exist (see SrcBucketNotFound)")
		return &o
	case t.Rule == nil && c.WithoutConfig:
		return nil
	case t.Rule == nil && repl.IsUnknown():
		o := unknown("the replication configuration could not be read: " + repl.Why())
		return &o
	case t.Rule == nil:
		o := skip("the source bucket has no replication configuration")
		return &o
	case t.Dest != nil && isMissing(t.Dest.Exists) && c != DstBucketNotFound && !c.RulesOnly:
		o := skip("the destination bucket " + t.Dest.Name + " does not exist (see DstBucketNotFound)")
		return &o
	case t.Rule.Status != "Enabled" && !c.Config && !c.WithoutConfig:
		o := skip("the rule is " + t.Rule.Status)
		return &o
	case c.Scope == ScopeBatch && !t.Options.Batch:
		o := skip("Batch Replication was not requested (run with --batch)")
		return &o
	case c.Scope == ScopeObject && len(t.Facts.Snap.Objects) == 0 && t.Facts.Snap.ObjectSampling != nil:
		o := unknown("object versions could not be sampled: " + t.Facts.Snap.ObjectSampling.String())
		return &o
	case c.Scope == ScopeObject && len(t.Facts.Snap.Objects) == 0:
		o := skip("no object versions were sampled (run with --objects N)")
		return &o
	}
	return nil
}

// isMissing reports whether a bucket is known not to exist.
func isMissing(exists snapshot.Fact[bool]) bool { return exists.IsKnown() && !exists.Value }

// Questions runs every check over a snapshot and returns the distinct
// permission questions they asked. Live gathering sends their identity
// side to iam:SimulatePrincipalPolicy before the checks run for real.
func Questions(s *snapshot.Snapshot, opt Options) ([]Question, error) {
	f, err := NewFacts(s)
	if err != nil {
		return nil, err
	}
	Run(All, f, opt)
	return f.Asked(), nil
}
