package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/replcheck/replcheck/internal/source"
)

// auditProgress draws an audit's progress on standard error: accounts
// listed of accounts to audit, buckets checked of buckets found, and the
// rate. It only ever writes to its own writer, never to standard output,
// which may hold JSON.
type auditProgress struct {
	bar *progressbar.ProgressBar
	max int
}

// newAuditProgress returns a progress bar writing to w, at most once per
// throttle.
func newAuditProgress(w io.Writer, throttle time.Duration) *auditProgress {
	return &auditProgress{max: -1, bar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("accounts 0/0"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("buckets"),
		progressbar.OptionThrottle(throttle),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)}
}

// update shows p; source.Audit calls it from one goroutine at a time.
func (a *auditProgress) update(p source.AuditProgress) {
	if p.Found != a.max && p.Found > 0 {
		a.max = p.Found
		a.bar.ChangeMax(p.Found)
	}
	a.bar.Describe(fmt.Sprintf("accounts %d/%d", p.AccountsListed, p.Accounts))
	_ = a.bar.Set(p.Checked)
}

// finish clears the bar before the report is written.
func (a *auditProgress) finish() {
	_ = a.bar.Finish()
	_ = a.bar.Clear()
}
