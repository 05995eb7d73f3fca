package report

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/replcheck/replcheck/checks"
)

// JUnit writes JUnit XML: one testsuite per rule and destination, one
// testcase per check. Failures and errors are exactly the findings that
// count toward the exit code under the report's --fail-on threshold: fail
// is a <failure>; unknown is an <error>, since the check could not run to a
// verdict (and the run exits 3); warn passes, with the warning in
// <system-out>, unless the threshold is warn, where it is a <failure>
// too; with threshold fail, unknown passes with its message in
// <system-out>. skip is <skipped>, and so is a waived finding, with its
// status and the waiver's justification, because it does not count either.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// Write writes r as JUnit XML.
func (JUnit) Write(w io.Writer, r *Report) error {
	doc := junitSuites{Name: "replcheck " + r.bucket(nil)}
	for _, g := range groups(r.Findings) {
		suite := junitSuite{Name: g.title()}
		for _, f := range g.Findings {
			c := junitCase{ClassName: className(r.subject(&f), g), Name: f.Reason}
			suite.add(&c, f, r.FailOn)
			suite.Cases = append(suite.Cases, c)
		}
		suite.Tests = len(suite.Cases)
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Errors += suite.Errors
		doc.Skipped += suite.Skipped
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// add fills in the test case of a finding under threshold t, and counts
// it.
func (s *junitSuite) add(c *junitCase, f Finding, t Threshold) {
	counts := f.Waived == nil && t.counts(f.Status)
	switch {
	case f.Waived != nil:
		c.Skipped = &junitProblem{Message: waivedMessage(f), Body: details(f)}
		s.Skipped++
	case f.Status == checks.StatusSkip:
		c.Skipped = &junitProblem{Message: f.Message}
		s.Skipped++
	case counts && f.Status == checks.StatusUnknown:
		c.Error = &junitProblem{Message: f.Message, Type: "unknown", Body: details(f)}
		s.Errors++
	case counts:
		c.Failure = &junitProblem{Message: f.Message, Type: string(f.Status), Body: details(f)}
		s.Failures++
	case Actionable(f.Status):
		c.SystemOut = strings.ToUpper(string(f.Status)) + ": " + f.Message + "\n" + details(f)
	default:
		c.SystemOut = f.Message
	}
}

// waivedMessage is a waived finding's status and message, and the
// waiver's justification and date.
func waivedMessage(f Finding) string {
	return "waived until " + f.Waived.Expires + " (" + f.Waived.Justification + "): " +
		strings.ToUpper(string(f.Status)) + ": " + f.Message
}

// className is "BUCKET.RULE", which CI report viewers group by.
func className(bucket string, g group) string {
	if g.Rule == "" {
		return bucket
	}
	return bucket + "." + g.Rule
}

// details is the evidence and fix, one per line.
func details(f Finding) string {
	var lines []string
	if f.Address != "" {
		lines = append(lines, "address: "+f.Address)
	}
	for _, e := range f.Evidence {
		lines = append(lines, "evidence: "+e)
	}
	if f.Remediation != "" {
		lines = append(lines, "fix: "+f.Remediation)
	}
	return strings.Join(lines, "\n")
}
