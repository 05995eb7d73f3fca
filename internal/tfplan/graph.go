package tfplan

import (
	"slices"
	"strings"
)

// configAddress is an instance's absolute configuration address, without
// instance keys: module.dr.aws_s3_bucket.this.
func configAddress(r *Resource) string {
	local := r.Type + "." + r.Name
	if r.Mode == "data" {
		local = "data." + local
	}
	return qualify(ConfigPath(r.Module), local)
}

// DependsOn returns the instances that r waits for in an apply, directly
// or transitively: its depends_on, its references (through variables and
// module outputs), and its module calls' depends_on. Dependencies through
// locals are not in the plan and are not followed.
func (p *Plan) DependsOn(r *Resource) []string {
	seen := map[string]bool{}
	queue := []string{configAddress(r)}
	for len(queue) > 0 {
		addr := queue[0]
		queue = queue[1:]
		for _, dep := range p.edges(addr) {
			if !seen[dep] {
				seen[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	var out []string
	for _, other := range p.Resources {
		if other != r && seen[configAddress(other)] {
			out = append(out, other.Address)
		}
	}
	return out
}

// edges returns the configuration addresses a resource block depends on
// directly.
func (p *Plan) edges(addr string) []string {
	mod, local := splitConfigAddress(addr)
	m := p.Config.module(mod)
	if m == nil {
		return nil
	}
	rc := m.Resources[local]
	if rc == nil {
		return nil
	}
	var out []string
	for _, d := range rc.DependsOn {
		out = append(out, p.targets(mod, d, 0)...)
	}
	for _, ref := range bodyReferences(rc.Body) {
		out = append(out, p.targets(mod, ref, 0)...)
	}
	// The module calls that contain the block, and their depends_on.
	steps := splitAddress(mod)
	for i := len(steps); i > 0; i-- {
		parent := strings.Join(steps[:i-1], ".")
		if pm := p.Config.module(parent); pm != nil {
			if call := pm.Calls[callName(steps[i-1])]; call != nil {
				for _, d := range call.DependsOn {
					out = append(out, p.targets(parent, d, 0)...)
				}
			}
		}
	}
	return out
}

// targets returns the resource blocks a reference in module mod (a
// configuration path) names.
func (p *Plan) targets(mod, ref string, hops int) []string {
	if hops > maxHops {
		return nil
	}
	steps := splitRef(ref)
	for i, s := range steps {
		if j := strings.IndexByte(s, '['); j >= 0 {
			steps[i] = s[:j]
		}
	}
	switch {
	case len(steps) >= 2 && steps[0] == "var":
		if mod == "" {
			return nil
		}
		ms := splitAddress(mod)
		parent := strings.Join(ms[:len(ms)-1], ".")
		pm := p.Config.module(parent)
		if pm == nil || pm.Calls[callName(ms[len(ms)-1])] == nil {
			return nil
		}
		var out []string
		for _, r := range pm.Calls[callName(ms[len(ms)-1])].Expressions[steps[1]].References {
			out = append(out, p.targets(parent, r, hops+1)...)
		}
		return out
	case len(steps) >= 2 && steps[0] == "module":
		child := qualify(mod, "module."+steps[1])
		cm := p.Config.module(child)
		if cm == nil {
			return nil
		}
		if len(steps) >= 3 {
			if out, ok := cm.Outputs[steps[2]]; ok {
				var res []string
				for _, r := range out.References {
					res = append(res, p.targets(child, r, hops+1)...)
				}
				return res
			}
		}
		return allResources(child, cm)
	case len(steps) >= 3 && steps[0] == "data":
		return []string{qualify(mod, "data."+steps[1]+"."+steps[2])}
	case len(steps) >= 2 && strings.Contains(steps[0], "_"):
		return []string{qualify(mod, steps[0]+"."+steps[1])}
	}
	return nil
}

// allResources lists every resource block of a module and its children.
func allResources(path string, m *Module) []string {
	var out []string
	for _, a := range sortedKeys(m.Resources) {
		out = append(out, qualify(path, a))
	}
	for _, name := range sortedKeys(m.Calls) {
		if c := m.Calls[name]; c.Module != nil {
			out = append(out, allResources(qualify(path, "module."+name), c.Module)...)
		}
	}
	return out
}

// bodyReferences lists every reference in a block body, nested blocks
// included.
func bodyReferences(b Body) []string {
	var out []string
	for _, k := range sortedKeys(b) {
		switch v := b[k].(type) {
		case Expr:
			out = append(out, v.References...)
		case []Body:
			for _, nb := range v {
				out = append(out, bodyReferences(nb)...)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// splitConfigAddress splits module.a.module.b.aws_x.y into module.a.module.b
// and aws_x.y.
func splitConfigAddress(addr string) (mod, local string) {
	steps := splitAddress(addr)
	if len(steps) == 0 {
		return "", ""
	}
	last := steps[len(steps)-1]
	if strings.HasPrefix(last, "module.") {
		return addr, ""
	}
	return strings.Join(steps[:len(steps)-1], "."), last
}
