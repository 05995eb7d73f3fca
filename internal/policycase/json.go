package policycase

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// kindOf names the JSON type of raw from its first byte, or returns "" when
// raw is empty (a member that was absent).
func kindOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// isNull reports whether a member is absent or null.
func isNull(raw json.RawMessage) bool {
	k := kindOf(raw)
	return k == "" || k == "null"
}

// object decodes a JSON object into its members.
func object(raw json.RawMessage) (map[string]json.RawMessage, error) {
	if k := kindOf(raw); k != "object" {
		return nil, fmt.Errorf("want a JSON object, got %s", k)
	}
	var m map[string]json.RawMessage
	return m, json.Unmarshal(raw, &m)
}

// array decodes a JSON array of what (for the error) into its elements;
// absent and null give none.
func array(raw json.RawMessage, what string) ([]json.RawMessage, error) {
	if isNull(raw) {
		return nil, nil
	}
	if k := kindOf(raw); k != "array" {
		return nil, fmt.Errorf("want an array of %s, got %s", what, k)
	}
	var elems []json.RawMessage
	return elems, json.Unmarshal(raw, &elems)
}

// str decodes a JSON string.
func str(raw json.RawMessage) (string, error) {
	if k := kindOf(raw); k != "string" {
		return "", fmt.Errorf("want a string, got %s", k)
	}
	var s string
	return s, json.Unmarshal(raw, &s)
}

// scalar decodes a context value: a string, or a boolean or number, which
// become their JSON text ("true", "42").
func scalar(raw json.RawMessage) (string, error) {
	switch kindOf(raw) {
	case "string":
		return str(raw)
	case "boolean", "number":
		return string(bytes.TrimSpace(raw)), nil
	}
	return "", fmt.Errorf("want a string, boolean or number, got %s", kindOf(raw))
}
