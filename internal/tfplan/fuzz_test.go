package tfplan

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds plans (the fixtures as seeds) to Decode and Build:
// neither may panic, and errors say something.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob("../../fixtures/plans/*/plan.json")
	seeds = append(seeds, "testdata/cycle.json", "testdata/untied.json")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "after": {"bucket": "b", "replication_configuration": [{"role": "arn:aws:iam::111111111111:role/r", "rules": [{}]}]}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("empty error for %q", data)
			}
			return
		}
		for _, s := range Build(p, nil) {
			_ = s.Validate() // may fail (the adapter reports it); must not panic
		}
		for _, r := range p.Resources {
			p.DependsOn(r)
		}
	})
}
