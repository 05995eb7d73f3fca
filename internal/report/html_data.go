package report

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/replcheck/replcheck/checks"
)

// findingsPerChunk is how many findings one compressed chunk of the page's
// data block holds: small enough that opening a cell decodes about 2 MB
// of JSON (some 20 ms), large enough that gzip finds the repetition.
const findingsPerChunk = 5000

// htmlFindings is the page's findings data block: the JSON report's
// document, with its findings compressed so that a report of 10,000 rows
// (half a million findings, some 250 MB of JSON) is a page of a few
// megabytes that a browser reads in a fraction of a second. Document is
// the document of the JSON report with Findings empty; Chunks hold the
// findings in order, PerChunk at a time, each one a JSON array of
// findings written as the JSON report writes them, gzip-compressed and
// base64-encoded. Decoding the chunks and joining their arrays gives the
// JSON report's findings. The page decodes a chunk only when a cell whose
// findings it holds is opened.
type htmlFindings struct {
	Document Document `json:"document"`
	Count    int      `json:"count"`
	PerChunk int      `json:"perChunk"`
	Chunks   []string `json:"chunks"`
}

// newHTMLFindings compresses doc's findings into chunks, in parallel.
func newHTMLFindings(doc Document) (htmlFindings, error) {
	out := htmlFindings{Document: doc, Count: len(doc.Findings), PerChunk: findingsPerChunk}
	out.Document.Findings = []Finding{}
	out.Chunks = make([]string, (len(doc.Findings)+findingsPerChunk-1)/findingsPerChunk)
	errs := make([]error, len(out.Chunks))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(out.Chunks)) {
		wg.Go(func() {
			for k := range next {
				end := min(len(doc.Findings), (k+1)*findingsPerChunk)
				out.Chunks[k], errs[k] = compressJSON(doc.Findings[k*findingsPerChunk : end])
			}
		})
	}
	for k := range out.Chunks {
		next <- k
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return htmlFindings{}, err
		}
	}
	return out, nil
}

// compressJSON is v as replcheck's JSON outputs write it (no HTML
// escaping), gzip-compressed and base64-encoded.
func compressJSON(v any) (string, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", err
	}
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// htmlRow is one row of the page's matrix: a source bucket, a rule and a
// destination, with the worst status of each column's findings.
type htmlRow struct {
	// Account is the row's account, an index into htmlMeta.Accounts.
	Account     int    `json:"account"`
	Bucket      string `json:"bucket"`
	Region      string `json:"region"`
	Rule        string `json:"rule"`
	Destination string `json:"destination"`
	// Cells has one digit per column, in htmlMeta.Checks order: 0 where
	// the column has no finding, otherwise the cellCode of the worst
	// status among its findings.
	Cells string `json:"cells"`
	// First and End bound the indexes of the row's findings in the
	// document: the page looks for a cell's findings among them.
	First int `json:"first"`
	End   int `json:"end"`
}

// cellStatuses are the statuses a cell can show, worst first; a cell's
// code is 1 + its worst status's index here, and a status this build does
// not know counts as skip.
var cellStatuses = []checks.Status{checks.StatusFail, checks.StatusWarn, checks.StatusUnknown, checks.StatusPass, checks.StatusSkip}

func cellCode(s checks.Status) byte {
	for i, c := range cellStatuses {
		if s == c {
			return byte('1' + i)
		}
	}
	return byte('0' + len(cellStatuses))
}

// matrixRows groups doc's findings into rows: one per source bucket (the
// finding's, or the document's), rule and destination, grouped by account
// in the order of accounts (run's accounts first, then any other that a
// finding names), and in the report's order within an account. cols lists
// the columns; every finding's reason must be one of them.
func matrixRows(doc Document, run []AccountStatus, cols []htmlCheck) ([]AccountStatus, []htmlRow) {
	accounts := append([]AccountStatus{}, run...)
	accountOf := map[string]int{}
	for i, a := range accounts {
		accountOf[a.ID] = i
	}
	colOf := make(map[string]int, len(cols))
	for i, c := range cols {
		colOf[c.Reason] = i
	}
	type rowKey struct{ account, bucket, rule, destination string }
	var rows []htmlRow
	var cells [][]byte
	rowOf := map[rowKey]int{}
	for i, f := range doc.Findings {
		src := f.Source
		if src == nil {
			src = doc.Source
		}
		if src == nil {
			src = &Source{}
		}
		k := rowKey{src.Account, src.Bucket, f.Rule, f.Destination}
		r, ok := rowOf[k]
		if !ok {
			a, known := accountOf[src.Account]
			if !known {
				a = len(accounts)
				accountOf[src.Account] = a
				accounts = append(accounts, AccountStatus{ID: src.Account, Status: "ok"})
			}
			r = len(rows)
			rowOf[k] = r
			rows = append(rows, htmlRow{Account: a, Bucket: src.Bucket, Region: src.Region, Rule: f.Rule, Destination: f.Destination, First: i})
			cells = append(cells, []byte(strings.Repeat("0", len(cols))))
		}
		rows[r].End = i + 1
		c := colOf[f.Reason]
		if code := cellCode(f.Status); cells[r][c] == '0' || code < cells[r][c] {
			cells[r][c] = code
		}
	}
	for r := range rows {
		rows[r].Cells = string(cells[r])
	}
	slices.SortStableFunc(rows, func(a, b htmlRow) int { return cmp.Compare(a.Account, b.Account) })
	return accounts, rows
}
