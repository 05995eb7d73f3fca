package policy

import (
	"strings"
)

// pattern is a compiled Resource, NotResource, or string or ARN condition
// value. Without policy variables it is a ready glob (see globMatch). With
// variables, the glob is assembled per request from parts.
type pattern struct {
	// glob is the escaped glob when the pattern has no variables.
	glob string
	// shape lets common globs skip the general matcher.
	shape globShape
	// parts is non-nil when the pattern has variables to resolve.
	parts []patternPart
}

// patternPart is a literal glob fragment, or a variable with an optional
// default.
type patternPart struct {
	glob       string // escaped glob fragment, when key is ""
	key        string // lower-cased context key of a variable
	def        string // default value
	hasDefault bool
}

// compilePattern compiles raw. Under Version 2012-10-17 (vars true) "${key}",
// "${key, 'default'}", "${*}", "${?}" and "${$}" are policy variables; under
// 2008-10-17 or no Version they are literal text.
func compilePattern(raw string, vars bool) pattern {
	if !vars || !strings.Contains(raw, "${") {
		return newPattern(escapeBackslashes(raw))
	}
	var parts []patternPart
	var lit strings.Builder
	rest := raw
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			break
		}
		end := strings.IndexByte(rest[i:], '}')
		if end < 0 {
			break
		}
		lit.WriteString(escapeBackslashes(rest[:i]))
		inner := rest[i+2 : i+end]
		rest = rest[i+end+1:]
		switch inner {
		case "*", "?":
			lit.WriteString(`\` + inner)
			continue
		case "$":
			lit.WriteString("$")
			continue
		}
		key, def, hasDefault := splitVariable(inner)
		if lit.Len() > 0 {
			parts = append(parts, patternPart{glob: lit.String()})
			lit.Reset()
		}
		parts = append(parts, patternPart{key: strings.ToLower(key), def: def, hasDefault: hasDefault})
	}
	lit.WriteString(escapeBackslashes(rest))
	if parts == nil {
		return newPattern(lit.String())
	}
	if lit.Len() > 0 {
		parts = append(parts, patternPart{glob: lit.String()})
	}
	return pattern{parts: parts}
}

// splitVariable splits "key, 'default'" into its key and default value.
func splitVariable(inner string) (key, def string, hasDefault bool) {
	comma := strings.IndexByte(inner, ',')
	if comma < 0 {
		return strings.TrimSpace(inner), "", false
	}
	key = strings.TrimSpace(inner[:comma])
	def = strings.TrimSpace(inner[comma+1:])
	if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
		def = def[1 : len(def)-1]
	}
	return key, def, true
}

// escapeBackslashes keeps literal backslashes literal in a glob.
func escapeBackslashes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.ReplaceAll(s, `\`, `\\`)
}

// escapeGlob makes a variable's value literal inside a glob: a '*' in a tag
// value is a character, not a wildcard.
func escapeGlob(s string) string {
	if !strings.ContainsAny(s, `*?\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '*' || c == '?' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// resolve returns the glob for this request. ok is false when a variable has
// no value and no default: such a pattern matches nothing, and a negated
// operator holding it matches.
func (p *pattern) resolve(ev *evaluation) (glob string, ok bool) {
	if p.parts == nil {
		return p.glob, true
	}
	var b strings.Builder
	for _, part := range p.parts {
		if part.key == "" {
			b.WriteString(part.glob)
			continue
		}
		v, found := ev.variable(part.key)
		switch {
		case found:
			b.WriteString(escapeGlob(v))
		case part.hasDefault:
			b.WriteString(escapeGlob(part.def))
		default:
			return "", false
		}
	}
	return b.String(), true
}

// matchesResolved matches s after resolving variables; a pattern whose
// variable has no value matches nothing.
func (p *pattern) matchesResolved(ev *evaluation, s string) bool {
	if p.parts == nil {
		return p.matches(s, false)
	}
	glob, ok := p.resolve(ev)
	return ok && globMatch(glob, s, false)
}

// unescape returns a glob's text with escapes removed, for exact
// comparisons (StringEquals) where wildcards have no meaning.
func unescape(glob string) string {
	if !strings.Contains(glob, `\`) {
		return glob
	}
	var b strings.Builder
	for i := 0; i < len(glob); i++ {
		if glob[i] == '\\' && i+1 < len(glob) {
			i++
		}
		b.WriteByte(glob[i])
	}
	return b.String()
}

// globShape classifies a glob so that the common cases skip the general
// matcher.
type globShape uint8

const (
	shapeGlob   globShape = iota // anything else
	shapeExact                   // no wildcard or escape
	shapePrefix                  // one trailing '*' and no other wildcard or escape
	shapeAny                     // "*"
)

// newPattern wraps a glob with no variables.
func newPattern(glob string) pattern {
	p := pattern{glob: glob}
	switch i := strings.IndexAny(glob, `*?\`); {
	case glob == "*":
		p.shape = shapeAny
	case i < 0:
		p.shape = shapeExact
	case i == len(glob)-1 && glob[i] == '*':
		p.shape = shapePrefix
	}
	return p
}

// matches reports whether s matches a pattern without variables.
func (p *pattern) matches(s string, fold bool) bool {
	switch p.shape {
	case shapeAny:
		return true
	case shapeExact:
		if fold {
			return strings.EqualFold(p.glob, s)
		}
		return p.glob == s
	case shapePrefix:
		n := len(p.glob) - 1
		if len(s) < n {
			return false
		}
		if fold {
			return strings.EqualFold(p.glob[:n], s[:n])
		}
		return p.glob[:n] == s[:n]
	}
	return globMatch(p.glob, s, fold)
}
