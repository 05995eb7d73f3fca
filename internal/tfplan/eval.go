package tfplan

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Value is an attribute's value as the apply will set it, or why it is
// not known yet.
type Value struct {
	// V is the value (decoded JSON: string, json.Number, bool, nil,
	// []any, map[string]any) when Known.
	V     any
	Known bool
	// Pending names what is known only after apply, e.g.
	// "aws_kms_key.replica.arn", when not Known.
	Pending string
	// Unfollowed, when set, says why the expression that sets the value
	// was not evaluated: it refers to a value of another kind, so it is
	// a function of that value, not that value ("refers to
	// aws_s3_bucket.x.arn, which holds a bucket ARN, not a bucket name
	// ...").
	Unfollowed string
}

// Str returns a known string value.
func (v Value) Str() (string, bool) {
	s, ok := v.V.(string)
	return s, v.Known && ok
}

func known(v any) Value { return Value{V: v, Known: true} }

func pending(what string) Value { return Value{Pending: what} }

// maxHops bounds how many references one resolution follows, and
// maxSteps the values one resolution may look at (references branch: an
// ARN needs a Region, an account, a path and a name).
const (
	maxHops  = 32
	maxSteps = 10000
)

// Get returns a resource instance's planned attribute at path (names
// select object members, ints list elements or nested blocks).
func (p *Plan) Get(r *Resource, path ...any) Value {
	p.steps = 0
	return p.get(r, path, 0)
}

func (p *Plan) get(r *Resource, path []any, hops int) Value {
	p.steps++
	v, ok := walk(r.After, path)
	if ok {
		if _, unknown := v.(Unknown); !unknown && !containsUnknown(v) {
			return known(v)
		}
	}
	what := r.Address + pathString(path)
	if hops > maxHops || p.steps > maxSteps {
		return pending(what)
	}
	if d, ok := p.derive(r, path, hops); ok {
		return d
	}
	if !ok && !isUnknownAt(r.After, path) {
		return known(nil) // not set
	}
	if r.Config == nil {
		return pending(what)
	}
	e, ok := r.Config.Body.Expr(path...)
	if !ok {
		return pending(what)
	}
	f, typed := fieldOf(r, path)
	var res Value
	if e.HasConstant {
		res = known(e.Constant)
	} else if ref, ok := e.Target(); ok {
		res = p.resolve(ref, r.Module, f.kind, hops+1)
	}
	if res.Known && typed {
		// Terraform converts an argument to the attribute's type; a
		// value it would not convert is not what the apply sets.
		if v, ok := convert(res.V, f.t); ok {
			return known(v)
		}
		return pending(what)
	}
	if res.Known || res.Pending != "" {
		return res
	}
	out := pending(what)
	out.Unfollowed = res.Unfollowed
	return out
}

// walk follows path in a value; ok is false when a step is missing.
func walk(v any, path []any) (any, bool) {
	for _, step := range path {
		switch s := step.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[s]; !ok {
				return nil, false
			}
		case int:
			a, ok := v.([]any)
			if !ok || s < 0 || s >= len(a) {
				return nil, false
			}
			v = a[s]
		}
	}
	return v, true
}

// isUnknownAt reports whether path runs into an Unknown marker.
func isUnknownAt(v any, path []any) bool {
	for _, step := range path {
		if _, ok := v.(Unknown); ok {
			return true
		}
		var ok bool
		if v, ok = walk(v, []any{step}); !ok {
			return false
		}
	}
	_, ok := v.(Unknown)
	return ok || containsUnknown(v)
}

func containsUnknown(v any) bool {
	switch x := v.(type) {
	case Unknown:
		return true
	case map[string]any:
		for _, e := range x {
			if containsUnknown(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if containsUnknown(e) {
				return true
			}
		}
	}
	return false
}

func pathString(path []any) string {
	var b strings.Builder
	for _, s := range path {
		switch x := s.(type) {
		case string:
			b.WriteString("." + x)
		case int:
			b.WriteString("[" + strconv.Itoa(x) + "]")
		}
	}
	return b.String()
}

// resolve evaluates a reference as written in module instance mod, for
// an argument that holds a value of kind want: a reference to a resource
// attribute of another kind is not followed (the expression can only be
// a function of it, such as trimprefix(aws_s3_bucket.x.arn, ...), and the
// plan does not say which), nor one to an attribute of no known kind.
func (p *Plan) resolve(ref, mod string, want refKind, hops int) Value {
	if hops > maxHops {
		return pending(qualify(mod, ref))
	}
	steps := splitRef(ref)
	switch {
	case len(steps) >= 2 && steps[0] == "var":
		return p.variable(mod, steps[1], steps[2:], want, hops)
	case len(steps) >= 3 && steps[0] == "module":
		child := qualify(mod, "module."+steps[1])
		return p.output(child, steps[2], steps[3:], want, hops)
	case len(steps) >= 3 && steps[0] == "data":
		return p.attribute(mod, "data."+steps[1]+"."+steps[2], steps[3:], want, hops)
	case len(steps) >= 2 && !strings.Contains(steps[0], "[") && strings.Contains(steps[0], "_"):
		return p.attribute(mod, steps[0]+"."+steps[1], steps[2:], want, hops)
	}
	return pending(qualify(mod, ref))
}

// attribute resolves an attribute of a resource instance in module mod;
// addr may end in an instance key.
func (p *Plan) attribute(mod, addr string, rest []string, want refKind, hops int) Value {
	if got := attrKind(addr, rest); want == "" || got != want {
		ref := qualify(mod, addr) + "." + strings.Join(rest, ".")
		what := "an attribute replcheck does not follow"
		if got != "" {
			what = "which holds " + string(got)
		}
		if want != "" {
			what += ", not " + string(want)
		}
		return Value{Unfollowed: "refers to " + ref + ", " + what + " (the plan does not say how the expression uses it)"}
	}
	r := p.Resource(qualify(mod, addr))
	if r == nil && !strings.HasSuffix(addr, "]") {
		// A single instance referred to without its key is the whole
		// collection; only an unkeyed instance can be followed.
		return pending(qualify(mod, addr) + "." + strings.Join(rest, "."))
	}
	if r == nil {
		return pending(qualify(mod, addr))
	}
	path := make([]any, 0, len(rest))
	for _, s := range rest {
		name, idx, hasIdx := strings.Cut(s, "[")
		path = append(path, name)
		if hasIdx {
			n, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			if err != nil {
				return pending(r.Address + "." + strings.Join(rest, "."))
			}
			path = append(path, n)
		}
	}
	if len(path) == 0 {
		return pending(r.Address)
	}
	return p.get(r, path, hops+1)
}

// variable resolves var.NAME in a module instance: the root module's
// values, or the module call's argument evaluated in the parent.
func (p *Plan) variable(mod, name string, rest []string, want refKind, hops int) Value {
	if len(rest) > 0 {
		return pending(qualify(mod, "var."+name+"."+strings.Join(rest, ".")))
	}
	if mod == "" {
		if v, ok := p.Variables[name]; ok {
			return known(v)
		}
		return pending("var." + name)
	}
	steps := splitAddress(mod)
	parent := strings.Join(steps[:len(steps)-1], ".")
	pm := p.Config.module(parent)
	if pm == nil {
		return pending(qualify(mod, "var."+name))
	}
	call := pm.Calls[callName(steps[len(steps)-1])]
	if call == nil {
		return pending(qualify(mod, "var."+name))
	}
	e, ok := call.Expressions[name]
	if !ok {
		if call.Module != nil {
			if d, ok := call.Module.Variables[name]; ok {
				return known(d)
			}
		}
		return pending(qualify(mod, "var."+name))
	}
	return p.expr(e, parent, qualify(mod, "var."+name), want, hops)
}

// output resolves module.NAME.OUTPUT for a child module instance.
func (p *Plan) output(child, name string, rest []string, want refKind, hops int) Value {
	m := p.Config.module(child)
	if m == nil || len(rest) > 0 {
		return pending(child + "." + name)
	}
	e, ok := m.Outputs[name]
	if !ok {
		return pending(child + "." + name)
	}
	return p.expr(e, child, child+"."+name, want, hops)
}

// expr evaluates an expression of module instance mod that gives a value
// of kind want.
func (p *Plan) expr(e Expr, mod, what string, want refKind, hops int) Value {
	if e.HasConstant {
		return known(e.Constant)
	}
	if ref, ok := e.Target(); ok {
		return p.resolve(ref, mod, want, hops+1)
	}
	return pending(what)
}

// attrKind is the kind of value an attribute of a resource or data
// source (addr without its module, rest its attribute path) holds.
func attrKind(addr string, rest []string) refKind {
	mode, typ := "managed", ""
	steps := splitRef(addr)
	if steps[0] == "data" && len(steps) > 1 {
		mode, steps = "data", steps[1:]
	}
	typ = steps[0]
	path := make([]any, 0, len(rest))
	for _, s := range rest {
		name, _, _ := strings.Cut(s, "[")
		path = append(path, name)
	}
	f, ok := lookupField(schemaOf(mode, typ), path)
	if !ok || f.t != tString {
		return ""
	}
	return f.kind
}

// qualify prefixes an address with a module instance.
func qualify(mod, addr string) string {
	if mod == "" {
		return addr
	}
	return mod + "." + addr
}

// splitRef splits a reference into its dotted steps, keeping keys with
// their names: aws_s3_bucket.b["x"].arn → aws_s3_bucket, b["x"], arn.
func splitRef(ref string) []string {
	var out []string
	for ref != "" {
		var seg string
		seg, ref = cutSegment(ref)
		out = append(out, seg)
	}
	return out
}

// Number converts a decoded JSON number to an int.
func Number(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n.String())
	return i, err == nil
}
