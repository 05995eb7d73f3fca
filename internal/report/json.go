package report

import (
	"bytes"
	"encoding/json"
	"io"
)

// JSON writes the canonical JSON document, schema version 1.
type JSON struct{}

// Document is the JSON output, schema version 1.
type Document struct {
	SchemaVersion int `json:"schemaVersion"`
	// Source is the report's one source bucket; null when findings name
	// their own.
	Source   *Source   `json:"source"`
	Findings []Finding `json:"findings"`
	Summary  Summary   `json:"summary"`
	// Audit is what an audit covered; absent for other commands.
	Audit *Audit `json:"audit,omitempty"`
	// Waivers lists the waivers that did not apply; absent when no
	// waivers file was read.
	Waivers *WaiverUse `json:"waivers,omitempty"`
}

// NewDocument builds the JSON document of r. Lists are never null: a
// finding without aliases or evidence has empty arrays.
func NewDocument(r *Report) Document {
	findings := make([]Finding, len(r.Findings))
	for i, f := range r.Findings {
		if f.Aliases == nil {
			f.Aliases = []string{}
		}
		if f.Evidence == nil {
			f.Evidence = []string{}
		}
		findings[i] = f
	}
	doc := Document{SchemaVersion: SchemaVersion, Source: r.Source, Findings: findings, Summary: Summarize(r.Findings), Audit: r.Audit}
	if r.Waivers != nil {
		doc.Waivers = &WaiverUse{Expired: nonNilInts(r.Waivers.Expired), Unused: nonNilInts(r.Waivers.Unused)}
	}
	return doc
}

// Write writes r as indented JSON.
func (JSON) Write(w io.Writer, r *Report) error {
	return WriteJSON(w, NewDocument(r))
}

// WriteJSON writes v as JSON indented by two spaces, without HTML
// escaping, as every JSON output of replcheck is written.
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}
