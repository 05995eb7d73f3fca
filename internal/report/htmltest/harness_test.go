package htmltest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/chromium"
	"github.com/replcheck/replcheck/internal/report"
)

// fixturesDir is the module's fixtures, seen from this package.
const fixturesDir = "../../../fixtures"

// The browser every test opens its tabs in, started on first use.
var (
	browserOnce sync.Once
	browser     context.Context
	stopBrowser func()
	browserErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if stopBrowser != nil {
		stopBrowser()
	}
	os.Exit(code)
}

// needBrowser returns the shared browser; without Chromium it skips, or
// fails in CI.
func needBrowser(tb testing.TB) context.Context {
	tb.Helper()
	browserOnce.Do(func() {
		browser, stopBrowser, browserErr = chromium.Start(context.Background(), 1400, 1000)
	})
	if browserErr != nil {
		if errors.Is(browserErr, chromium.ErrMissing) && !chromium.Required() {
			tb.Skip(browserErr)
		}
		tb.Fatal(browserErr)
	}
	return browser
}

// watch is installed in every document before its own scripts run (and
// outside its Content-Security-Policy): it records CSP violations, and
// replaces the dialogs with recorders, so that a payload calling alert
// neither blocks the page nor goes unnoticed.
const watch = `
window.__watch = {csp: [], dialogs: []};
document.addEventListener('securitypolicyviolation', function (e) {
  window.__watch.csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
['alert', 'confirm', 'prompt'].forEach(function (name) {
  window[name] = function () { window.__watch.dialogs.push(name + ' ' + Array.from(arguments).join(' ')); };
});`

// tab is a browser tab that records what a clean page must not do: log to
// the console, throw, open a dialog, violate its CSP, or request anything
// but its own file.
type tab struct {
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	messages []string
	requests []string
}

func newTab(t testing.TB) *tab {
	t.Helper()
	b := needBrowser(t)
	ctx, cancel := chromedp.NewContext(b)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	tb := &tab{t: t, ctx: ctx}
	if err := chromedp.Listen(ctx, tb.record); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		t.Fatal(err)
	}
	return tb
}

func (tb *tab) record(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var args []string
		for _, a := range ev.Args {
			args = append(args, string(a.Value)+a.Description)
		}
		tb.messages = append(tb.messages, fmt.Sprintf("console.%s %s", ev.Type, strings.Join(args, " ")))
	case *runtime.EventExceptionThrown:
		tb.messages = append(tb.messages, "exception: "+ev.ExceptionDetails.Text+" "+exceptionDescription(ev))
	case *log.EventEntryAdded:
		tb.messages = append(tb.messages, fmt.Sprintf("log %s %s: %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text))
	case *page.EventJavascriptDialogOpening:
		tb.messages = append(tb.messages, "dialog: "+ev.Message)
	case *network.EventRequestWillBeSent:
		tb.requests = append(tb.requests, ev.Request.URL)
	}
}

func exceptionDescription(ev *runtime.EventExceptionThrown) string {
	if ev.ExceptionDetails.Exception != nil {
		return ev.ExceptionDetails.Exception.Description
	}
	return ""
}

// open loads url and waits until the report is interactive.
func (tb *tab) open(url string) {
	tb.t.Helper()
	if err := Open(tb.ctx, url); err != nil {
		tb.t.Fatal(err)
	}
}

// do runs actions in the tab.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](tb *tab, expr string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		tb.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// problems lists what the page did that a clean page must not: console
// output, exceptions, dialogs and CSP violations, seen from both the
// protocol and the page.
func (tb *tab) problems() []string {
	tb.t.Helper()
	type watched struct{ CSP, Dialogs []string }
	w := eval[watched](tb, `window.__watch`)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	out := slices.Clone(tb.messages)
	for _, v := range w.CSP {
		out = append(out, "CSP violation: "+v)
	}
	for _, d := range w.Dialogs {
		out = append(out, "dialog: "+d)
	}
	return out
}

// requested lists the URLs the tab requested.
func (tb *tab) requested() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return slices.Clone(tb.requests)
}

// writePage writes r's HTML report into a temporary directory and returns
// its file:// URL.
func writePage(t testing.TB, r *report.Report) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := (report.HTML{Generated: time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)}).Write(f, r); err != nil {
		t.Fatal(err)
	}
	return "file://" + path
}

// auditReport is the audit world's report.
func auditReport(t testing.TB) *report.Report {
	t.Helper()
	r, err := Audit(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// jsonOf is r's JSON report, read back.
func jsonOf(t testing.TB, r *report.Report) jsonReport {
	t.Helper()
	doc, err := parseJSONReport(jsonBytes(t, r))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// jsonBytes is r's JSON report as --format json writes it.
func jsonBytes(t testing.TB, r *report.Report) []byte {
	t.Helper()
	var buf strings.Builder
	if err := (report.JSON{}).Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return []byte(buf.String())
}

// compare writes r's page and checks it against r's JSON report with
// Compare.
func compare(tb *tab, r *report.Report) {
	tb.t.Helper()
	diffs, err := Compare(tb.ctx, writePage(tb.t, r), jsonBytes(tb.t, r))
	if err != nil {
		tb.t.Fatal(err)
	}
	for _, d := range diffs {
		tb.t.Error(d)
	}
}

// groupOf is the column group of a reason, as the page groups it.
func groupOf(reason string) string {
	if c := checks.Lookup(reason); c != nil {
		return string(c.Group())
	}
	return "other"
}

// filters is the page's filter state.
type filters struct {
	Status, Account, Check, Q string
	AllRows                   bool // "only what is not pass" off
}

// apply is the filters' documented meaning, written independently of the
// page: the check filter keeps the columns of one check or group; a row
// stays when it is in the account, its bucket or rule contains the search
// (ignoring case), one of the kept cells has the status, and, with "only
// what is not pass", one of them is fail, warn or unknown.
func (f filters) apply(rows []pageRow) []pageRow {
	var out []pageRow
	for _, r := range rows {
		cells := map[string]string{}
		for reason, s := range r.Cells {
			switch {
			case f.Check == "",
				strings.HasPrefix(f.Check, "group:") && groupOf(reason) == strings.TrimPrefix(f.Check, "group:"),
				f.Check == reason:
				cells[reason] = s
			}
		}
		q := strings.ToLower(strings.TrimSpace(f.Q))
		bucket := r.Bucket
		if bucket == "(account)" {
			bucket = ""
		}
		rule := r.Rule
		if rule == "no replication rule" {
			rule = ""
		}
		if f.Account != "" && r.Account != f.Account ||
			q != "" && !strings.Contains(strings.ToLower(bucket+"\n"+rule), q) {
			continue
		}
		hasStatus, hasProblem := f.Status == "", f.AllRows
		for _, s := range cells {
			hasStatus = hasStatus || s == f.Status
			hasProblem = hasProblem || s == "fail" || s == "warn" || s == "unknown"
		}
		if hasStatus && hasProblem {
			r.Cells = cells
			out = append(out, r)
		}
	}
	return out
}
