package checks

import (
	"fmt"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// ruleEvidence is an evidence line quoting part of a rule.
func (t *Target) ruleEvidence(what string) string {
	return "replication rule " + t.RuleName + " -> " + what
}

// putConfigFix is the command that applies a corrected configuration.
func (t *Target) putConfigFix(change string) string {
	return change + ", then aws s3api put-bucket-replication --bucket " + t.Source().Name +
		" --replication-configuration file://replication.json"
}

// ruleProblem is one violation a configuration check found.
type ruleProblem struct {
	status Status
	msg    string
	fix    string
}

// problemsOutcome reports the worst of the problems found, every message
// and every fix, or pass when there are none.
func problemsOutcome(problems []ruleProblem, passMsg string, evidence ...string) Outcome {
	if len(problems) == 0 {
		return pass(passMsg, evidence...)
	}
	outs := make([]Outcome, len(problems))
	for i, p := range problems {
		outs[i] = Outcome{Status: p.status, Message: p.msg, Remediation: p.fix}
	}
	o := worst(outs...)
	o.Evidence = evidence
	return o
}

// configOutcome is problemsOutcome for a rule's configuration: the fix ends
// with putting the corrected configuration.
func (t *Target) configOutcome(problems []ruleProblem, passMsg string, evidence ...string) Outcome {
	o := problemsOutcome(problems, passMsg, evidence...)
	if o.Status != StatusPass {
		o.Remediation = t.putConfigFix(o.Remediation)
	}
	return o
}

// statusOf renders an optional status element for evidence.
func statusOf(s *snapshot.StatusElement) string {
	if s == nil {
		return "absent"
	}
	return s.Status
}

// priorityOf renders an optional priority for evidence.
func priorityOf(p *int) string {
	if p == nil {
		return "absent"
	}
	return fmt.Sprint(*p)
}
