package policy

import "strings"

// DependsOn reports whether the decision of d for req may depend on what
// the text unknown stands for, where unknown stands in req.Resource, or in
// the request's context values, for a value not known yet (a bucket name
// known only after terraform apply). It is conservative: false only when
// every statement that may apply to req.Action has Resource and
// NotResource patterns that match every value in unknown's place (such as
// "*" or "arn:aws:s3:::*/*"), and no condition on a key whose value holds
// unknown. The decision for req, with unknown in place, is then the
// decision for every value.
func (d *Document) DependsOn(req *Request, unknown string) bool {
	if d == nil || unknown == "" {
		return false
	}
	ev := evaluation{req: req}
	inContext := false
	for _, vals := range req.Context.values {
		for _, v := range vals {
			inContext = inContext || strings.Contains(v, unknown)
		}
	}
	i := strings.Index(req.Resource, unknown)
	before, after := "", ""
	if i >= 0 {
		before, after = req.Resource[:i], req.Resource[i+len(unknown):]
	}
	for s := range d.Statements {
		st := &d.Statements[s]
		if !ev.actionMatches(st) {
			continue
		}
		if i >= 0 && st.hasResource {
			for p := range st.resources {
				if !st.resources[p].matchesAny(before, after) {
					return true
				}
			}
		}
		for c := range st.conditions {
			cd := &st.conditions[c]
			vals, _ := req.Context.lookup(cd.key)
			for _, v := range vals {
				if strings.Contains(v, unknown) {
					return true
				}
			}
			for _, v := range cd.values {
				if v.pat.parts != nil && inContext {
					return true // a variable may take the unknown value
				}
			}
		}
	}
	return false
}

// matchesAny reports whether a pattern matches before+x+after for every
// x: it has an unescaped '*' that, with its left side, matches before
// and, with its right side, matches after, so that it can take in x.
// Patterns with policy variables are taken to depend on x.
func (p *pattern) matchesAny(before, after string) bool {
	if p.parts != nil {
		return false
	}
	g := p.glob
	for i := 0; i < len(g); i++ {
		switch g[i] {
		case '\\':
			i++ // an escaped character is literal
		case '*':
			if globMatch(g[:i+1], before, false) && globMatch(g[i:], after, false) {
				return true
			}
		}
	}
	return false
}
