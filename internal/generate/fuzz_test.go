package generate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// FuzzGenerate checks that whatever valid snapshot it is given (the
// facts read from AWS or a file), Generate, Verify and every format never
// panic, and that the policies they write are what Apply can put in
// place.
func FuzzGenerate(f *testing.F) {
	bases, _ := filepath.Glob("../../fixtures/base/*.json")
	for _, b := range bases {
		data, err := os.ReadFile(b)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := snapshot.Decode("fuzz.json", data)
		if err != nil {
			return
		}
		p, err := Generate(s, Options{Batch: s.Batch != nil})
		if err != nil {
			return // a bad policy document or no configuration
		}
		if _, err := Verify(s, p, checks.Options{Batch: s.Batch != nil}); err != nil {
			t.Fatalf("Verify of generated policies: %v", err)
		}
		for _, format := range Formats {
			var out bytes.Buffer
			if err := Write(&out, format, []*Policies{p}); err != nil || out.Len() == 0 {
				t.Fatalf("%s: %v", format, err)
			}
		}
	})
}
