package htmltest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BenchmarkTimeToInteractive opens audit reports of 1,000 and 10,000 rows
// (each row the real findings of a fixture rule, one per check: 44 to 45
// findings and their text) in headless Chromium, in a fresh tab each time,
// and reports, as the page measures them from the start of navigation:
//
//   - page-MB: the size of the HTML file;
//   - load-ms: until the page's script starts, that is until the browser
//     has read and parsed the whole file;
//   - parse-ms: reading the JSON data blocks;
//   - build-ms: building the rows and cells and drawing the first view;
//   - tti-ms: the sum, when the matrix is drawn and answers input (the
//     target is 2,000 ms for 10,000 rows);
//   - filter-ms: applying a search typed into the filter, until the new
//     view is laid out;
//   - open-ms: clicking a cell of the last row until its panel shows,
//     which decodes the findings' chunk that holds it.
//
// ns/op is the wall time of a navigation until the report is interactive,
// as Go sees it. Run it with make bench.
func BenchmarkTimeToInteractive(b *testing.B) {
	for _, rows := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			browser := needBrowser(b)
			r, err := Rows(fixturesDir, rows)
			if err != nil {
				b.Fatal(err)
			}
			url := writePage(b, r)
			info, err := os.Stat(strings.TrimPrefix(url, "file://"))
			if err != nil {
				b.Fatal(err)
			}
			r = nil // let the report go before the browser needs the memory
			var sum timings
			b.ResetTimer()
			for range b.N {
				t, err := openOnce(browser, url)
				if err != nil {
					b.Fatal(err)
				}
				sum.Load += t.Load
				sum.Parse += t.Parse
				sum.Build += t.Build
				sum.TTI += t.TTI
				sum.Filter += t.Filter
				sum.Open += t.Open
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(float64(info.Size())/1e6, "page-MB")
			b.ReportMetric(sum.Load/n, "load-ms")
			b.ReportMetric(sum.Parse/n, "parse-ms")
			b.ReportMetric(sum.Build/n, "build-ms")
			b.ReportMetric(sum.TTI/n, "tti-ms")
			b.ReportMetric(sum.Filter/n, "filter-ms")
			b.ReportMetric(sum.Open/n, "open-ms")
		})
	}
}

// timings are one page load's figures, in milliseconds.
type timings struct {
	Load, Parse, Build, TTI, Filter, Open float64
}

// openOnce opens url in a new tab, waits until it is interactive, types a
// search, opens a cell, and closes the tab.
func openOnce(browser context.Context, url string) (timings, error) {
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	defer cancelTimeout()
	if err := Open(ctx, url); err != nil {
		return timings{}, err
	}
	var t timings
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`Object.fromEntries(
	  ['replcheck-start', 'replcheck-parsed', 'replcheck-interactive'].map(m => [m, performance.getEntriesByName(m)[0].startTime]))`))
	if err != nil {
		return t, err
	}
	t.Load = marks["replcheck-start"]
	t.Parse = marks["replcheck-parsed"] - marks["replcheck-start"]
	t.Build = marks["replcheck-interactive"] - marks["replcheck-parsed"]
	t.TTI = marks["replcheck-interactive"]
	t.Filter, err = chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => {
	  const q = document.getElementById('f-q');
	  const t0 = performance.now();
	  q.value = 'bucket-00';
	  q.dispatchEvent(new Event('input'));
	  document.getElementById('matrix-body').getBoundingClientRect();
	  return performance.now() - t0;
	})()`))
	if err != nil {
		return t, err
	}
	t.Open, err = chromedp.Run(ctx, chromedp.Evaluate[float64](openCell+`(async () => {
	  const q = document.getElementById('f-q');
	  q.value = '';
	  q.dispatchEvent(new Event('input'));
	  const matrix = document.getElementById('matrix');
	  matrix.scrollTop = matrix.scrollHeight;
	  matrix.dispatchEvent(new Event('scroll'));
	  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	  const rows = document.querySelectorAll('#matrix-body .row[data-row]');
	  const last = rows[rows.length - 1];
	  const cell = last.querySelector('.cell:not(.st-none)');
	  const t0 = performance.now();
	  await openCell(last.dataset.row, cell.dataset.col);
	  return performance.now() - t0;
	})()`, chromedp.EvalAwaitPromise))
	return t, err
}
