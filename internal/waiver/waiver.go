// Package waiver reads a waivers file (.replcheck.yaml, or --waivers FILE)
// and applies it to a report: a waiver accepts the fail, warn and unknown
// findings of one failure reason that match its optional bucket,
// destination, rule and account, until its expiry date. A waived finding
// keeps its status, gains the waiver's justification and expiry, and no
// longer counts toward the exit code. A waiver matches only its own reason
// (or that reason's other spelling), so it can never hide another finding.
package waiver

import (
	"fmt"
	"slices"
	"time"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/report"
)

// DefaultFile is the waivers file read from the working directory when
// --waivers is not given.
const DefaultFile = ".replcheck.yaml"

// dateLayout is the form of an expiry date.
const dateLayout = "2006-01-02"

// File is a parsed waivers file.
type File struct {
	// Path is the file's name, as given.
	Path string
	// Waivers are the file's waivers, in order.
	Waivers []Waiver
}

// Waiver accepts the findings of one reason that match its globs.
type Waiver struct {
	// Reason is the failure reason as the file names it (either
	// spelling); Check is the check it names.
	Reason string
	Check  *checks.Check
	// Bucket, Destination and Rule are globs (* and ?) on the source
	// bucket name, the destination bucket ARN and the rule ID; Account is
	// the source account. "" matches anything.
	Bucket, Destination, Rule, Account string
	// Justification says why the finding is accepted.
	Justification string
	// Expires is the last day (UTC) on which the waiver applies.
	Expires time.Time
}

// expired reports whether the waiver's last day is before today (UTC).
func (w *Waiver) expired(today time.Time) bool {
	y, m, d := today.UTC().Date()
	return w.Expires.Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// matches reports whether the waiver applies to f, a finding about the
// source bucket src.
func (w *Waiver) matches(f *report.Finding, src *report.Source) bool {
	if !report.Actionable(f.Status) || !w.namesReason(f.Reason) {
		return false
	}
	var bucket, account string
	if src != nil {
		bucket, account = src.Bucket, src.Account
	}
	return (w.Bucket == "" || glob(w.Bucket, bucket)) &&
		(w.Destination == "" || glob(w.Destination, f.Destination)) &&
		(w.Rule == "" || glob(w.Rule, f.Rule)) &&
		(w.Account == "" || w.Account == account)
}

// namesReason reports whether reason is the reason of the waiver's check
// or one of its aliases, exactly as findings spell them.
func (w *Waiver) namesReason(reason string) bool {
	return slices.Contains(w.Check.Names(), reason)
}

// Apply marks every fail, warn and unknown finding of r that an unexpired
// waiver matches (the first such waiver in the file), and records in
// r.Waivers which waivers expired and which matched nothing. today is the
// current date; only its UTC date counts.
func (f *File) Apply(r *report.Report, today time.Time) {
	use := &report.WaiverUse{File: f.Path, Expired: []int{}, Unused: []int{}}
	used := make([]bool, len(f.Waivers))
	for i := range r.Findings {
		finding := &r.Findings[i]
		src := finding.Source
		if src == nil {
			src = r.Source
		}
		for j := range f.Waivers {
			w := &f.Waivers[j]
			if w.expired(today) || !w.matches(finding, src) {
				continue
			}
			used[j] = true
			if finding.Waived == nil {
				finding.Waived = &report.Waived{Justification: w.Justification, Expires: w.Expires.Format(dateLayout)}
			}
		}
	}
	for j := range f.Waivers {
		switch {
		case f.Waivers[j].expired(today):
			use.Expired = append(use.Expired, j)
		case !used[j]:
			use.Unused = append(use.Unused, j)
		}
	}
	r.Waivers = use
}

// Notices are the lines that tell the user about expired and unused
// waivers, for standard error: "FILE: waivers[2] (REASON) expired on DATE
// and no longer applies".
func (f *File) Notices(use *report.WaiverUse) []string {
	if use == nil {
		return nil
	}
	var out []string
	for _, i := range use.Expired {
		w := &f.Waivers[i]
		out = append(out, fmt.Sprintf("%s: waivers[%d] (%s) expired on %s and no longer applies",
			f.Path, i, w.Reason, w.Expires.Format(dateLayout)))
	}
	for _, i := range use.Unused {
		out = append(out, fmt.Sprintf("%s: waivers[%d] (%s) matched no fail, warn or unknown finding",
			f.Path, i, f.Waivers[i].Reason))
	}
	return out
}
