package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
// Real policies nest five levels deep (Statement, Condition, operator, key,
// values).
const maxDepth = 32

// jsonKind is the type of a JSON value.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

var jsonKindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

func (k jsonKind) String() string { return jsonKindNames[k] }

// jsonValue is a decoded JSON value that keeps object keys in document order.
// encoding/json's map decoding silently keeps the last of duplicate keys; IAM
// rejects them, and so do we.
type jsonValue struct {
	kind  jsonKind
	text  string // string contents, number literal, or "true"/"false"
	items []*jsonValue
	keys  []string
	vals  []*jsonValue
}

// get returns the member named key of an object, or nil.
func (v *jsonValue) get(key string) *jsonValue {
	for i, k := range v.keys {
		if k == key {
			return v.vals[i]
		}
	}
	return nil
}

// decodeJSON reads exactly one JSON value from data.
func decodeJSON(data []byte) (*jsonValue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec, "", 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &ParseError{Msg: "invalid JSON: unexpected data after the policy document"}
	}
	return v, nil
}

func readValue(dec *json.Decoder, path string, depth int) (*jsonValue, error) {
	if depth > maxDepth {
		return nil, &ParseError{Path: path, Msg: fmt.Sprintf("nested more than %d levels deep", maxDepth)}
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(path, err)
	}
	switch t := tok.(type) {
	case nil:
		return &jsonValue{kind: jsonNull}, nil
	case bool:
		if t {
			return &jsonValue{kind: jsonBool, text: "true"}, nil
		}
		return &jsonValue{kind: jsonBool, text: "false"}, nil
	case json.Number:
		return &jsonValue{kind: jsonNumber, text: t.String()}, nil
	case string:
		return &jsonValue{kind: jsonString, text: t}, nil
	case json.Delim:
		if t == '[' {
			return readArray(dec, path, depth)
		}
		return readObject(dec, path, depth)
	}
	return nil, &ParseError{Path: path, Msg: fmt.Sprintf("invalid JSON token %v", tok)}
}

func readArray(dec *json.Decoder, path string, depth int) (*jsonValue, error) {
	v := &jsonValue{kind: jsonArray}
	for dec.More() {
		item, err := readValue(dec, fmt.Sprintf("%s[%d]", path, len(v.items)), depth+1)
		if err != nil {
			return nil, err
		}
		v.items = append(v.items, item)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, syntaxError(path, err)
	}
	return v, nil
}

func readObject(dec *json.Decoder, path string, depth int) (*jsonValue, error) {
	v := &jsonValue{kind: jsonObject}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(path, err)
		}
		key, _ := tok.(string) // the decoder guarantees object keys are strings
		child := joinPath(path, key)
		if v.get(key) != nil {
			return nil, &ParseError{Path: child, Msg: "duplicate key (IAM rejects a policy that repeats a key)"}
		}
		val, err := readValue(dec, child, depth+1)
		if err != nil {
			return nil, err
		}
		v.keys = append(v.keys, key)
		v.vals = append(v.vals, val)
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, syntaxError(path, err)
	}
	return v, nil
}

func syntaxError(path string, err error) error {
	if errors.Is(err, io.EOF) {
		return &ParseError{Path: path, Msg: "invalid JSON: unexpected end of input"}
	}
	return &ParseError{Path: path, Msg: "invalid JSON: " + err.Error()}
}

// joinPath appends an object key to a JSON path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
