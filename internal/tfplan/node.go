package tfplan

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Error is an invalid plan: the JSON path of the field and what is wrong.
type Error struct {
	Path string
	Msg  string
}

// Error returns "PATH: MSG".
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// node is a decoded JSON value with its path, for errors that name it.
type node struct {
	v    any
	path string
}

func (n node) fail(format string, args ...any) error {
	return &Error{Path: n.path, Msg: fmt.Sprintf(format, args...)}
}

// key returns the member k of an object node (a nil node when absent).
func (n node) key(k string) node {
	m, _ := n.v.(map[string]any)
	p := k
	if n.path != "" {
		p = n.path + "." + k
	}
	return node{v: m[k], path: p}
}

func (n node) index(i int) node {
	a, _ := n.v.([]any)
	var v any
	if i < len(a) {
		v = a[i]
	}
	return node{v: v, path: n.path + "[" + strconv.Itoa(i) + "]"}
}

func (n node) present() bool { return n.v != nil }

// object returns the node as an object; absent is an empty object.
func (n node) object() (map[string]any, error) {
	switch v := n.v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return v, nil
	}
	return nil, n.fail("got %s, want an object", kind(n.v))
}

// array returns the node as an array; absent is empty.
func (n node) array() ([]node, error) {
	switch v := n.v.(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]node, len(v))
		for i := range v {
			out[i] = n.index(i)
		}
		return out, nil
	}
	return nil, n.fail("got %s, want an array", kind(n.v))
}

// str returns the node as a string; absent is "".
func (n node) str() (string, error) {
	switch v := n.v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	}
	return "", n.fail("got %s, want a string", kind(n.v))
}

// strings returns an array of strings.
func (n node) strings() ([]string, error) {
	items, err := n.array()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, it := range items {
		if out[i], err = it.str(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// members returns an object's members in sorted key order.
func (n node) members() ([]string, []node, error) {
	m, err := n.object()
	if err != nil {
		return nil, nil, err
	}
	keys := sortedKeys(m)
	nodes := make([]node, len(keys))
	for i, k := range keys {
		nodes[i] = n.key(k)
	}
	return keys, nodes, nil
}

// kind names a JSON value's type for messages.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}
