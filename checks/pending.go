package checks

import (
	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

// pendingIn returns the identifiers not known yet (snapshot.Pending) that
// a question's resource and context hold.
func pendingIn(q Question) []string {
	var out []string
	add := func(s string) {
		if p := snapshot.PendingIn(s); p != "" {
			for _, o := range out {
				if o == p {
					return
				}
			}
			out = append(out, p)
		}
	}
	add(q.Resource)
	for _, vals := range q.Context {
		for _, v := range vals {
			add(v)
		}
	}
	return out
}

// guardPending widens, to the best and worst cases, every known policy
// whose decision for req may depend on an identifier not known yet: the
// stand-in's text is no name the policy could grant on or deny, so its
// decision would be a guess. Policies that decide the same for every name
// (a grant on "*") keep deciding. It returns the first identity, boundary
// or resource policy it widened, to name as the cause, or nil.
func guardPending(q Question, req *policy.Request, best, worst *policy.Input, names *layerNames, missing *[]string) (first *PolicyFact) {
	pending := pendingIn(q)
	if len(pending) == 0 {
		return nil
	}
	note := func(p *PolicyFact) {
		if first == nil {
			first = p
		}
	}
	depends := func(d *policy.Document, name string) bool {
		if d == nil || d == allowAll || d == denyAll {
			return false
		}
		for _, p := range pending {
			if d.DependsOn(req, p) {
				// Read after "could not read": the value, then who needs it.
				*missing = append(*missing, p+", on which "+name+" depends")
				return true
			}
		}
		return false
	}
	for i := range best.Identity {
		if i < len(worst.Identity) && best.Identity[i] == worst.Identity[i] && depends(best.Identity[i], nameAt(names.identity, i, "identity policy")) {
			best.Identity[i], worst.Identity[i] = allowAll, denyAll
			if i < len(q.Role.Identity) {
				note(&q.Role.Identity[i])
			}
		}
	}
	if best.Boundary == worst.Boundary && depends(best.Boundary, names.boundary) {
		best.Boundary, worst.Boundary = allowAll, denyAll
		note(&q.Role.Boundary)
	}
	if best.Resource == worst.Resource && depends(best.Resource, names.resource) {
		best.Resource, worst.Resource = allowAll, denyAll
		note(q.ResourcePolicy)
	}
	best.SCPs, worst.SCPs = guardLevels(best.SCPs, worst.SCPs, names.scps, "service control policy", depends)
	best.RCPs, worst.RCPs = guardLevels(best.RCPs, worst.RCPs, names.rcps, "resource control policy", depends)
	return first
}

// guardLevels widens the organization policies that depend on a pending
// identifier, copying the levels it changes.
func guardLevels(best, worst [][]*policy.Document, names [][]string, what string, depends func(*policy.Document, string) bool) ([][]*policy.Document, [][]*policy.Document) {
	if len(best) != len(worst) {
		return best, worst
	}
	var b, w [][]*policy.Document
	for i := range best {
		if len(best[i]) != len(worst[i]) {
			continue
		}
		for j := range best[i] {
			if best[i][j] != worst[i][j] {
				continue
			}
			name := what
			if i < len(names) {
				name = nameAt(names[i], j, what)
			}
			if !depends(best[i][j], name) {
				continue
			}
			if b == nil {
				b, w = copyLevels(best), copyLevels(worst)
			}
			b[i][j], w[i][j] = allowAll, denyAll
		}
	}
	if b == nil {
		return best, worst
	}
	return b, w
}

func copyLevels(l [][]*policy.Document) [][]*policy.Document {
	out := make([][]*policy.Document, len(l))
	for i := range l {
		out[i] = append([]*policy.Document(nil), l[i]...)
	}
	return out
}

func nameAt(names []string, i int, def string) string {
	if i < len(names) && names[i] != "" {
		return names[i]
	}
	return def
}
