package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/replcheck/replcheck/checks"
)

// HTML writes one self-contained page: a header with the run, and a matrix
// of source bucket → rule → destination rows by check columns that opens
// every finding of a cell in a panel. The page's CSS and JavaScript are
// inline, behind a Content-Security-Policy that allows nothing else (no
// network, no other script); the findings travel in it as the JSON
// document NewDocument builds (its findings compressed, see htmlFindings),
// written through html/template's JSON escaping, and the script only ever
// sets text, never markup.
type HTML struct {
	// Generated is when the run happened, as the header says; zero means
	// the moment Write is called.
	Generated time.Time
}

// The page's sources, kept as real files so that they can be read and
// linted as what they are.
var (
	//go:embed html/report.html
	pageTemplate string
	//go:embed html/report.css
	pageStyle string
	//go:embed html/report.js
	pageScript string
)

// page parses the template once.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report.html").Parse(pageTemplate))
})

// ContentSecurityPolicy is the page's policy: nothing may load, and only
// the page's own inline script and style (named by their SHA-256 hashes)
// may run or apply.
func ContentSecurityPolicy() string {
	return "default-src 'none'; script-src " + cspHash(pageScript) + "; style-src " + cspHash(pageStyle) +
		"; img-src 'none'; base-uri 'none'; form-action 'none'"
}

// cspHash is a CSP hash-source for an inline element's exact text.
func cspHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// htmlPage is what the template renders.
type htmlPage struct {
	CSP    string
	Style  template.CSS
	Script template.JS
	// Summary is the header's counts; Findings the JSON report's document
	// as the page's data block; Meta what the page needs besides.
	Summary  Summary
	Findings htmlFindings
	Meta     htmlMeta
	// Generated is the run's time for people; Readable and Unreadable
	// split Meta.Run.Accounts for the header.
	Generated            string
	Readable, Unreadable []AccountStatus
}

// htmlMeta is the page's second data block: the run as the header shows
// it, the checks as the matrix's columns, in order, and the matrix's rows,
// computed from the document, so that the page draws the matrix without
// decoding a single finding.
type htmlMeta struct {
	Command   string      `json:"command"`
	Version   string      `json:"version"`
	Input     string      `json:"input"`
	Generated string      `json:"generated"`
	Run       htmlRun     `json:"run"`
	Groups    []string    `json:"groups"`
	Checks    []htmlCheck `json:"checks"`
	// Accounts are the accounts of the rows, in the order the matrix
	// groups them: the run's, then any other a finding names.
	Accounts []AccountStatus `json:"accounts"`
	Rows     []htmlRow       `json:"rows"`
}

// htmlRun is what a run covered: an audit's Audit object, or for a report
// without one the same figures taken from its findings.
type htmlRun struct {
	Accounts               []AccountStatus `json:"accounts"`
	Buckets                int             `json:"buckets"`
	BucketsWithReplication int             `json:"bucketsWithReplication"`
	Rules                  int             `json:"rules"`
}

// htmlCheck is one column: a check's metadata, with the explain text.
type htmlCheck struct {
	Reason   string   `json:"reason"`
	Aliases  []string `json:"aliases"`
	Group    string   `json:"group"`
	Scope    string   `json:"scope"`
	Title    string   `json:"title"`
	Why      string   `json:"why"`
	Predicts string   `json:"predicts"`
	Fix      string   `json:"fix"`
	DocURL   string   `json:"docURL"`
}

// otherGroup holds the columns of reasons that no check of this build
// describes (a report written by another version of replcheck).
const otherGroup = "other"

// Write writes r as an HTML page.
func (h HTML) Write(w io.Writer, r *Report) error {
	when := h.Generated
	if when.IsZero() {
		when = time.Now()
	}
	doc := NewDocument(r)
	findings, err := newHTMLFindings(doc)
	if err != nil {
		return err
	}
	p := htmlPage{
		CSP:      ContentSecurityPolicy(),
		Style:    template.CSS(pageStyle),
		Script:   template.JS(pageScript),
		Summary:  doc.Summary,
		Findings: findings,
		Meta: htmlMeta{
			Command:   command(r),
			Version:   r.Version,
			Input:     r.Input,
			Generated: when.UTC().Format(time.RFC3339),
			Run:       runOf(r),
		},
	}
	p.Meta.Groups, p.Meta.Checks = columns(r)
	p.Meta.Accounts, p.Meta.Rows = matrixRows(doc, p.Meta.Run.Accounts, p.Meta.Checks)
	p.Generated = when.UTC().Format("2006-01-02 15:04:05 UTC")
	for _, a := range p.Meta.Run.Accounts {
		if a.Status == "ok" {
			p.Readable = append(p.Readable, a)
		} else {
			p.Unreadable = append(p.Unreadable, a)
		}
	}
	var buf bytes.Buffer
	if err := page().Execute(&buf, p); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// columns lists the checks in group order (checks.Groups, then "other"),
// and in r.Checks order within a group; reasons that findings name but no
// check describes are appended to "other".
func columns(r *Report) ([]string, []htmlCheck) {
	var out []htmlCheck
	seen := map[string]bool{}
	groups := make([]string, 0, len(checks.Groups)+1)
	for _, g := range checks.Groups {
		groups = append(groups, string(g))
		for _, c := range r.Checks {
			if c.Group() == g && !seen[c.Reason] {
				seen[c.Reason] = true
				out = append(out, htmlCheck{Reason: c.Reason, Aliases: nonNil(c.Aliases), Group: string(g), Scope: string(c.Scope),
					Title: c.Title, Why: c.Why, Predicts: c.Predicts, Fix: c.Fix, DocURL: c.DocURL})
			}
		}
	}
	other := false
	for _, f := range r.Findings {
		if !seen[f.Reason] {
			seen[f.Reason] = true
			other = true
			out = append(out, htmlCheck{Reason: f.Reason, Aliases: nonNil(f.Aliases), Group: otherGroup, Title: f.Reason})
		}
	}
	if other {
		groups = append(groups, otherGroup)
	}
	return groups, out
}

// runOf is the run the header describes. An audit says it in r.Audit;
// otherwise the findings say which accounts and buckets were checked: a
// bucket has replication when a finding names one of its rules, and the
// rules are the distinct rule IDs per bucket.
func runOf(r *Report) htmlRun {
	if r.Audit != nil {
		return htmlRun{Accounts: slices.Clone(r.Audit.Accounts), Buckets: r.Audit.Buckets,
			BucketsWithReplication: r.Audit.BucketsWithReplication, Rules: r.Audit.Rules}
	}
	run := htmlRun{Accounts: []AccountStatus{}}
	accounts := map[string]bool{}
	buckets := map[string]bool{}
	replicating := map[string]bool{}
	rules := map[[2]string]bool{}
	add := func(s *Source, rule string) {
		if s == nil {
			return
		}
		if !accounts[s.Account] {
			accounts[s.Account] = true
			run.Accounts = append(run.Accounts, AccountStatus{ID: s.Account, Status: "ok"})
		}
		if s.Bucket == "" {
			return
		}
		key := sourceKey(s)
		buckets[key] = true
		if rule != "" {
			replicating[key] = true
			rules[[2]string{key, rule}] = true
		}
	}
	add(r.Source, "")
	for _, f := range r.Findings {
		s := f.Source
		if s == nil {
			s = r.Source
		}
		add(s, f.Rule)
	}
	run.Buckets, run.BucketsWithReplication, run.Rules = len(buckets), len(replicating), len(rules)
	return run
}
