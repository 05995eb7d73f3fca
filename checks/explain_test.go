package checks

import (
	"strings"
	"testing"
)

// TestExplainMarkdown checks that the Markdown documentation of every
// check carries the same sections, and text, as the plain one.
func TestExplainMarkdown(t *testing.T) {
	for _, c := range All {
		md := c.ExplainMarkdown()
		if !strings.HasPrefix(md, "**"+c.Reason+"**: "+c.Title+"\n") {
			t.Errorf("%s: Markdown starts %q", c.Reason, md[:min(len(md), 80)])
		}
		for _, sec := range c.explainSections() {
			if !strings.Contains(md, "\n## "+sec.head+"\n\n") || !strings.Contains(md, sec.body) {
				t.Errorf("%s: Markdown lacks the section %q or its text", c.Reason, sec.head)
			}
			if !strings.Contains(c.ExplainText(), "\n"+sec.head+":\n") {
				t.Errorf("%s: text lacks the section %q", c.Reason, sec.head)
			}
		}
		for _, a := range c.Aliases {
			if !strings.Contains(md, "`"+a+"`") {
				t.Errorf("%s: Markdown lacks the alias %s", c.Reason, a)
			}
		}
	}
}
