package htmltest

import (
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestOfflineAndQuiet opens the report with the network off, uses it, and
// prints it: the page requests nothing but its own file, and logs nothing
// (no error, no CSP violation, no exception).
func TestOfflineAndQuiet(t *testing.T) {
	r := auditReport(t)
	page := writePage(t, r)
	tb := newTab(t)
	if _, err := chromedp.Call(tb.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
	tb.open(page)
	if eval[bool](tb, `navigator.onLine`) {
		t.Fatal("the network is not off")
	}
	tb.do(
		chromedp.Click(chromedp.CSS(`#matrix-body .cell[data-status="fail"]`)),
		chromedp.WaitVisible(chromedp.ID("panel")),
		chromedp.Click(chromedp.ID("panel-close")),
		chromedp.SendKeys(chromedp.ID("f-q"), "logs"),
	)
	if _, err := chromedp.Run(tb.ctx, chromedp.PrintToPDF()); err != nil {
		t.Fatal(err)
	}
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("page problems: %q", p)
	}
	reqs := tb.requested()
	if len(reqs) == 0 {
		t.Fatal("no request seen: the page's own load must show")
	}
	for _, u := range reqs {
		if u != page {
			t.Errorf("the page requested %s", u)
		}
	}
}

// TestRowsAreVirtual checks, on a report of 1,000 rows, that only the rows
// in view are drawn, that scrolling and the keyboard reach the last row,
// and that printing draws every row the filters show.
func TestRowsAreVirtual(t *testing.T) {
	r, err := Rows(fixturesDir, 1000)
	if err != nil {
		t.Fatal(err)
	}
	tb := newTab(t)
	tb.open(writePage(t, r) + "#notpass=0")
	drawn := func() int { return eval[int](tb, `document.querySelectorAll('#matrix-body .row').length`) }
	if n := drawn(); n == 0 || n > 80 {
		t.Fatalf("%d rows drawn for a window of about 30, want only those in view", n)
	}
	last := eval[string](tb, `(() => { const m = document.getElementById('matrix'); m.scrollTop = m.scrollHeight;
	  m.dispatchEvent(new Event('scroll')); return new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(() => {
	    const rows = document.querySelectorAll('#matrix-body .row .bucket'); ok(rows[rows.length - 1].textContent); }))); })()`,
		chromedp.EvalAwaitPromise)
	if last != "bucket-00999" {
		t.Errorf("the last row drawn after scrolling to the end is %q, want bucket-00999", last)
	}
	// Scrolled back by the mouse, the first row in view is the one Tab reaches.
	eval[bool](tb, `new Promise(ok => { document.getElementById('matrix').scrollTop = 0;
	  requestAnimationFrame(() => requestAnimationFrame(() => ok(true))); })`, chromedp.EvalAwaitPromise)
	tb.do(chromedp.Focus(chromedp.ID("f-reset")), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	if got := eval[string](tb, `document.activeElement.closest('.row').querySelector('.bucket').textContent`); got != "bucket-00999" {
		t.Errorf("Ctrl+End moved the focus to %q, want bucket-00999", got)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('beforeprint'))`))
	if n := eval[int](tb, `document.querySelectorAll('#matrix-body .row:not(.acct)').length`); n != 1000 {
		t.Errorf("%d rows drawn for printing, want all 1000", n)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('afterprint'))`))
	if n := drawn(); n > 80 {
		t.Errorf("%d rows drawn after printing, want only those in view again", n)
	}
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("page problems: %q", p)
	}
}
