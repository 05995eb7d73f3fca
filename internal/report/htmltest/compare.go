package htmltest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/report"
)

// Compare opens the HTML report at url in tab with every filter off and
// compares it with jsonReport, the JSON report of the same run (its bytes,
// as --format json wrote them): the header's status counts (and an
// audit's figures), every row and cell of the matrix, and then every
// finding of every cell in its panel, by status, message, evidence and
// fix. It returns the differences; none means the page shows the JSON
// report, finding by finding. The tab's viewport is made tall enough that
// the whole matrix is drawn.
func Compare(tab context.Context, url string, jsonReport []byte) ([]string, error) {
	doc, err := parseJSONReport(jsonReport)
	if err != nil {
		return nil, err
	}
	want := expectedRows(doc)
	accounts := map[string]bool{}
	for _, r := range want {
		accounts[r.Account] = true
	}
	height := int64(1000 + 26*(len(want)+len(accounts)))
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1400, height)); err != nil {
		return nil, err
	}
	if err := Open(tab, strings.TrimSuffix(url, "#")+"#notpass=0"); err != nil {
		return nil, err
	}
	var diffs []string
	header, err := chromedp.Run(tab, chromedp.Evaluate[map[string]string](`Object.fromEntries(['count-fail','count-warn','count-unknown','count-pass','count-skip',
		'n-accounts','n-buckets','n-replicating','n-rules'].map(id => [id, document.getElementById(id).textContent]))`))
	if err != nil {
		return nil, err
	}
	s := doc.Summary
	wantHeader := map[string]string{"count-fail": strconv.Itoa(s.Fail), "count-warn": strconv.Itoa(s.Warn),
		"count-unknown": strconv.Itoa(s.Unknown), "count-pass": strconv.Itoa(s.Pass), "count-skip": strconv.Itoa(s.Skip)}
	if a := doc.Audit; a != nil {
		wantHeader["n-accounts"], wantHeader["n-buckets"] = strconv.Itoa(len(a.Accounts)), strconv.Itoa(a.Buckets)
		wantHeader["n-replicating"], wantHeader["n-rules"] = strconv.Itoa(a.BucketsWithReplication), strconv.Itoa(a.Rules)
	}
	for id, v := range wantHeader {
		if header[id] != v {
			diffs = append(diffs, fmt.Sprintf("header #%s shows %q, the JSON report says %s", id, header[id], v))
		}
	}

	got, err := chromedp.Run(tab, chromedp.Evaluate[[]pageRow](readRows))
	if err != nil {
		return nil, err
	}
	if len(got) != len(want) {
		diffs = append(diffs, fmt.Sprintf("the matrix has %d rows, the JSON report %d:\n got %v\nwant %v", len(got), len(want), got, want))
	}
	for i := range min(len(got), len(want)) {
		if got[i].String() != want[i].String() {
			diffs = append(diffs, fmt.Sprintf("row %d is %v, want %v", i, got[i], want[i]))
			continue
		}
		for reason, s := range want[i].Cells {
			if got[i].Cells[reason] != s {
				diffs = append(diffs, fmt.Sprintf("row %v, %s: %q, want %q", want[i], reason, got[i].Cells[reason], s))
			}
		}
	}

	panels, err := chromedp.Run(tab, chromedp.Evaluate[[]shownPanel](readPanels, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	wantPanels := map[string][]jsonFinding{}
	for _, f := range doc.Findings {
		src := f.Source
		if src == nil {
			src = doc.Source
		}
		key := pageRow{Bucket: cmp.Or(src.Bucket, "(account)"), Rule: cmp.Or(f.Rule, "no replication rule"),
			Dest: strings.TrimPrefix(f.Destination, "arn:aws:s3:::")}.label() + " " + f.Reason
		wantPanels[key] = append(wantPanels[key], f)
	}
	seen := 0
	for _, p := range panels {
		key := p.Row + " " + p.Reason
		want := wantPanels[key]
		if len(p.Findings) != len(want) {
			diffs = append(diffs, fmt.Sprintf("%s: the panel shows %d findings, the JSON report has %d", key, len(p.Findings), len(want)))
			continue
		}
		for i, f := range p.Findings {
			w := want[i]
			if f.Status != w.Status || f.Message != w.Message || f.Fix != w.Remediation || !slices.Equal(f.Evidence, w.Evidence) {
				diffs = append(diffs, fmt.Sprintf("%s: panel finding %d = %+v, want %+v", key, i, f, w))
			}
		}
		seen += len(p.Findings)
	}
	if seen != len(doc.Findings) {
		diffs = append(diffs, fmt.Sprintf("the panels showed %d findings, the JSON report has %d", seen, len(doc.Findings)))
	}
	return diffs, nil
}

// parseJSONReport reads the JSON report's document.
func parseJSONReport(data []byte) (jsonReport, error) {
	var doc jsonReport
	if err := json.Unmarshal(data, &doc); err != nil {
		return doc, fmt.Errorf("the JSON report: %w", err)
	}
	return doc, nil
}

// shownPanel is what a cell's panel shows: the cell's row and check, and
// its findings.
type shownPanel struct {
	Row, Reason string
	Findings    []struct {
		Status, Message, Fix string
		Evidence             []string
	}
}

// readPanels opens every cell that has findings, in turn, and reads its
// panel.
const readPanels = openCell + `(async () => {
  const out = [];
  const cells = [...document.querySelectorAll('#matrix-body .cell:not(.st-none)')]
    .map(c => [c.closest('.row').dataset.row, c.dataset.col]);
  for (const [row, col] of cells) {
    const cell = document.querySelector('#matrix-body .row[data-row="' + row + '"] .cell[data-col="' + col + '"]');
    const r = cell.closest('.row');
    const key = r.querySelector('.bucket').textContent + '/' + r.querySelector('.rule').textContent + '/' +
      (r.querySelector('.dest') ? r.querySelector('.dest').textContent : '');
    await openCell(row, col);
    const findings = [...document.querySelectorAll('#panel-body .finding')].map(f => ({
      status: f.querySelector('.badge').textContent,
      message: f.querySelector('.message').lastChild.textContent,
      fix: f.querySelector('pre.fix') ? f.querySelector('pre.fix').textContent : '',
      evidence: [...f.querySelectorAll('.evidence li')].map(li => li.textContent),
    }));
    out.push({row: key, reason: cell.dataset.reason, findings});
    document.getElementById('panel-close').click();
  }
  return out;
})()`

// openCell defines, for an expression evaluated with
// chromedp.EvalAwaitPromise, openCell(row, col): it closes the panel,
// clicks the cell of data-row row and data-col col, and resolves once the
// cell's panel shows (the page decodes findings asynchronously).
const openCell = `async function openCell(row, col) {
  const panel = document.getElementById('panel');
  document.getElementById('panel-close').click();
  document.querySelector('#matrix-body .row[data-row="' + row + '"] .cell[data-col="' + col + '"]').click();
  for (let i = 0; panel.hidden && i < 2000; i++) await new Promise(r => setTimeout(r, 5));
  if (panel.hidden) throw new Error('the panel of row ' + row + ', column ' + col + ' did not open');
}
`

// jsonFinding is a finding as the JSON report writes it.
type jsonFinding struct {
	Reason      string         `json:"reason"`
	Status      string         `json:"status"`
	Rule        string         `json:"rule"`
	Destination string         `json:"destination"`
	Message     string         `json:"message"`
	Evidence    []string       `json:"evidence"`
	Remediation string         `json:"remediation"`
	Source      *report.Source `json:"source"`
}

// jsonReport is the JSON report's document, read back from its bytes, so
// that the page is compared with what the JSON format writes.
type jsonReport struct {
	Source   *report.Source `json:"source"`
	Findings []jsonFinding  `json:"findings"`
	Summary  report.Summary `json:"summary"`
	Audit    *report.Audit  `json:"audit"`
}

// pageRow is a matrix row as the page shows it: its account header, the
// texts of its label, and each cell's status by check.
type pageRow struct {
	Account string            `json:"account"`
	Bucket  string            `json:"bucket"`
	Rule    string            `json:"rule"`
	Dest    string            `json:"dest"`
	Cells   map[string]string `json:"cells"`
}

func (r pageRow) String() string { return r.Account + "/" + r.label() }

// label is the row's label: bucket/rule/destination.
func (r pageRow) label() string { return r.Bucket + "/" + r.Rule + "/" + r.Dest }

// readRows returns the rows the page has drawn, in order. It fails unless
// every row the filters show is drawn (the tests' reports fit the window).
const readRows = `(() => {
  const rows = [];
  let account = null, drawn = 0;
  for (const r of document.querySelectorAll('#matrix-body .row')) {
    drawn++;
    if (r.classList.contains('acct')) { account = r.querySelector('.acct-id').textContent.replace(/^account /, ''); continue; }
    const text = s => { const e = r.querySelector(s); return e ? e.textContent : ''; };
    const cells = {};
    for (const c of r.querySelectorAll('.cell')) cells[c.dataset.reason] = c.dataset.status;
    rows.push({account, bucket: text('.bucket'), rule: text('.rule'), dest: text('.dest'), cells});
  }
  const total = Number(document.getElementById('matrix').getAttribute('aria-rowcount')) - 2;
  if (drawn !== total) throw new Error('drew ' + drawn + ' of ' + total + ' rows');
  return rows;
})()`

// rank orders statuses as the page does, worst first.
var rank = map[string]int{"fail": 0, "warn": 1, "unknown": 2, "pass": 3, "skip": 4}

// expectedRows derives, from the JSON report alone, the rows the page must
// show with every filter off: one per source bucket, rule and destination,
// grouped by account (the audit's order, then first appearance), each cell
// the worst status of its findings, and "none" where a check has none.
func expectedRows(doc jsonReport) []pageRow {
	var order []string
	if doc.Audit != nil {
		for _, a := range doc.Audit.Accounts {
			order = append(order, a.ID)
		}
	}
	byAccount := map[string][]*pageRow{}
	index := map[string]*pageRow{}
	reasons := map[string]bool{}
	for _, f := range doc.Findings {
		reasons[f.Reason] = true
	}
	for _, f := range doc.Findings {
		src := f.Source
		if src == nil {
			src = doc.Source
		}
		if !slices.Contains(order, src.Account) {
			order = append(order, src.Account)
		}
		row := pageRow{Account: src.Account, Bucket: src.Bucket, Rule: f.Rule, Dest: strings.TrimPrefix(f.Destination, "arn:aws:s3:::")}
		if row.Bucket == "" {
			row.Bucket = "(account)"
		}
		if row.Rule == "" {
			row.Rule = "no replication rule"
		}
		r, ok := index[row.String()]
		if !ok {
			row.Cells = map[string]string{}
			for reason := range reasons {
				row.Cells[reason] = "none"
			}
			for _, c := range checks.All {
				row.Cells[c.Reason] = "none"
			}
			r = &row
			index[row.String()] = r
			byAccount[src.Account] = append(byAccount[src.Account], r)
		}
		if cur := r.Cells[f.Reason]; cur == "none" || rank[f.Status] < rank[cur] {
			r.Cells[f.Reason] = f.Status
		}
	}
	var out []pageRow
	for _, a := range order {
		for _, r := range byAccount[a] {
			out = append(out, *r)
		}
	}
	return out
}
