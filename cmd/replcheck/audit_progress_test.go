package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/source"
)

// TestAuditProgress: the bar shows accounts and buckets on its own writer,
// and a non-terminal (a pipe, a buffer) gets none.
func TestAuditProgress(t *testing.T) {
	var buf bytes.Buffer
	p := newAuditProgress(&buf, 0)
	p.update(source.AuditProgress{Accounts: 3, AccountsListed: 1, Found: 40})
	p.update(source.AuditProgress{Accounts: 3, AccountsListed: 2, Found: 60, Checked: 30})
	out := buf.String()
	if !strings.Contains(out, "accounts 2/3") || !strings.Contains(out, "30/60") {
		t.Errorf("progress %q lacks the accounts and buckets", out)
	}
	p.finish()
	if terminal(&buf) {
		t.Error("a buffer is taken for a terminal")
	}
}
