package report

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/replcheck/replcheck/checks"
)

// JUnit writes JUnit XML: one testsuite per rule and destination, one
// testcase per check. fail is a <failure>; unknown is an <error>, since
// the check could not run to a verdict (and the run exits 3); skip is
// <skipped>; warn passes, with the warning in <system-out>, because a
// warning does not fail the run either.
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
			switch f.Status {
			case checks.StatusFail:
				c.Failure = &junitProblem{Message: f.Message, Type: "fail", Body: details(f)}
				suite.Failures++
			case checks.StatusUnknown:
				c.Error = &junitProblem{Message: f.Message, Type: "unknown", Body: details(f)}
				suite.Errors++
			case checks.StatusSkip:
				c.Skipped = &junitProblem{Message: f.Message}
				suite.Skipped++
			case checks.StatusWarn:
				c.SystemOut = "WARN: " + f.Message + "\n" + details(f)
			default:
				c.SystemOut = f.Message
			}
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
