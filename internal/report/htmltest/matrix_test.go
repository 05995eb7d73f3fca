package htmltest

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/pipeline"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// TestHeaderMatchesJSON checks the header's figures against the JSON
// report of the same run, and that it names the unreadable account.
func TestHeaderMatchesJSON(t *testing.T) {
	r := auditReport(t)
	doc := jsonOf(t, r)
	if s := doc.Summary; s.Fail == 0 || s.Warn == 0 || s.Unknown == 0 || s.Pass == 0 || s.Skip == 0 {
		t.Fatalf("the audit world must have every status, has %+v", s)
	}
	tb := newTab(t)
	compare(tb, r)
	unreadable := eval[string](tb, `document.getElementById('unreadable-accounts').textContent`)
	if !strings.Contains(unreadable, AccountUnreadable) || !strings.Contains(unreadable, "AccessDenied") {
		t.Errorf("unreadable accounts %q lack %s and its error", unreadable, AccountUnreadable)
	}
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("page problems: %q", p)
	}
}

// TestCellsMatchJSON checks every row and cell of the matrix against the
// JSON report, and then every finding of every cell in its panel.
func TestCellsMatchJSON(t *testing.T) {
	r := auditReport(t)
	// Two cells with more than one finding: the worst status must win,
	// whichever comes first, and the panel must show both.
	for i, f := range r.Findings {
		if f.Source.Bucket == "photos" && f.Reason == "DstBucketUnversioned" {
			f.Status, f.Message = checks.StatusUnknown, "a second, undecided finding"
			r.Findings = slices.Insert(r.Findings, i+1, f)
			break
		}
	}
	for i, f := range r.Findings {
		if f.Source.Bucket == "logs" && f.Reason == "DstBucketUnversioned" {
			f.Status, f.Message = checks.StatusPass, "a second, passing finding"
			r.Findings = slices.Insert(r.Findings, i, f)
			break
		}
	}
	if want := expectedRows(jsonOf(t, r)); len(want) != 10 {
		t.Fatalf("the audit world has %d rows, want 10 (nine rules and the unreadable account)", len(want))
	}
	tb := newTab(t)
	compare(tb, r)
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("page problems: %q", p)
	}
}

// TestCompareCatchesDifferences gives Compare a JSON report that differs
// from the page in a count, a cell and a finding's message, and wants
// each difference named.
func TestCompareCatchesDifferences(t *testing.T) {
	r := auditReport(t)
	url := writePage(t, r)
	for i, f := range r.Findings {
		if f.Source.Bucket == "logs" && f.Reason == "DstBucketUnversioned" {
			r.Findings[i].Status = checks.StatusPass
			r.Findings[i].Message = "a message the page does not show"
			break
		}
	}
	tb := newTab(t)
	diffs, err := Compare(tb.ctx, url, jsonBytes(t, r))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(diffs, "\n")
	for _, want := range []string{`header #count-fail`, `header #count-pass`, `DstBucketUnversioned: "fail", want "pass"`, `a message the page does not show`} {
		if !strings.Contains(text, want) {
			t.Errorf("Compare did not report %q; it reported:\n%s", want, text)
		}
	}
}

// TestFailCellPanel clicks a failing cell with the mouse and reads the
// panel: the message, the evidence, the fix, the explain text and the AWS
// documentation link; Escape closes it and gives the focus back.
func TestFailCellPanel(t *testing.T) {
	r := auditReport(t)
	tb := newTab(t)
	tb.open(writePage(t, r))
	cell := `#matrix-body .row:has(.bucket) .cell[data-reason="DstBucketUnversioned"][data-status="fail"]`
	tb.do(chromedp.Click(chromedp.CSS(cell)), chromedp.WaitVisible(chromedp.ID("panel")))
	text := eval[string](tb, `document.getElementById('panel').innerText`)
	for _, want := range []string{
		"DstBucketUnversioned: destination bucket versioning is not Enabled",
		"logs", "replicate-all", "arn:aws:s3:::logs-archive",
		"destination bucket logs-archive has versioning Suspended",
		"s3:GetBucketVersioning logs-archive -> Status=Suspended",
		"aws s3api put-bucket-versioning --bucket logs-archive --versioning-configuration Status=Enabled",
		"What S3 does", "How replcheck predicts it", "How to fix it",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("panel lacks %q:\n%s", want, text)
		}
	}
	href := eval[string](tb, `document.querySelector('#panel a.doc').href`)
	if !strings.HasPrefix(href, "https://docs.aws.amazon.com/") {
		t.Errorf("documentation link %q", href)
	}
	tb.do(chromedp.KeyEvent(kb.Escape))
	if !eval[bool](tb, `document.getElementById('panel').hidden`) {
		t.Error("Escape did not close the panel")
	}
	if got := eval[string](tb, `document.activeElement.dataset.reason || document.activeElement.id`); got != "DstBucketUnversioned" {
		t.Errorf("after Escape the focus is on %q, want the cell", got)
	}
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("page problems: %q", p)
	}
}

// TestKeyboard works the matrix with the keyboard alone: Tab reaches one
// cell, arrows move, Enter opens the panel, Escape closes it.
func TestKeyboard(t *testing.T) {
	r := auditReport(t)
	tb := newTab(t)
	tb.open(writePage(t, r))
	active := func() string {
		return eval[string](tb, `(() => { const a = document.activeElement;
		  if (!a || !a.classList.contains('cell')) return 'not a cell: ' + (a ? a.tagName + '#' + a.id : 'none');
		  return a.closest('.row').querySelector('.bucket').textContent + ' ' + a.dataset.reason; })()`)
	}
	tb.do(chromedp.Focus(chromedp.ID("f-reset")), chromedp.KeyEvent(kb.Tab))
	if got := active(); got != "logs SrcBucketReplicationConfigMissing" {
		t.Fatalf("Tab after the filters reached %q, want the first cell", got)
	}
	if n := eval[int](tb, `document.querySelectorAll('#matrix-body [tabindex="0"]').length`); n != 1 {
		t.Errorf("%d cells in the tab order, want 1 (a roving tabindex)", n)
	}
	steps := []struct {
		key, want string
	}{
		{kb.ArrowRight, "logs AssumeRoleNotPermitted"},
		{kb.ArrowRight, "logs SrcBucketNotFound"},
		{kb.ArrowDown, "invoices SrcBucketNotFound"},
		{kb.ArrowLeft, "invoices AssumeRoleNotPermitted"},
		{kb.ArrowUp, "logs AssumeRoleNotPermitted"},
		{kb.End, "logs SrcReplicationNotPending"},
		{kb.Home, "logs SrcBucketReplicationConfigMissing"},
	}
	for _, s := range steps {
		tb.do(chromedp.KeyEvent(s.key))
		if got := active(); got != s.want {
			t.Fatalf("after %q the focus is on %q, want %q", s.key, got, s.want)
		}
	}
	// Down past the last row of account A crosses its header into B.
	tb.do(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
	if got := active(); got != "ml-data SrcBucketReplicationConfigMissing" {
		t.Errorf("three rows down from logs the focus is on %q, want ml-data", got)
	}
	tb.do(chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("panel")))
	if eval[bool](tb, `document.getElementById('panel').hidden`) {
		t.Fatal("Enter did not open the panel")
	}
	if got := eval[string](tb, `document.activeElement.id`); got != "panel-title" {
		t.Errorf("the open panel's focus is on %q, want its title", got)
	}
	tb.do(chromedp.KeyEvent(kb.Escape))
	if got := active(); got != "ml-data SrcBucketReplicationConfigMissing" {
		t.Errorf("after Escape the focus is on %q, want the cell it left", got)
	}
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("page problems: %q", p)
	}
}

// TestPreflightReport opens the page of a preflight, whose report names its
// one source bucket once and has no audit object: one account group, the
// bucket's rules as rows, and the header's figures taken from the findings.
func TestPreflightReport(t *testing.T) {
	s, err := snapshot.Load(fixturesDir + "/base/cross-account.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := pipeline.Run(context.Background(), snapshots{s}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Source == nil || r.Audit != nil {
		t.Fatal("want a report of one source without an audit object")
	}
	doc := jsonOf(t, r)
	tb := newTab(t)
	tb.open(writePage(t, r) + "#notpass=0")
	got := eval[[]pageRow](tb, readRows)
	if want := expectedRows(doc); !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Errorf("rows %v, want %v", got, want)
	}
	header := eval[map[string]string](tb, `Object.fromEntries(['n-accounts','n-buckets','n-replicating','n-rules']
	  .map(id => [id, document.getElementById(id).textContent]))`)
	if want := map[string]string{"n-accounts": "1", "n-buckets": "1", "n-replicating": "1", "n-rules": strconv.Itoa(len(got))}; !reflect.DeepEqual(header, want) {
		t.Errorf("header %v, want %v", header, want)
	}
	if title := eval[string](tb, `document.querySelector('h1').textContent`); title != "replcheck preflight report" {
		t.Errorf("title %q", title)
	}
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("page problems: %q", p)
	}
}
