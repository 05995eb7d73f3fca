package pipeline

import (
	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// address names where the source of facts declares what a finding is
// about: the address of its subject, else of the replication
// configuration; "" when the source has no addresses.
func address(o *snapshot.Origins, s checks.Subject) string {
	if o == nil {
		return ""
	}
	var a string
	switch s.Kind {
	case checks.SubjectBucket:
		a = o.Buckets[s.Name].Aspect(s.Part)
	case checks.SubjectRole:
		r := o.Roles[s.Name]
		if a = r.Policies[s.Part]; a == "" {
			a = r.Role
		}
	case checks.SubjectKey:
		a = o.Keys[s.Name]
	}
	if a == "" {
		a = o.Replication
	}
	return a
}

// locate fills a finding's address and the file and line that declare it.
func locate(f *report.Finding, o *snapshot.Origins) {
	f.Address = address(o, f.Subject)
	if o == nil || f.Address == "" {
		return
	}
	if loc, ok := o.Locations[f.Address]; ok {
		f.Location = &report.Location{File: loc.File, Line: loc.Line}
	}
}
