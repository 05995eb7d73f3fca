package report

import (
	"bufio"
	"fmt"
	"slices"
	"strings"
)

// writeAudit writes a report that covers accounts (Report.Audit is set):
// grouped by account, then source bucket, then rule → destination; only
// fail, warn and unknown findings unless ShowPass; and a summary across
// the accounts.
func (t Text) writeAudit(bw *bufio.Writer, r *Report) {
	width := reasonWidth(r.Findings)
	shown := func(f Finding) bool { return (r.ShowPass && !t.Quiet) || Actionable(f.Status) }
	for i, acct := range auditAccounts(r) {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		var mine []Finding
		for _, f := range r.Findings {
			if f.Source != nil && f.Source.Account == acct {
				mine = append(mine, f)
			}
		}
		s := Summarize(mine)
		fmt.Fprintf(bw, "account %s: %d fail, %d warn, %d unknown\n", acct, s.Fail, s.Warn, s.Unknown)
		bucket := "\x00"
		for _, g := range groups(mine) {
			visible := slices.DeleteFunc(bySeverity(g.Findings), func(f Finding) bool { return !shown(f) })
			if len(visible) == 0 {
				continue
			}
			indent := "    "
			switch {
			case g.Source.Bucket == "":
				indent = "  " // the account itself (it could not be read)
			case g.Source.Bucket != bucket:
				bucket = g.Source.Bucket
				where := ""
				if g.Source.Region != "" {
					where = " (" + g.Source.Region + ")"
				}
				fmt.Fprintf(bw, "  %s%s\n", bucket, where)
			}
			if g.Rule != "" || g.Destination != "" {
				fmt.Fprintf(bw, "    %s → %s\n", g.Rule, g.Destination)
				indent = "      "
			} else if g.Source.Bucket != "" {
				fmt.Fprintf(bw, "    no replication rule\n")
				indent = "      "
			}
			for _, f := range visible {
				t.finding(bw, f, indent, width)
			}
		}
	}
	if len(r.Findings) > 0 || len(auditAccounts(r)) > 0 {
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, auditSummaryLine(r))
}

// auditAccounts are the accounts of an audit report, in audit order, then
// any other account the findings name.
func auditAccounts(r *Report) []string {
	var out []string
	for _, a := range r.Audit.Accounts {
		if !slices.Contains(out, a.ID) {
			out = append(out, a.ID)
		}
	}
	for _, f := range r.Findings {
		if f.Source != nil && !slices.Contains(out, f.Source.Account) {
			out = append(out, f.Source.Account)
		}
	}
	return out
}

// auditSummaryLine ends an audit's text: "replcheck: 2 accounts (1 not
// readable), 312 buckets, 41 with replication, 57 rules: 3 fail, 1 warn,
// 2 unknown (120 pass, 300 skip)".
func auditSummaryLine(r *Report) string {
	a := r.Audit
	s := Summarize(r.Findings)
	unreadable := 0
	for _, acct := range a.Accounts {
		if acct.Status != "ok" {
			unreadable++
		}
	}
	accounts := plural(len(a.Accounts), "account")
	if unreadable > 0 {
		accounts += fmt.Sprintf(" (%d not readable)", unreadable)
	}
	waived := ""
	if s.Waived > 0 {
		waived = fmt.Sprintf(", %d waived", s.Waived)
	}
	return fmt.Sprintf("replcheck: %s, %s, %d with replication, %s: %d fail, %d warn, %d unknown (%d pass, %d skip%s)",
		accounts, plural(a.Buckets, "bucket"), a.BucketsWithReplication, plural(a.Rules, "rule"), s.Fail, s.Warn, s.Unknown, s.Pass, s.Skip, waived)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// finding writes one finding line, and under fail, warn and unknown its
// waiver, address, evidence and fix.
func (t Text) finding(bw *bufio.Writer, f Finding, indent string, width int) {
	fmt.Fprintf(bw, "%s%s  %-*s  %s\n", indent, t.label(f.Status), width, f.Reason, f.Message)
	if !Actionable(f.Status) {
		return
	}
	more := indent + strings.Repeat(" ", labelWidth+2)
	if f.Waived != nil {
		fmt.Fprintf(bw, "%swaived until %s: %s\n", more, f.Waived.Expires, f.Waived.Justification)
	}
	if f.Address != "" {
		fmt.Fprintf(bw, "%saddress: %s\n", more, f.Address)
	}
	for _, e := range f.Evidence {
		fmt.Fprintf(bw, "%sevidence: %s\n", more, e)
	}
	if f.Remediation != "" {
		fmt.Fprintf(bw, "%sfix: %s\n", more, strings.ReplaceAll(f.Remediation, "\n", "\n"+more+"     "))
	}
}
