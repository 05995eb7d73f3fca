package report

import (
	"fmt"
	"io"
	"strings"
)

// Reporter writes a report in one format.
type Reporter interface {
	Write(w io.Writer, r *Report) error
}

// Options are the reporters' display choices. They change how a report
// looks, never which findings it holds.
type Options struct {
	// Color turns on ANSI colours in text output.
	Color bool
	// Quiet makes text output list only fail, warn and unknown findings
	// (and the summary).
	Quiet bool
}

// format is one output format: its name and its reporter.
type format struct {
	name string
	new  func(Options) Reporter
}

// formats lists every output format, in the order help lists them. Formats
// and New both come from it; a new format is one line here.
var formats = []format{
	{"text", func(o Options) Reporter { return Text{Color: o.Color, Quiet: o.Quiet} }},
	{"json", func(Options) Reporter { return JSON{} }},
	{"sarif", func(Options) Reporter { return SARIF{} }},
	{"junit", func(Options) Reporter { return JUnit{} }},
	{"html", func(Options) Reporter { return HTML{} }},
}

// Formats are the names New accepts, in the order help lists them.
var Formats = formatNames()

func formatNames() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// New returns the reporter for format, with the display options opt.
func New(format string, opt Options) (Reporter, error) {
	for _, f := range formats {
		if f.name == format {
			return f.new(opt), nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}
