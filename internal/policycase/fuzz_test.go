package policycase

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes Parse or Evaluate panic, that every
// error says something, that a case error names a path, and that every
// outcome marshals. Its seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		cases, err := Parse(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("Parse(%q) returned an empty error", data)
			}
			return
		}
		for i, c := range cases {
			if c.Err != nil {
				if msg := c.Err.Error(); !strings.Contains(msg, ": ") || strings.HasPrefix(msg, ":") {
					t.Fatalf("case %d error %q is not \"<path>: <what>\"", i, msg)
				}
			}
			if _, err := json.Marshal(c.Evaluate()); err != nil {
				t.Fatalf("case %d output does not marshal: %v", i, err)
			}
		}
	})
}
