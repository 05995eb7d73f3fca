package checks

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// explainSection is one headed section of a check's documentation.
type explainSection struct{ head, body string }

// explainSections are the sections 'replcheck explain' prints and SARIF
// help carries, in order.
func (c *Check) explainSections() []explainSection {
	return []explainSection{
		{"What S3 does", c.Why},
		{"How replcheck predicts it", c.Predicts},
		{"How to fix it", c.Fix},
		{"AWS documentation", c.DocURL},
	}
}

// Explain writes the check's documentation as 'replcheck explain REASON'
// prints it: the reason and title, other spellings, scope, then each
// section wrapped at 76 columns.
func (c *Check) Explain(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s: %s\n", c.Reason, c.Title)
	if len(c.Aliases) > 0 {
		fmt.Fprintf(bw, "also reported as: %s\n", strings.Join(c.Aliases, ", "))
	}
	fmt.Fprintf(bw, "scope: %s\n", c.Scope)
	for _, sec := range c.explainSections() {
		fmt.Fprintf(bw, "\n%s:\n", sec.head)
		for _, line := range wrap(sec.body, 76) {
			fmt.Fprintf(bw, "  %s\n", line)
		}
	}
	if len(c.Requires) > 0 {
		fmt.Fprintf(bw, "\nSources are pages under %s (API/ pages under .../AmazonS3/latest/).\n", userGuide)
	}
	for _, sec := range c.requirementSections() {
		fmt.Fprintf(bw, "\n%s:\n", sec.head)
		for _, r := range sec.reqs {
			for i, line := range wrap(r.Action+" on "+r.On, 76) {
				indent := "    "
				if i == 0 {
					indent = "  - "
				}
				fmt.Fprintf(bw, "%s%s\n", indent, line)
			}
			for _, line := range wrap("source: "+r.Source, 74) {
				fmt.Fprintf(bw, "      %s\n", line)
			}
		}
	}
	if g := c.GeneratePolicies(); g != "" {
		fmt.Fprintf(bw, "\nGenerate the policies:\n")
		for _, line := range wrap(g, 76) {
			fmt.Fprintf(bw, "  %s\n", line)
		}
	}
	return bw.Flush()
}

// userGuide is where the sources of requirements are, unless they say
// otherwise.
const userGuide = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"

// requirementSection lists permissions under a heading.
type requirementSection struct {
	head string
	reqs []Requirement
}

// requirementSections are the permissions AWS documents and those
// replcheck only warns about, each section only when it has any.
func (c *Check) requirementSections() []requirementSection {
	var out []requirementSection
	for _, sec := range []requirementSection{
		{"Permissions AWS documents (a denial fails)", c.Documented()},
		{"Permissions replcheck only warns about (AWS does not document them, or its pages disagree)", c.WarnOnly()},
	} {
		if len(sec.reqs) > 0 {
			out = append(out, sec)
		}
	}
	return out
}

// ExplainText is Explain's output as a string.
func (c *Check) ExplainText() string {
	var b strings.Builder
	_ = c.Explain(&b) // a strings.Builder does not fail
	return b.String()
}

// ExplainMarkdown is the same documentation as Explain, in Markdown (for
// SARIF rule help, which code-scanning tools render).
func (c *Check) ExplainMarkdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**: %s\n", c.Reason, c.Title)
	if len(c.Aliases) > 0 {
		fmt.Fprintf(&b, "\nAlso reported as: `%s`\n", strings.Join(c.Aliases, "`, `"))
	}
	fmt.Fprintf(&b, "\nScope: %s\n", c.Scope)
	for _, sec := range c.explainSections() {
		body := sec.body
		if sec.head == "AWS documentation" && body != "" {
			body = "<" + body + ">"
		}
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", sec.head, body)
	}
	for _, sec := range c.requirementSections() {
		fmt.Fprintf(&b, "\n## %s\n\n", sec.head)
		for _, r := range sec.reqs {
			fmt.Fprintf(&b, "- `%s` on %s (source: %s)\n", r.Action, r.On, r.Source)
		}
	}
	if g := c.GeneratePolicies(); g != "" {
		fmt.Fprintf(&b, "\n## Generate the policies\n\n%s\n", g)
	}
	return b.String()
}

// wrap splits text into lines of at most width runes, at spaces; longer
// words stand alone.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
