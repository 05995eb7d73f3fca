package policy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// ParseError reports an invalid policy document. Path is the JSON path of
// the bad field, such as "Statement[2].Condition.StringEquals", or "" for
// the document as a whole.
type ParseError struct {
	Path string
	Msg  string
}

// Error returns "path: msg", or msg alone for the whole document.
func (e *ParseError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Parse parses a policy document given as a JSON object, as a JSON string
// holding the document, or URL-encoded, as IAM's GetRolePolicy,
// GetPolicyVersion and GetRole return it. Errors are *ParseError.
func Parse(data []byte) (*Document, error) {
	return parse(data, 0)
}

func parse(data []byte, depth int) (*Document, error) {
	obj, err := unwrap(data, depth)
	if err != nil {
		return nil, err
	}
	v, err := decodeJSON(obj)
	if err != nil {
		return nil, err
	}
	return parseDocument(v)
}

// ObjectJSON returns the JSON object of a policy document given in any
// form Parse reads (a JSON object, a JSON string holding it, or
// URL-encoded), without parsing the document. Errors are *ParseError.
func ObjectJSON(data []byte) ([]byte, error) {
	return unwrap(data, 0)
}

// unwrap strips the string and URL encodings around a policy document's
// JSON object, at most two levels deep.
func unwrap(data []byte, depth int) ([]byte, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, &ParseError{Msg: "empty policy document"}
	}
	switch data[0] {
	case '{':
		return data, nil
	case '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return nil, &ParseError{Msg: "invalid JSON string: " + err.Error()}
		}
		if depth > 1 {
			return nil, &ParseError{Msg: "a policy document must be a JSON object"}
		}
		return unwrap([]byte(s), depth+1)
	case '%':
		s, err := url.PathUnescape(string(data))
		if err != nil {
			return nil, &ParseError{Msg: "invalid URL encoding: " + err.Error()}
		}
		if depth > 1 {
			return nil, &ParseError{Msg: "a policy document must be a JSON object"}
		}
		return unwrap([]byte(s), depth+1)
	}
	return nil, &ParseError{Msg: "a policy document must be a JSON object, a JSON string, or URL-encoded JSON"}
}

func parseDocument(v *jsonValue) (*Document, error) {
	doc := &Document{}
	for i, key := range v.keys {
		val := v.vals[i]
		switch key {
		case "Version":
			s, err := wantString(val, key)
			if err != nil {
				return nil, err
			}
			if s != Version2012 && s != Version2008 {
				return nil, &ParseError{Path: key, Msg: fmt.Sprintf("unknown version %q (want %q or %q)", s, Version2012, Version2008)}
			}
			doc.Version = s
		case "Id":
			s, err := wantString(val, key)
			if err != nil {
				return nil, err
			}
			doc.ID = s
		case "Statement":
		default:
			return nil, &ParseError{Path: key, Msg: "unknown element (want Version, Id or Statement)"}
		}
	}
	stmts := v.get("Statement")
	if stmts == nil {
		return nil, &ParseError{Path: "Statement", Msg: "required element is missing"}
	}
	vars := doc.Version == Version2012
	switch stmts.kind {
	case jsonObject:
		st, err := parseStatement(stmts, "Statement", vars)
		if err != nil {
			return nil, err
		}
		doc.Statements = []Statement{st}
	case jsonArray:
		doc.Statements = make([]Statement, 0, len(stmts.items))
		for i, item := range stmts.items {
			st, err := parseStatement(item, fmt.Sprintf("Statement[%d]", i), vars)
			if err != nil {
				return nil, err
			}
			doc.Statements = append(doc.Statements, st)
		}
	default:
		return nil, typeError("Statement", stmts, "an object or an array of objects")
	}
	return doc, nil
}

func parseStatement(v *jsonValue, path string, vars bool) (Statement, error) {
	var st Statement
	if v.kind != jsonObject {
		return st, typeError(path, v, "an object")
	}
	var err error
	for i, key := range v.keys {
		val, p := v.vals[i], joinPath(path, key)
		switch key {
		case "Sid":
			st.Sid, err = wantString(val, p)
		case "Effect":
			var s string
			if s, err = wantString(val, p); err == nil {
				switch s {
				case "Allow":
					st.Effect = Allow
				case "Deny":
					st.Effect = Deny
				default:
					err = &ParseError{Path: p, Msg: fmt.Sprintf("%q is not an effect (want \"Allow\" or \"Deny\"; effects are case-sensitive)", s)}
				}
			}
		case "Action", "NotAction":
			st.notAction = key == "NotAction"
			st.actions, err = parseActions(val, p)
		case "Resource", "NotResource":
			st.hasResource, st.notResource = true, key == "NotResource"
			st.resources, err = parseResources(val, p, vars)
		case "Principal", "NotPrincipal":
			st.notPrincipal = key == "NotPrincipal"
			st.principals, err = parsePrincipal(val, p)
		case "Condition":
			st.conditions, err = parseConditionBlock(val, p, vars)
		default:
			err = &ParseError{Path: p, Msg: "unknown element (want Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource or Condition)"}
		}
		if err != nil {
			return st, err
		}
	}
	switch {
	case st.Effect == 0:
		return st, &ParseError{Path: joinPath(path, "Effect"), Msg: "required element is missing"}
	case v.get("Action") != nil && v.get("NotAction") != nil:
		return st, &ParseError{Path: path, Msg: "a statement has either Action or NotAction, not both"}
	case v.get("Action") == nil && v.get("NotAction") == nil:
		return st, &ParseError{Path: joinPath(path, "Action"), Msg: "required element is missing (a statement needs Action or NotAction)"}
	case v.get("Resource") != nil && v.get("NotResource") != nil:
		return st, &ParseError{Path: path, Msg: "a statement has either Resource or NotResource, not both"}
	case v.get("Principal") != nil && v.get("NotPrincipal") != nil:
		return st, &ParseError{Path: path, Msg: "a statement has either Principal or NotPrincipal, not both"}
	}
	return st, nil
}

func parseActions(v *jsonValue, path string) ([]pattern, error) {
	list, err := stringList(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]pattern, len(list))
	for i, a := range list {
		if a != "*" && !strings.Contains(a, ":") {
			return nil, &ParseError{Path: listPath(v, path, i), Msg: fmt.Sprintf("%q is not an action (want service:Action or \"*\")", a)}
		}
		out[i] = newPattern(escapeBackslashes(a))
	}
	return out, nil
}

func parseResources(v *jsonValue, path string, vars bool) ([]pattern, error) {
	list, err := stringList(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]pattern, len(list))
	for i, r := range list {
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			return nil, &ParseError{Path: listPath(v, path, i), Msg: fmt.Sprintf("%q is not a resource (want an ARN or \"*\")", r)}
		}
		out[i] = compilePattern(r, vars)
	}
	return out, nil
}

func parsePrincipal(v *jsonValue, path string) (*principalSet, error) {
	ps := &principalSet{}
	switch v.kind {
	case jsonString:
		if v.text != "*" {
			return nil, &ParseError{Path: path, Msg: fmt.Sprintf("%q is not a principal (a string principal must be \"*\"; name others as {\"AWS\": ...} or {\"Service\": ...})", v.text)}
		}
		ps.everyone = true
		return ps, nil
	case jsonObject:
	default:
		return nil, typeError(path, v, `"*" or an object`)
	}
	for i, key := range v.keys {
		p := joinPath(path, key)
		list, err := stringList(v.vals[i], p)
		if err != nil {
			return nil, err
		}
		switch key {
		case "AWS":
			for _, a := range list {
				if a == "*" {
					ps.everyone = true
				}
			}
			ps.aws = list
		case "Service":
			ps.service = list
		case "Federated":
			ps.federated = list
		case "CanonicalUser":
			ps.canonical = list
		default:
			return nil, &ParseError{Path: p, Msg: "unknown principal type (want AWS, Service, Federated or CanonicalUser)"}
		}
	}
	return ps, nil
}

func parseConditionBlock(v *jsonValue, path string, vars bool) ([]condition, error) {
	if v.kind != jsonObject {
		return nil, typeError(path, v, "an object of operators")
	}
	var out []condition
	for i, opName := range v.keys {
		opPath := joinPath(path, opName)
		op, ok := parseOperator(opName)
		if !ok {
			return nil, &ParseError{Path: opPath, Msg: fmt.Sprintf("unknown condition operator %q", opName)}
		}
		keys := v.vals[i]
		if keys.kind != jsonObject {
			return nil, typeError(opPath, keys, "an object of condition keys")
		}
		for j, key := range keys.keys {
			cd, err := parseCondition(op, key, keys.vals[j], joinPath(opPath, key), vars)
			if err != nil {
				return nil, err
			}
			out = append(out, cd)
		}
	}
	return out, nil
}

func parseCondition(op operator, key string, v *jsonValue, path string, vars bool) (condition, error) {
	cd := condition{op: op, key: strings.ToLower(key)}
	var items []*jsonValue
	switch v.kind {
	case jsonString, jsonNumber, jsonBool:
		items = []*jsonValue{v}
	case jsonArray:
		items = v.items
	default:
		return cd, typeError(path, v, "a string, number, boolean or a list of them")
	}
	cd.values = make([]condValue, len(items))
	for i, item := range items {
		p := path
		if v.kind == jsonArray {
			p = fmt.Sprintf("%s[%d]", path, i)
		}
		if item.kind != jsonString && item.kind != jsonNumber && item.kind != jsonBool {
			return cd, typeError(p, item, "a string, number or boolean")
		}
		val, err := parseCondValue(op.family, item.text, p, vars)
		if err != nil {
			return cd, err
		}
		cd.values[i] = val
	}
	return cd, nil
}

// parseCondValue pre-parses one value for its operator family, so that a
// wrongly typed value is an error at parse time, not a silent non-match.
func parseCondValue(f opFamily, s, path string, vars bool) (condValue, error) {
	var cv condValue
	bad := func(want string) (condValue, error) {
		return cv, &ParseError{Path: path, Msg: fmt.Sprintf("%q is not %s", s, want)}
	}
	switch f {
	case opStringEquals, opStringEqualsIgnoreCase, opStringLike, opARNLike:
		cv.pat = compilePattern(s, vars && f.takesVariables())
		cv.lit = unescape(cv.pat.glob)
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return bad("a number")
		}
		cv.num = n
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(s)
		if !ok {
			return bad("a date (want ISO 8601, such as 2026-01-31T00:00:00Z, or epoch seconds)")
		}
		cv.when = t
	case opBool, opNull:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			cv.lit, cv.null = "true", true
		case "false":
			cv.lit = "false"
		default:
			return bad("a boolean (want true or false)")
		}
	case opBinaryEquals:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return bad("base64")
		}
		cv.bin = b
	case opIPAddress:
		p, err := parseCIDR(s)
		if err != nil {
			return bad("an IP address or CIDR block")
		}
		cv.ip = p
	}
	return cv, nil
}

// parseCIDR reads a CIDR block; a bare address is a /32 or /128. IPv4
// addresses written in IPv6-mapped form are read as IPv4.
func parseCIDR(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, err
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// stringList reads an element that is a string or an array of strings.
func stringList(v *jsonValue, path string) ([]string, error) {
	switch v.kind {
	case jsonString:
		return []string{v.text}, nil
	case jsonArray:
		out := make([]string, len(v.items))
		for i, item := range v.items {
			if item.kind != jsonString {
				return nil, typeError(fmt.Sprintf("%s[%d]", path, i), item, "a string")
			}
			out[i] = item.text
		}
		return out, nil
	}
	return nil, typeError(path, v, "a string or an array of strings")
}

// listPath names element i of a string-or-array element.
func listPath(v *jsonValue, path string, i int) string {
	if v.kind == jsonArray {
		return fmt.Sprintf("%s[%d]", path, i)
	}
	return path
}

func wantString(v *jsonValue, path string) (string, error) {
	if v.kind != jsonString {
		return "", typeError(path, v, "a string")
	}
	return v.text, nil
}

func typeError(path string, v *jsonValue, want string) error {
	return &ParseError{Path: path, Msg: fmt.Sprintf("got %s, want %s", v.kind, want)}
}
