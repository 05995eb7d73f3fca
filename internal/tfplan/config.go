package tfplan

import (
	"strings"
)

// Module is one module's configuration.
type Module struct {
	// Resources are the module's resource blocks by their address within
	// the module (aws_s3_bucket.this, data.aws_caller_identity.current).
	Resources map[string]*ResourceConfig
	// Calls are the module blocks by name.
	Calls map[string]*Call
	// Outputs are the output expressions by name.
	Outputs map[string]Expr
	// Variables are the declared variables' default values by name.
	Variables map[string]any
}

// Call is a module block.
type Call struct {
	// Source is the module's source as written ("./modules/bucket").
	Source string
	// Expressions are the call's arguments: the child's variables.
	Expressions map[string]Expr
	// DependsOn lists the call's depends_on.
	DependsOn []string
	Module    *Module
}

// ResourceConfig is a resource or data block.
type ResourceConfig struct {
	// Address is the block's address within its module.
	Address string
	// ProviderKey names its provider configuration in Plan.Providers.
	ProviderKey string
	// Body holds the block's arguments (Expr) and nested blocks
	// ([]Body), by name.
	Body Body
	// DependsOn lists depends_on, as written (relative to the module).
	DependsOn []string
}

// Body is a block's arguments and nested blocks: each value is an Expr
// or a []Body.
type Body map[string]any

// Expr is an expression as the plan records it: a constant, or the
// references that a non-constant expression makes.
type Expr struct {
	// Constant is the value of a constant expression; HasConstant says
	// whether there is one (it may be null).
	Constant    any
	HasConstant bool
	// References are the values the expression refers to, as written:
	// "aws_iam_role.replication.arn", "aws_iam_role.replication",
	// "var.name", "module.dr.arn", "module.dr".
	References []string
}

// Provider is a provider configuration.
type Provider struct {
	// Key is its key in the configuration ("aws", "aws.west",
	// "module.dr:aws").
	Key string
	// Name is the provider's local name ("aws"); Alias its alias.
	Name, Alias string
	// Module is the module (config path) that declares it, "" for root.
	Module string
	Body   Body
}

// Target returns the one value the expression refers to, if it refers to
// exactly one: the references that Terraform lists also name each
// reference's containing objects (aws_iam_role.replication for
// aws_iam_role.replication.arn), which are dropped. The plan records the
// same references for a function of the value (trimprefix(x.arn, ...)),
// so callers follow the target only to an attribute that holds the kind
// of value they need (Plan.resolve).
func (e Expr) Target() (string, bool) {
	var longest []string
	for _, r := range e.References {
		covered := false
		for _, o := range e.References {
			if o != r && (strings.HasPrefix(o, r+".") || strings.HasPrefix(o, r+"[")) {
				covered = true
			}
		}
		if !covered {
			longest = append(longest, r)
		}
	}
	if len(longest) != 1 {
		return "", false
	}
	return longest[0], true
}

func (p *Plan) decodeConfig(n node) error {
	if !n.present() {
		return nil
	}
	if _, err := n.object(); err != nil {
		return err
	}
	keys, provs, err := n.key("provider_config").members()
	if err != nil {
		return err
	}
	for i, k := range keys {
		pr := &Provider{Key: k}
		if _, err := provs[i].object(); err != nil {
			return err
		}
		if pr.Name, err = provs[i].key("name").str(); err != nil {
			return err
		}
		if pr.Alias, err = provs[i].key("alias").str(); err != nil {
			return err
		}
		if pr.Module, err = provs[i].key("module_address").str(); err != nil {
			return err
		}
		if pr.Body, err = decodeBody(provs[i].key("expressions"), 0); err != nil {
			return err
		}
		p.Providers[k] = pr
	}
	p.Config, err = decodeModule(n.key("root_module"), 0)
	return err
}

func decodeModule(n node, depth int) (*Module, error) {
	if depth > maxDepth {
		return nil, n.fail("modules nested more than %d levels deep", maxDepth)
	}
	if _, err := n.object(); err != nil {
		return nil, err
	}
	m := &Module{Resources: map[string]*ResourceConfig{}, Calls: map[string]*Call{}, Outputs: map[string]Expr{}, Variables: map[string]any{}}
	items, err := n.key("resources").array()
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if _, err := it.object(); err != nil {
			return nil, err
		}
		rc := &ResourceConfig{}
		if rc.Address, err = it.key("address").str(); err != nil {
			return nil, err
		}
		if rc.Address == "" {
			return nil, it.key("address").fail("required")
		}
		if rc.ProviderKey, err = it.key("provider_config_key").str(); err != nil {
			return nil, err
		}
		if rc.Body, err = decodeBody(it.key("expressions"), 0); err != nil {
			return nil, err
		}
		if rc.DependsOn, err = it.key("depends_on").strings(); err != nil {
			return nil, err
		}
		m.Resources[rc.Address] = rc
	}
	names, outs, err := n.key("outputs").members()
	if err != nil {
		return nil, err
	}
	for i, name := range names {
		if _, err := outs[i].object(); err != nil {
			return nil, err
		}
		if m.Outputs[name], err = decodeExpr(outs[i].key("expression")); err != nil {
			return nil, err
		}
	}
	names, vars, err := n.key("variables").members()
	if err != nil {
		return nil, err
	}
	for i, name := range names {
		if _, err := vars[i].object(); err != nil {
			return nil, err
		}
		m.Variables[name] = vars[i].key("default").v
	}
	names, calls, err := n.key("module_calls").members()
	if err != nil {
		return nil, err
	}
	for i, name := range names {
		c := calls[i]
		if _, err := c.object(); err != nil {
			return nil, err
		}
		call := &Call{Expressions: map[string]Expr{}}
		if call.Source, err = c.key("source").str(); err != nil {
			return nil, err
		}
		body, err := decodeBody(c.key("expressions"), 0)
		if err != nil {
			return nil, err
		}
		for k, v := range body {
			if e, ok := v.(Expr); ok {
				call.Expressions[k] = e
			}
		}
		if call.DependsOn, err = c.key("depends_on").strings(); err != nil {
			return nil, err
		}
		if call.Module, err = decodeModule(c.key("module"), depth+1); err != nil {
			return nil, err
		}
		m.Calls[name] = call
	}
	return m, nil
}

// decodeBody reads an "expressions" object: each member is an expression
// object, or an array of nested block bodies.
func decodeBody(n node, depth int) (Body, error) {
	if depth > maxDepth {
		return nil, n.fail("blocks nested more than %d levels deep", maxDepth)
	}
	keys, vals, err := n.members()
	if err != nil {
		return nil, err
	}
	b := Body{}
	for i, k := range keys {
		v := vals[i]
		if _, isArray := v.v.([]any); isArray {
			items, _ := v.array()
			blocks := make([]Body, len(items))
			for j, it := range items {
				if blocks[j], err = decodeBody(it, depth+1); err != nil {
					return nil, err
				}
			}
			b[k] = blocks
			continue
		}
		if b[k], err = decodeExpr(v); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func decodeExpr(n node) (Expr, error) {
	m, err := n.object()
	if err != nil {
		return Expr{}, err
	}
	e := Expr{}
	if c, ok := m["constant_value"]; ok {
		e.Constant, e.HasConstant = c, true
	}
	if e.References, err = n.key("references").strings(); err != nil {
		return Expr{}, err
	}
	return e, nil
}

// module returns the configuration of a module instance path
// (module.a["x"].module.b), or nil.
func (m *Module) module(instance string) *Module {
	for _, step := range splitAddress(instance) {
		if m == nil {
			return nil
		}
		name := callName(step)
		c := m.Calls[name]
		if c == nil {
			return nil
		}
		m = c.Module
	}
	return m
}

// callName is a module step's call name: module.b["k"] → b.
func callName(step string) string {
	name := strings.TrimPrefix(step, "module.")
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return name
}

// lookup finds an instance's resource block.
func (m *Module) lookup(instance, mode, typ, name string) *ResourceConfig {
	mod := m.module(instance)
	if mod == nil {
		return nil
	}
	addr := typ + "." + name
	if mode == "data" {
		addr = "data." + addr
	}
	return mod.Resources[addr]
}

// ConfigPath is a module instance's configuration path, without instance
// keys: module.a["x"].module.b → module.a.module.b.
func ConfigPath(instance string) string {
	steps := splitAddress(instance)
	for i, s := range steps {
		steps[i] = "module." + callName(s)
	}
	return strings.Join(steps, ".")
}

// Expr returns the expression at a path of a block body: names select
// arguments and nested blocks, ints select a nested block by index.
func (b Body) Expr(path ...any) (Expr, bool) {
	var cur any = b
	for _, step := range path {
		switch s := step.(type) {
		case string:
			body, ok := cur.(Body)
			if !ok {
				return Expr{}, false
			}
			cur = body[s]
		case int:
			blocks, ok := cur.([]Body)
			if !ok || s < 0 || s >= len(blocks) {
				return Expr{}, false
			}
			cur = blocks[s]
		}
	}
	e, ok := cur.(Expr)
	return e, ok
}

// Has reports whether the body sets an argument or nested block.
func (b Body) Has(name string) bool {
	_, ok := b[name]
	return ok
}
