package waiver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/hint"
	"github.com/replcheck/replcheck/internal/spell"
)

// fields are a waiver's fields, in the order the documentation lists them.
var fields = []string{"reason", "bucket", "destination", "rule", "account", "justification", "expires"}

// accountID matches a 12-digit AWS account ID.
var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// fixHint is the hint of every error in a waivers file.
const fixHint = "a waiver has reason, justification and expires (YYYY-MM-DD), and optionally bucket, destination, rule (globs) and account; see README.md, Waivers"

// Error is an invalid waivers file: the file, the path of the field
// (waivers[1].bucket), its line, and what is wrong.
type Error struct {
	File string
	Path string
	Line int
	Msg  string
}

// Error returns "FILE: PATH: MSG (line N)".
func (e *Error) Error() string {
	s := e.File + ": "
	if e.Path != "" {
		s += e.Path + ": "
	}
	s += e.Msg
	if e.Line > 0 {
		s += fmt.Sprintf(" (line %d)", e.Line)
	}
	return s
}

// Open reads the waivers file that applies: file when it is not "",
// otherwise DefaultFile in the working directory when it exists; nil when
// there is none. Errors carry their hints.
func Open(file string) (*File, error) {
	if file == "" {
		if _, err := os.Stat(DefaultFile); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		file = DefaultFile
	}
	data, err := os.ReadFile(file)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, hint.With(fmt.Errorf("cannot read waivers file %s: %w", file, err), "check the path given to --waivers")
	}
	f, err := Parse(file, data)
	if err != nil {
		return nil, hint.With(err, fixHint)
	}
	return f, nil
}

// Parse reads a waivers file's contents; file names it in errors, which
// are *Error values.
func Parse(file string, data []byte) (*File, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	out := &File{Path: file}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return out, nil // an empty file waives nothing
	}
	p := parser{file: file}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return out, nil
	}
	if err := p.mapping(root, ""); err != nil {
		return nil, err
	}
	for i := 0; i < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		if key.Value != "waivers" {
			return nil, p.unknown(key, "", []string{"waivers"})
		}
		list, err := p.waivers(val)
		if err != nil {
			return nil, err
		}
		out.Waivers = list
	}
	return out, nil
}

// parser walks a waivers file's YAML nodes.
type parser struct {
	file string
}

func (p parser) errorf(n *yaml.Node, path, format string, args ...any) *Error {
	return &Error{File: p.file, Path: path, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// mapping checks that n is a mapping without aliases or duplicate keys.
func (p parser) mapping(n *yaml.Node, path string) error {
	if n.Kind == yaml.AliasNode {
		return p.errorf(n, path, "YAML aliases are not supported: write the value out")
	}
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, path, "want a mapping of fields, got %s", kindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			return p.errorf(k, path, "a key must be a plain name")
		}
		if seen[k.Value] {
			return p.errorf(k, join(path, k.Value), "appears twice")
		}
		seen[k.Value] = true
	}
	return nil
}

// unknown is the error for a key that is none of known.
func (p parser) unknown(key *yaml.Node, path string, known []string) *Error {
	msg := "unknown field"
	if s := closest(key.Value, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return p.errorf(key, join(path, key.Value), "%s; the fields are %s", msg, strings.Join(known, ", "))
}

// waivers reads the list of waivers.
func (p parser) waivers(n *yaml.Node) ([]Waiver, error) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "waivers", "want a list of waivers, got %s", kindName(n))
	}
	out := make([]Waiver, 0, len(n.Content))
	for i, entry := range n.Content {
		w, err := p.waiver(entry, fmt.Sprintf("waivers[%d]", i))
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// waiver reads one waiver.
func (p parser) waiver(n *yaml.Node, path string) (Waiver, error) {
	var w Waiver
	if err := p.mapping(n, path); err != nil {
		return w, err
	}
	values := map[string]*yaml.Node{}
	for i := 0; i < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if !slices.Contains(fields, key.Value) {
			return w, p.unknown(key, path, fields)
		}
		if val.Kind != yaml.ScalarNode || val.Tag == "!!null" {
			return w, p.errorf(val, join(path, key.Value), "want a value, got %s", kindName(val))
		}
		if strings.TrimSpace(val.Value) == "" {
			return w, p.errorf(val, join(path, key.Value), "is empty; leave the field out to match anything")
		}
		values[key.Value] = val
	}
	for _, required := range []string{"reason", "justification", "expires"} {
		if values[required] == nil {
			return w, p.errorf(n, join(path, required), "is required")
		}
	}
	str := func(k string) string {
		if v := values[k]; v != nil {
			return v.Value
		}
		return ""
	}
	w = Waiver{Reason: str("reason"), Bucket: str("bucket"), Destination: str("destination"), Rule: str("rule"),
		Account: str("account"), Justification: strings.TrimSpace(str("justification"))}
	if w.Check = checks.Lookup(w.Reason); w.Check == nil {
		return w, p.badReason(values["reason"], join(path, "reason"))
	}
	if v := values["account"]; v != nil && !accountID.MatchString(w.Account) {
		return w, p.errorf(v, join(path, "account"), "%q is not a 12-digit AWS account ID (quote it to keep leading zeros)", w.Account)
	}
	exp, err := time.Parse(dateLayout, str("expires"))
	if err != nil {
		return w, p.errorf(values["expires"], join(path, "expires"), "%q is not a date in the form YYYY-MM-DD", str("expires"))
	}
	w.Expires = exp
	return w, nil
}

// badReason is the error for a reason that names no check.
func (p parser) badReason(n *yaml.Node, path string) *Error {
	msg := fmt.Sprintf("%q is not a failure reason replcheck checks", n.Value)
	var names []string
	for _, c := range checks.All {
		names = append(names, c.Names()...)
	}
	if s := closest(n.Value, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return p.errorf(n, path, "%s; 'replcheck explain' lists them", msg)
}

// closest is the name among names nearest to s, ignoring case, if it is
// near enough to be a typo.
func closest(s string, names []string) string {
	best, bestDist := "", len(s)/2+1
	for _, n := range names {
		if d := spell.Distance(strings.ToLower(s), strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// kindName names a node's kind in messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
