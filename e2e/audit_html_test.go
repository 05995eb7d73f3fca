package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/chromium"
	"github.com/replcheck/replcheck/internal/report/htmltest"
)

// TestAuditHTMLReport audits the moto world with --format json=FILE and
// --format html=FILE in one run, and checks in headless Chromium that the
// page shows what the JSON report says: the header's counts and figures,
// every cell's status, and every finding in its cell's panel.
func TestAuditHTMLReport(t *testing.T) {
	w := newWorld(t)
	aw := w.buildAuditWorld()
	dir := t.TempDir()
	jsonPath, htmlPath := filepath.Join(dir, "audit.json"), filepath.Join(dir, "audit.html")
	r := w.execEnv(nil, append([]string{"audit", "--endpoint-url", aw.Endpoint,
		"--format", "json=" + jsonPath, "--format", "html=" + htmlPath}, aw.Args...)...)
	if r.code != 1 {
		t.Fatalf("audit: exit %d, want 1 (the world has failures)\n%s", r.code, r.dump())
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []json.RawMessage  `json:"findings"`
		Summary  struct{ Fail int } `json:"summary"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Fail == 0 || len(doc.Findings) < 500 {
		t.Fatalf("the JSON report has %d findings, %d failing: not the audit world", len(doc.Findings), doc.Summary.Fail)
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), auditAccountC) {
		t.Errorf("the page does not name the unreadable account %s", auditAccountC)
	}

	tab, stop, err := chromium.Start(context.Background(), 1400, 1000)
	if err != nil {
		if errors.Is(err, chromium.ErrMissing) && !chromium.Required() {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	defer stop()
	diffs, err := htmltest.Compare(tab, "file://"+htmlPath, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
}
