package report

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"html"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/replcheck/replcheck/checks"
)

// Payloads that would run script or inject markup if the page ever parsed
// report data as HTML or broke out of its data block.
const (
	payloadTag    = `"><img src=x onerror=alert(1)>`
	payloadScript = `</script><script>window.pwned=1</script>`
	payloadSVG    = `<svg onload=alert(2)><!--`
)

// hostile is the sample report with payloads wherever AWS lets resource
// creators choose the text: a rule ID, a prefix in a message, evidence, an
// unreadable account's error, and the input file's name.
func hostile() *Report {
	r := sample()
	for i := range r.Findings {
		if r.Findings[i].Rule == "logs" {
			r.Findings[i].Rule = payloadTag
		}
	}
	r.Findings[1].Message = "prefix " + payloadScript + " is not replicated"
	r.Findings[1].Evidence = append(r.Findings[1].Evidence, "Sid "+payloadSVG)
	r.Input = payloadTag + ".json"
	r.Audit = &Audit{Accounts: []AccountStatus{{ID: "111111111111", Status: "ok"}, {ID: "333333333333", Status: "error", Error: payloadSVG + payloadScript}}}
	return r
}

func renderHTML(t *testing.T, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := (HTML{Generated: time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)}).Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// between returns the text between the first start after from and the
// following end.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("no %q in the page", start)
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		t.Fatalf("no %q after %q in the page", end, start)
	}
	return s[:j]
}

// TestHTMLContentSecurityPolicy checks that the policy names the exact
// inline script and style the page carries, and allows nothing else.
func TestHTMLContentSecurityPolicy(t *testing.T) {
	page := renderHTML(t, hostile())
	csp := between(t, page, `<meta http-equiv="Content-Security-Policy" content="`, `">`)
	csp = html.UnescapeString(csp)
	if csp != ContentSecurityPolicy() {
		t.Fatalf("page CSP %q, want %q", csp, ContentSecurityPolicy())
	}
	script := between(t, page, "<script>", "</script>")
	style := between(t, page, "<style>", "</style>")
	if script != pageScript || style != pageStyle {
		t.Fatal("the inline script or style differs from its embedded source")
	}
	for _, want := range []string{"default-src 'none'", "script-src " + cspHash(script) + ";", "style-src " + cspHash(style) + ";",
		"base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") || strings.Contains(csp, "data:") {
		t.Errorf("CSP %q allows more than the page's own script and style", csp)
	}
	// A known value, so that the hash function is tested, not just used.
	if got := cspHash("alert(1)"); got != "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='" {
		t.Errorf("cspHash(alert(1)) = %s", got)
	}
}

// TestHTMLDataBlockIsTheJSONDocument checks that the page's data block
// holds the JSON report's document, value for value.
func TestHTMLDataBlockIsTheJSONDocument(t *testing.T) {
	reports := map[string]*Report{"sample": sample(), "hostile": hostile(), "empty": {Source: &Source{Bucket: "b"}},
		"three chunks": manyFindings(2*findingsPerChunk + 7)}
	for name, r := range reports {
		t.Run(name, func(t *testing.T) {
			block := between(t, renderHTML(t, r), `<script type="application/json" id="replcheck-report">`, "</script>")
			got := decodeDataBlock(t, block)
			var want any
			if err := json.Unmarshal(render(t, "json", false, r), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("data block differs from the JSON report:\n%s", block)
			}
		})
	}
}

// decodeDataBlock reads the page's findings data block back into the JSON
// report's document: its document with the chunks' findings joined.
func decodeDataBlock(t *testing.T, block string) any {
	t.Helper()
	var data struct {
		Document map[string]any `json:"document"`
		Count    int            `json:"count"`
		PerChunk int            `json:"perChunk"`
		Chunks   []string       `json:"chunks"`
	}
	if err := json.Unmarshal([]byte(block), &data); err != nil {
		t.Fatalf("data block is not JSON: %v", err)
	}
	if len(data.Document["findings"].([]any)) != 0 {
		t.Error("the data block's document carries findings besides its chunks")
	}
	findings := []any{}
	for k, c := range data.Chunks {
		z, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			t.Fatalf("chunk %d: %v", k, err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatalf("chunk %d: %v", k, err)
		}
		var list []any
		if err := json.NewDecoder(zr).Decode(&list); err != nil {
			t.Fatalf("chunk %d: %v", k, err)
		}
		if k < len(data.Chunks)-1 && len(list) != data.PerChunk {
			t.Errorf("chunk %d holds %d findings, want %d", k, len(list), data.PerChunk)
		}
		findings = append(findings, list...)
	}
	if len(findings) != data.Count {
		t.Errorf("the chunks hold %d findings, count says %d", len(findings), data.Count)
	}
	data.Document["findings"] = findings
	return any(data.Document)
}

// TestHTMLHostileNamesStayText checks the markup: the payloads appear only
// escaped, the page has its three script elements and no other element
// they tried to add.
func TestHTMLHostileNamesStayText(t *testing.T) {
	page := renderHTML(t, hostile())
	lower := strings.ToLower(page)
	if n := strings.Count(lower, "<script"); n != 3 {
		t.Errorf("%d <script tags, want 3 (two data blocks and the page's script)", n)
	}
	if n := strings.Count(lower, "</script"); n != 3 {
		t.Errorf("%d </script tags, want 3", n)
	}
	for _, tag := range []string{"<img", "<svg", "<!--"} {
		if strings.Contains(lower, tag) {
			t.Errorf("the page contains %q", tag)
		}
	}
	// The header shows the unreadable account's error, escaped.
	if !strings.Contains(page, "&lt;svg onload=alert(2)&gt;&lt;!--&lt;/script&gt;") {
		t.Error("the header does not show the account error as text")
	}
}

// TestHTMLScriptSetsNoMarkup keeps the page's script away from every API
// that parses a string as markup or code.
func TestHTMLScriptSetsNoMarkup(t *testing.T) {
	forbidden := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\b|new Function|` +
		`setTimeout\(\s*['"]|setInterval\(\s*['"]|createContextualFragment|DOMParser|srcdoc`)
	if m := forbidden.FindAllString(pageScript, -1); len(m) > 0 {
		t.Errorf("report.js uses %v", m)
	}
	if !forbidden.MatchString("el.innerHTML = x") {
		t.Fatal("the pattern misses innerHTML")
	}
}

// TestHTMLRun checks the header's figures: an audit's own, or for other
// reports those the findings show.
func TestHTMLRun(t *testing.T) {
	got := runOf(sample())
	want := htmlRun{Accounts: []AccountStatus{{ID: "111111111111", Status: "ok"}}, Buckets: 1, BucketsWithReplication: 1, Rules: 2}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sample: run %+v, want %+v", got, want)
	}
	none := &Report{Source: &Source{Bucket: "b", Account: "222222222222"}, Findings: []Finding{{Finding: checks.Finding{Reason: "SrcBucketReplicationConfigMissing", Status: checks.StatusFail}}}}
	got = runOf(none)
	want = htmlRun{Accounts: []AccountStatus{{ID: "222222222222", Status: "ok"}}, Buckets: 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("no configuration: run %+v, want %+v", got, want)
	}
	audit := &Report{Audit: &Audit{Accounts: []AccountStatus{{ID: "1", Status: "error", Error: "denied"}}, Buckets: 7, BucketsWithReplication: 3, Rules: 4}}
	got = runOf(audit)
	want = htmlRun{Accounts: audit.Audit.Accounts, Buckets: 7, BucketsWithReplication: 3, Rules: 4}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("audit: run %+v, want %+v", got, want)
	}
}

// TestHTMLColumns checks the columns' order: by group, then as r.Checks
// lists them, and reasons without a check last, in "other".
func TestHTMLColumns(t *testing.T) {
	r := &Report{
		Checks: []*checks.Check{checks.InitiateReplicationNotPermitted, checks.DstKmsKeyNotFound, checks.DstBucketUnversioned, checks.SrcGetAclNotPermitted},
		Findings: []Finding{
			{Finding: checks.Finding{Reason: "DstBucketUnversioned"}},
			{Finding: checks.Finding{Reason: "SomeFutureReason"}},
		},
	}
	groups, cols := columns(r)
	var got []string
	for _, c := range cols {
		got = append(got, c.Group+":"+c.Reason)
	}
	want := []string{"configuration:DstBucketUnversioned", "source reads:SrcGetAclNotPermitted", "KMS:DstKmsKeyNotFound",
		"Batch:InitiateReplicationNotPermitted", "other:SomeFutureReason"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("columns %v, want %v", got, want)
	}
	if groups[len(groups)-1] != "other" || len(groups) != len(checks.Groups)+1 {
		t.Errorf("groups %v", groups)
	}
	if cols[0].Why == "" || cols[0].DocURL == "" {
		t.Error("a column lacks its check's explain text")
	}
}

// FuzzHTMLText puts arbitrary text where AWS lets resource creators choose
// it (a rule ID, a message, an account's error, the input file's name) and
// checks that the page keeps exactly its own three script elements, adds
// no comment or markup, and carries the JSON report's document intact.
func FuzzHTMLText(f *testing.F) {
	f.Add(payloadTag, payloadScript, payloadSVG, "in.json")
	f.Add("<!--", "]]><![CDATA[", "</SCRIPT\t>", "\u2028\u2029")
	f.Add("{{.CSP}}", "`${x}`", "<style>*{}</style>", "a&amp;b")
	f.Fuzz(func(t *testing.T, rule, message, accountError, input string) {
		r := sample()
		r.Findings[0].Rule = rule
		r.Findings[1].Message = message
		r.Input = input
		r.Audit = &Audit{Accounts: []AccountStatus{{ID: "333333333333", Status: "error", Error: accountError}}}
		page := renderHTML(t, r)
		lower := strings.ToLower(page)
		if n := strings.Count(lower, "<script"); n != 3 {
			t.Fatalf("%d <script tags, want 3", n)
		}
		if n := strings.Count(lower, "</script"); n != 3 {
			t.Fatalf("%d </script tags, want 3", n)
		}
		if n := strings.Count(lower, "<style"); n != 1 {
			t.Fatalf("%d <style tags, want 1", n)
		}
		for _, tag := range []string{"<!--", "<img", "<svg", "<iframe"} {
			if strings.Contains(lower, tag) {
				t.Fatalf("the page contains %q", tag)
			}
		}
		block := between(t, page, `<script type="application/json" id="replcheck-report">`, "</script>")
		got := decodeDataBlock(t, block)
		var want any
		if err := json.Unmarshal(render(t, "json", false, r), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatal("data block differs from the JSON report")
		}
		var meta htmlMeta
		if err := json.Unmarshal([]byte(between(t, page, `<script type="application/json" id="replcheck-meta">`, "</script>")), &meta); err != nil {
			t.Fatalf("meta block is not JSON: %v", err)
		}
		if !slices.ContainsFunc(meta.Rows, func(row htmlRow) bool { return row.Rule == rule }) {
			t.Fatalf("no matrix row carries the rule %q intact", rule)
		}
	})
}
