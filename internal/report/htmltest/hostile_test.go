package htmltest

import (
	"context"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/replcheck/replcheck/internal/pipeline"
	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Payloads in the names AWS lets a resource's creator choose. Each would
// set window.pwned, or open a dialog, if the page ever treated it as
// markup or script.
const (
	hostileRule   = `"><img src=x onerror="window.pwned='rule'"><script>window.pwned='rule-script'</script>`
	hostilePrefix = `</script><script>window.pwned='prefix'</script><svg onload=alert('prefix')>/`
	hostileError  = `AccessDenied <iframe srcdoc="<script>parent.pwned='error'</script>"></iframe><img src=x onerror=alert('error')>`
)

// hostileReport is an audit of a bucket whose rule ID and filter prefix are
// payloads, and of an account whose error message is one.
func hostileReport(t *testing.T) *report.Report {
	t.Helper()
	s, err := snapshot.Load(fixturesDir + "/base/same-account.json")
	if err != nil {
		t.Fatal(err)
	}
	rule := &s.Replication.Value.Rules[0]
	rule.ID = hostileRule
	prefix := hostilePrefix
	rule.Filter.Prefix = &prefix
	r, err := pipeline.Run(context.Background(), snapshots{s}, pipeline.Options{SourcePerFinding: true})
	if err != nil {
		t.Fatal(err)
	}
	r.Command = "audit"
	r.Findings = append(r.Findings, UnreadableAccount(AccountUnreadable, hostileError))
	r.Audit = &report.Audit{
		Accounts: []report.AccountStatus{{ID: AccountA, Status: "ok"}, {ID: AccountUnreadable, Status: "error", Error: hostileError}},
		Buckets:  1, BucketsWithReplication: 1, Rules: 1,
	}
	inEvidence := false
	for _, f := range r.Findings {
		inEvidence = inEvidence || strings.Contains(strings.Join(f.Evidence, " "), hostilePrefix)
	}
	if !inEvidence {
		t.Fatal("no finding's evidence names the prefix: the test would not show it")
	}
	return r
}

// injected lists what the payloads would have added to the document: any
// element they name, any event-handler attribute, any script beyond the
// page's three, and whether one of them ran.
const injected = `(() => {
  const out = [];
  for (const e of document.querySelectorAll('img, svg, iframe, object, embed, frame, base, link, meta[http-equiv="refresh"]'))
    out.push('element ' + e.tagName);
  const scripts = document.querySelectorAll('script');
  if (scripts.length !== 3) out.push(scripts.length + ' script elements');
  for (const e of document.querySelectorAll('*'))
    for (const a of e.attributes)
      if (/^on/i.test(a.name) || /^(src|srcdoc|href)$/i.test(a.name) && !(e.tagName === 'A' && /^https:\/\/docs\.aws\.amazon\.com\//.test(a.value)))
        out.push(e.tagName + ' attribute ' + a.name);
  if (typeof window.pwned !== 'undefined') out.push('window.pwned = ' + window.pwned);
  return out;
})()`

// TestHostileNamesRenderAsText opens a report full of payloads, through the
// matrix, the panel, the header and the filters, and checks that they show
// as text and did nothing.
func TestHostileNamesRenderAsText(t *testing.T) {
	r := hostileReport(t)
	page := writePage(t, r)
	for _, variant := range []struct {
		name, url string
	}{
		{"report", page + "#notpass=0"},
		// A link is input too: the fragment carries the payload into the
		// search box and the check filter.
		{"fragment", page + "#notpass=0&q=" + url.QueryEscape(hostileRule) + "&check=" + url.QueryEscape(hostilePrefix)},
	} {
		t.Run(variant.name, func(t *testing.T) {
			tb := newTab(t)
			tb.open(variant.url)
			if variant.name == "fragment" {
				if got := eval[string](tb, `document.getElementById('f-q').value`); got != hostileRule {
					t.Errorf("search box %q, want the payload as text", got)
				}
			}
			rule := eval[string](tb, `document.querySelector('#matrix-body .rule').textContent`)
			if rule != hostileRule {
				t.Errorf("rule label %q, want the payload as text", rule)
			}
			header := eval[string](tb, `document.getElementById('unreadable-accounts').textContent`)
			if !strings.Contains(header, hostileError) {
				t.Errorf("header %q lacks the error message as text", header)
			}
			// Open every cell, so that every finding's text is rendered.
			evidence := eval[string](tb, openCell+`(async () => {
			  let text = '';
			  for (const c of [...document.querySelectorAll('#matrix-body .cell:not(.st-none)')].map(c => [c.closest('.row').dataset.row, c.dataset.col])) {
			    await openCell(c[0], c[1]);
			    text += document.getElementById('panel-body').textContent;
			  }
			  return text;
			})()`, chromedp.EvalAwaitPromise)
			shown := []string{hostileRule, hostilePrefix, hostileError}
			if variant.name == "fragment" {
				shown = shown[:2] // the search hides the unreadable account's row
			}
			for _, p := range shown {
				if !strings.Contains(evidence, p) {
					t.Errorf("the panels do not show %q as text", p)
				}
			}
			if got := eval[[]string](tb, injected); len(got) > 0 {
				t.Errorf("the payloads injected or ran: %q", got)
			}
			if p := tb.problems(); len(p) > 0 {
				t.Errorf("page problems: %q", p)
			}
		})
	}
}

// TestHostileNamesWithoutCSP removes the Content-Security-Policy and opens
// the page again: the payloads must still do nothing, because the page
// never parses them; the policy is a second wall, not the first.
func TestHostileNamesWithoutCSP(t *testing.T) {
	page := strings.TrimPrefix(writePage(t, hostileReport(t)), "file://")
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	meta := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy"[^>]*>`)
	if !meta.Match(data) {
		t.Fatal("no CSP meta element to remove")
	}
	if err := os.WriteFile(page, meta.ReplaceAll(data, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t)
	tb.open("file://" + page + "#notpass=0")
	eval[bool](tb, openCell+`(async () => {
	  for (const c of [...document.querySelectorAll('#matrix-body .cell:not(.st-none)')].map(c => [c.closest('.row').dataset.row, c.dataset.col])) {
	    await openCell(c[0], c[1]);
	  }
	  return true;
	})()`, chromedp.EvalAwaitPromise)
	if got := eval[[]string](tb, injected); len(got) > 0 {
		t.Errorf("without the CSP the payloads injected or ran: %q", got)
	}
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("page problems: %q", p)
	}
}
