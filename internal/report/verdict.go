package report

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/checks"
)

// Threshold is the least severe status that makes the exit code non-zero
// (--fail-on).
type Threshold string

// The thresholds, as CLI.md defines them.
const (
	// FailOnFail: only fail findings exit 1.
	FailOnFail Threshold = "fail"
	// FailOnUnknown (the default): fail exits 1, else unknown exits 3.
	FailOnUnknown Threshold = "unknown"
	// FailOnWarn: fail or warn exits 1, else unknown exits 3.
	FailOnWarn Threshold = "warn"
)

// Thresholds are the values --fail-on accepts, in the order help lists
// them.
var Thresholds = []Threshold{FailOnFail, FailOnUnknown, FailOnWarn}

// Exit codes of the checking commands (CLI.md).
const (
	ExitOK      = 0 // nothing at or above the threshold
	ExitFail    = 1 // a failure predicted (or, with FailOnWarn, a warning)
	ExitUnknown = 3 // no failure, but a check could not be decided
)

// ParseThreshold reads a --fail-on value.
func ParseThreshold(s string) (Threshold, error) {
	for _, t := range Thresholds {
		if string(t) == s {
			return t, nil
		}
	}
	names := make([]string, len(Thresholds))
	for i, t := range Thresholds {
		names[i] = string(t)
	}
	return "", fmt.Errorf("unknown threshold %q (want one of %s)", s, strings.Join(names, ", "))
}

// orDefault is t, or FailOnUnknown when t is unset.
func (t Threshold) orDefault() Threshold {
	if t == "" {
		return FailOnUnknown
	}
	return t
}

// counts reports whether findings of status s count toward the exit code
// under t.
func (t Threshold) counts(s checks.Status) bool {
	switch s {
	case checks.StatusFail:
		return true
	case checks.StatusUnknown:
		return t.orDefault() != FailOnFail
	case checks.StatusWarn:
		return t.orDefault() == FailOnWarn
	}
	return false
}

// Verdict is the exit code of a report, and what decided it.
type Verdict struct {
	// Threshold is the --fail-on that decided.
	Threshold Threshold
	// Code is the exit code: ExitOK, ExitFail or ExitUnknown.
	Code int
	// Counted counts the findings that are not waived, by status.
	Counted Summary
	// Waived counts the waived findings, which never count.
	Waived int
}

// Decide returns the exit code of findings under threshold t (""
// meaning FailOnUnknown). Waived findings do not count, and neither do
// statuses below the threshold; failures outrank unknowns.
func Decide(findings []Finding, t Threshold) Verdict {
	t = t.orDefault()
	v := Verdict{Threshold: t}
	var counted []Finding
	for _, f := range findings {
		if f.Waived != nil {
			v.Waived++
			continue
		}
		counted = append(counted, f)
	}
	v.Counted = Summarize(counted)
	switch {
	case v.Counted.Fail > 0, t.counts(checks.StatusWarn) && v.Counted.Warn > 0:
		v.Code = ExitFail
	case t.counts(checks.StatusUnknown) && v.Counted.Unknown > 0:
		v.Code = ExitUnknown
	}
	return v
}

// String says which threshold decided which exit code, and from which
// counts: "--fail-on unknown decides exit code 3: 0 fail, 2 unknown (not
// counted: 1 warn, 1 waived)".
func (v Verdict) String() string {
	var counted, ignored []string
	for _, s := range []struct {
		status checks.Status
		n      int
	}{
		{checks.StatusFail, v.Counted.Fail},
		{checks.StatusWarn, v.Counted.Warn},
		{checks.StatusUnknown, v.Counted.Unknown},
	} {
		switch {
		case v.Threshold.counts(s.status):
			counted = append(counted, fmt.Sprintf("%d %s", s.n, s.status))
		case s.n > 0:
			ignored = append(ignored, fmt.Sprintf("%d %s", s.n, s.status))
		}
	}
	if v.Waived > 0 {
		ignored = append(ignored, fmt.Sprintf("%d waived", v.Waived))
	}
	line := fmt.Sprintf("--fail-on %s decides exit code %d: %s", v.Threshold, v.Code, strings.Join(counted, ", "))
	if len(ignored) > 0 {
		line += " (not counted: " + strings.Join(ignored, ", ") + ")"
	}
	return line
}
