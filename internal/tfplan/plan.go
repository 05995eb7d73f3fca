package tfplan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// Plan is a decoded plan.
type Plan struct {
	// FormatVersion is the plan format's version, 1.x.
	FormatVersion string
	// TerraformVersion is the version of Terraform (or OpenTofu) that
	// wrote it.
	TerraformVersion string
	// Variables are the root module's input variable values.
	Variables map[string]any
	// Resources are every resource instance of the planned state, data
	// sources included, and those the apply destroys, in address order.
	Resources []*Resource
	// Config is the root module's configuration; nil when the plan has
	// none.
	Config *Module
	// Providers are the provider configurations by key ("aws",
	// "aws.west", "module.dr:aws").
	Providers map[string]*Provider

	byAddress map[string]*Resource
	// steps counts the values the current resolution looked at.
	steps int
}

// Resource is one resource instance.
type Resource struct {
	// Address is the absolute address, e.g. module.dr.aws_s3_bucket.this
	// or aws_s3_bucket.logs["a"].
	Address string
	// Module is the module instance address ("" for the root module),
	// e.g. module.dr or module.dr["west"].
	Module string
	// Mode is "managed" or "data".
	Mode string
	Type string
	Name string
	// Index is the count or for_each key, or nil.
	Index any
	// Actions are the change's actions (create, update, delete, read,
	// no-op); nil when resource_changes does not list the instance.
	Actions []string
	// After is the planned value, with Unknown where the value is known
	// only after apply; nil when the apply destroys the instance.
	After any
	// Before is the value before the apply; nil when the apply creates
	// it.
	Before any
	// Config is the instance's configuration block, or nil.
	Config *ResourceConfig
}

// Unknown marks a value that will be known only after apply.
type Unknown struct{}

// Creates reports whether the apply creates the instance (replacing
// counts).
func (r *Resource) Creates() bool { return slices.Contains(r.Actions, "create") }

// Updates reports whether the apply updates the instance in place.
func (r *Resource) Updates() bool { return slices.Contains(r.Actions, "update") }

// Deletes reports whether the apply destroys the instance without
// replacing it.
func (r *Resource) Deletes() bool {
	return slices.Contains(r.Actions, "delete") && !slices.Contains(r.Actions, "create")
}

// Planned reports whether the instance exists after the apply.
func (r *Resource) Planned() bool { return !r.Deletes() && r.After != nil }

// Resource returns the instance at an absolute address, or nil.
func (p *Plan) Resource(address string) *Resource { return p.byAddress[address] }

// Decode parses a plan. Errors are *Error naming the JSON path.
func Decode(data []byte) (*Plan, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, syntaxError(data, err)
	}
	if dec.More() {
		return nil, &Error{Msg: "not JSON: more than one value, the second at " + position(data, dec.InputOffset())}
	}
	root := node{v: doc}
	if _, ok := doc.(map[string]any); !ok {
		return nil, root.fail("got %s, want a Terraform plan object (the output of 'terraform show -json PLANFILE')", kind(doc))
	}
	p := &Plan{Providers: map[string]*Provider{}, Variables: map[string]any{}, byAddress: map[string]*Resource{}}
	fv := root.key("format_version")
	var err error
	if p.FormatVersion, err = fv.str(); err != nil {
		return nil, err
	}
	switch {
	case p.FormatVersion == "":
		return nil, fv.fail("required: this is not the JSON of a Terraform plan (make it with 'terraform show -json PLANFILE')")
	case !strings.HasPrefix(p.FormatVersion, "1."):
		return nil, fv.fail("%q is not supported (replcheck reads plan format 1.x)", p.FormatVersion)
	}
	if !root.key("planned_values").present() && !root.key("resource_changes").present() {
		return nil, root.key("planned_values").fail("required: this looks like 'terraform show -json' of a state, not of a plan file")
	}
	if p.TerraformVersion, err = root.key("terraform_version").str(); err != nil {
		return nil, err
	}
	if err := p.decodeVariables(root.key("variables")); err != nil {
		return nil, err
	}
	if err := p.decodeConfig(root.key("configuration")); err != nil {
		return nil, err
	}
	if err := p.decodeChanges(root.key("resource_changes")); err != nil {
		return nil, err
	}
	// Instances without a change: data sources read while planning, and
	// anything else the prior state holds.
	if err := p.decodeState(root.key("prior_state").key("values").key("root_module"), false); err != nil {
		return nil, err
	}
	if err := p.decodeState(root.key("planned_values").key("root_module"), true); err != nil {
		return nil, err
	}
	slices.SortStableFunc(p.Resources, func(a, b *Resource) int { return strings.Compare(a.Address, b.Address) })
	return p, nil
}

func (p *Plan) decodeVariables(n node) error {
	names, vars, err := n.members()
	if err != nil {
		return err
	}
	for i, name := range names {
		if _, err := vars[i].object(); err != nil {
			return err
		}
		p.Variables[name] = vars[i].key("value").v
	}
	return nil
}

// decodeChanges reads resource_changes: the instances the plan knows
// changes (or no-ops) for.
func (p *Plan) decodeChanges(n node) error {
	items, err := n.array()
	if err != nil {
		return err
	}
	for _, it := range items {
		r, err := decodeInstance(it)
		if err != nil {
			return err
		}
		if r.Mode != "managed" && r.Mode != "data" {
			continue
		}
		ch := it.key("change")
		if _, err := ch.object(); err != nil {
			return err
		}
		if r.Actions, err = ch.key("actions").strings(); err != nil {
			return err
		}
		if err := checkValue(ch.key("before")); err != nil {
			return err
		}
		if err := checkValue(ch.key("after")); err != nil {
			return err
		}
		if err := checkValue(ch.key("after_unknown")); err != nil {
			return err
		}
		for _, k := range []string{"before", "after"} {
			if err := checkSchema(ch.key(k), schemaOf(r.Mode, r.Type)); err != nil {
				return err
			}
		}
		r.Before = ch.key("before").v
		r.After = withUnknowns(ch.key("after").v, ch.key("after_unknown").v)
		if prev := p.byAddress[r.Address]; prev != nil {
			return it.key("address").fail("%s is listed twice", r.Address)
		}
		p.add(r)
	}
	return nil
}

// decodeState reads a module tree of values (prior_state or
// planned_values) and adds the instances resource_changes did not list.
// Planned values only fill instances that have no value yet.
func (p *Plan) decodeState(n node, planned bool) error {
	if !n.present() {
		return nil
	}
	if _, err := n.object(); err != nil {
		return err
	}
	items, err := n.key("resources").array()
	if err != nil {
		return err
	}
	for _, it := range items {
		r, err := decodeInstance(it)
		if err != nil {
			return err
		}
		if err := checkValue(it.key("values")); err != nil {
			return err
		}
		if err := checkSchema(it.key("values"), schemaOf(r.Mode, r.Type)); err != nil {
			return err
		}
		if prev := p.byAddress[r.Address]; prev != nil {
			if prev.After == nil && planned && !prev.Deletes() {
				prev.After = it.key("values").v
			}
			continue
		}
		r.After = it.key("values").v
		if !planned {
			r.Before = r.After
		}
		p.add(r)
	}
	children, err := n.key("child_modules").array()
	if err != nil {
		return err
	}
	for _, c := range children {
		if err := p.decodeState(c, planned); err != nil {
			return err
		}
	}
	return nil
}

func (p *Plan) add(r *Resource) {
	r.Config = p.Config.lookup(r.Module, r.Mode, r.Type, r.Name)
	p.Resources = append(p.Resources, r)
	p.byAddress[r.Address] = r
}

// decodeInstance reads the fields every listing of an instance shares.
func decodeInstance(n node) (*Resource, error) {
	if _, err := n.object(); err != nil {
		return nil, err
	}
	r := &Resource{Index: n.key("index").v}
	fields := []struct {
		key string
		dst *string
	}{{"address", &r.Address}, {"mode", &r.Mode}, {"type", &r.Type}, {"name", &r.Name}, {"module_address", &r.Module}}
	for _, f := range fields {
		var err error
		if *f.dst, err = n.key(f.key).str(); err != nil {
			return nil, err
		}
	}
	if r.Address == "" {
		return nil, n.key("address").fail("required")
	}
	if r.Type == "" || r.Name == "" {
		return nil, n.key("type").fail("required: a resource has a type and a name")
	}
	if r.Module == "" {
		r.Module = moduleOf(r.Address)
	}
	return r, nil
}

// moduleOf returns the module instance part of a resource address.
func moduleOf(address string) string {
	parts := splitAddress(address)
	i := 0
	for i+1 < len(parts) && strings.HasPrefix(parts[i], "module.") {
		i++
	}
	return strings.Join(parts[:i], ".")
}

// splitAddress splits an address into module steps ("module.x[0]") and
// the rest: "module.a.module.b[\"k\"].aws_s3_bucket.x" gives
// ["module.a", "module.b[\"k\"]", "aws_s3_bucket.x"].
func splitAddress(address string) []string {
	var out []string
	rest := address
	for strings.HasPrefix(rest, "module.") {
		seg, tail := cutSegment(rest[len("module."):])
		out = append(out, "module."+seg)
		rest = tail
	}
	if rest != "" {
		out = append(out, rest)
	}
	return out
}

// cutSegment cuts one name with its optional [key] off s, and the dot
// after it.
func cutSegment(s string) (seg, rest string) {
	i := 0
	inQuote := false
	for i < len(s) {
		c := s[i]
		switch {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '.':
			return s[:i], s[i+1:]
		}
		i++
	}
	return s, ""
}

// checkValue makes sure a value tree nests no deeper than maxDepth.
func checkValue(n node) error { return checkDepth(n, 0) }

const maxDepth = 64

func checkDepth(n node, depth int) error {
	if depth > maxDepth {
		return n.fail("nested more than %d levels deep", maxDepth)
	}
	switch v := n.v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if err := checkDepth(n.key(k), depth+1); err != nil {
				return err
			}
		}
	case []any:
		for i := range v {
			if err := checkDepth(n.index(i), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// withUnknowns marks the values after_unknown flags in a planned value.
func withUnknowns(after, unknown any) any {
	switch u := unknown.(type) {
	case bool:
		if u {
			return Unknown{}
		}
	case map[string]any:
		m, _ := after.(map[string]any)
		if m == nil && after != nil {
			return after
		}
		out := make(map[string]any, len(m)+len(u))
		maps.Copy(out, m)
		for k, uv := range u {
			out[k] = withUnknowns(m[k], uv)
		}
		if len(out) == 0 && after == nil {
			return nil
		}
		return out
	case []any:
		a, _ := after.([]any)
		n := max(len(a), len(u))
		out := make([]any, n)
		for i := range n {
			var av, uv any
			if i < len(a) {
				av = a[i]
			}
			if i < len(u) {
				uv = u[i]
			}
			out[i] = withUnknowns(av, uv)
		}
		return out
	}
	return after
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// String renders a value for messages.
func (Unknown) String() string { return "(known after apply)" }

var _ fmt.Stringer = Unknown{}

// syntaxError is the error of a file that is not JSON, with the line and
// column where the parser stopped.
func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read, the offending one included.
		return &Error{Msg: "not JSON: " + se.Error() + " at " + position(data, max(se.Offset-1, 0))}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return &Error{Msg: "not JSON: the input ends early, at " + position(data, int64(len(data))) + " (is the file truncated?)"}
	}
	return &Error{Msg: "not JSON: " + err.Error()}
}

// position renders a byte offset as "line L, column C (byte N)"; columns
// count bytes from 1.
func position(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := offset - int64(bytes.LastIndexByte(before, '\n'))
	return fmt.Sprintf("line %d, column %d (byte %d)", line, col, offset)
}
