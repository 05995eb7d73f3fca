// Package strictjson decodes JSON into Go values strictly: unknown fields,
// wrong types and duplicate keys are errors that name the JSON path of the
// offending field, such as `destinations[0].versioning.state`, so that a user
// can fix a snapshot or configuration file without guessing.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Error is a decoding error at a JSON path ("" for the whole document).
type Error struct {
	Path string
	Msg  string
}

// Error returns "path: msg", or msg alone at the document root.
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// ObjectChecker is implemented by types whose JSON object needs a check
// beyond field names and types (for example, that an "unknown" fact carries
// an error). CheckObject is called on the zero value with the decoded object.
// An *Error it returns names a path relative to the object.
type ObjectChecker interface {
	CheckObject(obj map[string]any) error
}

var checkerType = reflect.TypeFor[ObjectChecker]()

// maxDepth bounds nesting to keep hostile input from exhausting the stack.
const maxDepth = 64

// Unmarshal validates data against v's type, then decodes it into v.
func Unmarshal(data []byte, v any) error {
	tree, err := decodeTree(data)
	if err != nil {
		return err
	}
	if err := walk(tree, reflect.TypeOf(v).Elem(), "", 0); err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &Error{Path: te.Field, Msg: fmt.Sprintf("got %s, want %s", te.Value, te.Type)}
		}
		return &Error{Msg: err.Error()}
	}
	return nil
}

// decodeTree decodes data generically, rejecting duplicate keys and trailing
// data, and reporting syntax errors with their line and column.
func decodeTree(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec, data, "", 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &Error{Msg: "invalid JSON: unexpected data after the document"}
	}
	return v, nil
}

func readValue(dec *json.Decoder, data []byte, path string, depth int) (any, error) {
	if depth > maxDepth {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("nested more than %d levels deep", maxDepth)}
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(data, path, err)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if d == '[' {
		var items []any
		for dec.More() {
			item, err := readValue(dec, data, fmt.Sprintf("%s[%d]", path, len(items)), depth+1)
			if err != nil {
				return nil, err
			}
			items = append(items, item)
		}
		if _, err := dec.Token(); err != nil {
			return nil, syntaxError(data, path, err)
		}
		if items == nil {
			items = []any{}
		}
		return items, nil
	}
	obj := map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(data, path, err)
		}
		key, _ := tok.(string)
		child := Join(path, key)
		if _, dup := obj[key]; dup {
			return nil, &Error{Path: child, Msg: "duplicate key"}
		}
		val, err := readValue(dec, data, child, depth+1)
		if err != nil {
			return nil, err
		}
		obj[key] = val
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(data, path, err)
	}
	return obj, nil
}

func syntaxError(data []byte, path string, err error) error {
	if errors.Is(err, io.EOF) {
		return &Error{Path: path, Msg: "invalid JSON: unexpected end of input"}
	}
	// The streaming decoder's offsets are relative to the value it was
	// reading; a whole-document scan reports the absolute offset, which
	// counts the offending byte.
	var v any
	var se *json.SyntaxError
	if errors.As(json.Unmarshal(data, &v), &se) {
		err = se
	}
	pos := 0
	if errors.As(err, &se) && se.Offset > 0 {
		pos = min(int(se.Offset)-1, len(data))
	}
	line := 1 + bytes.Count(data[:pos], []byte("\n"))
	col := pos - bytes.LastIndexByte(data[:pos], '\n')
	return &Error{Path: path, Msg: fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(err.Error(), "json: "))}
}

// Join appends an object key to a JSON path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// walk checks a decoded value against type t.
func walk(v any, t reflect.Type, path string, depth int) error {
	if depth > maxDepth {
		return &Error{Path: path, Msg: "nested too deeply"}
	}
	if t == rawMessageType || t.Kind() == reflect.Interface {
		return nil
	}
	if v == nil {
		return nil // null leaves the zero value, as encoding/json does
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return kindError(path, v, "an object")
		}
		if err := walkStruct(obj, t, path, depth); err != nil {
			return err
		}
		if t.Implements(checkerType) {
			if err := reflect.Zero(t).Interface().(ObjectChecker).CheckObject(obj); err != nil {
				if e, ok := err.(*Error); ok {
					return &Error{Path: Join(path, e.Path), Msg: e.Msg}
				}
				return &Error{Path: path, Msg: err.Error()}
			}
		}
		return nil
	case reflect.Slice:
		items, ok := v.([]any)
		if !ok {
			return kindError(path, v, "an array")
		}
		for i, item := range items {
			if err := walk(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return kindError(path, v, "an object")
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if err := walk(obj[k], t.Elem(), Join(path, k), depth+1); err != nil {
				return err
			}
		}
		return nil
	case reflect.String:
		if _, ok := v.(string); !ok {
			return kindError(path, v, "a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return kindError(path, v, "true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := v.(json.Number)
		if !ok {
			return kindError(path, v, "an integer")
		}
		if _, err := n.Int64(); err != nil {
			return &Error{Path: path, Msg: fmt.Sprintf("%s is not an integer", n)}
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			return kindError(path, v, "a number")
		}
	}
	return nil
}

func walkStruct(obj map[string]any, t reflect.Type, path string, depth int) error {
	fields := map[string]reflect.StructField{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f
		names = append(names, name)
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		item := obj[k]
		f, ok := fields[k]
		if !ok {
			return &Error{Path: Join(path, k), Msg: fmt.Sprintf("unknown field (want one of %s)", strings.Join(names, ", "))}
		}
		if err := walk(item, f.Type, Join(path, k), depth+1); err != nil {
			return err
		}
	}
	return nil
}

func kindError(path string, v any, want string) error {
	got := "null"
	switch v.(type) {
	case string:
		got = "a string"
	case bool:
		got = "a boolean"
	case json.Number:
		got = "a number"
	case []any:
		got = "an array"
	case map[string]any:
		got = "an object"
	}
	return &Error{Path: path, Msg: fmt.Sprintf("got %s, want %s", got, want)}
}
