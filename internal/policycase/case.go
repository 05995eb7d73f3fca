package policycase

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/replcheck/replcheck/internal/spell"
	"github.com/replcheck/replcheck/policy"
)

// caseFields and requestFields are the keys a case and its request may have.
var (
	caseFields    = []string{"id", "request", "identityPolicies", "resourcePolicy", "permissionsBoundary", "sessionPolicy", "scps", "rcps"}
	requestFields = []string{"principal", "principalAccount", "action", "resource", "resourceAccount", "context"}
)

// parseCase decodes the case at index in the input; a malformed case is
// returned with Err set.
func parseCase(raw json.RawMessage, index int) Case {
	var c Case
	c.Err = c.decode(raw, index)
	return c
}

// NotACaseError is the error of an element of the input that is not a
// case object at all. Its path is the case's own: case[INDEX].
type NotACaseError struct {
	Index int
	Err   error
}

// Error is "case[INDEX]: what".
func (e *NotACaseError) Error() string { return fmt.Sprintf("case[%d]: %v", e.Index, e.Err) }

// Unwrap returns what is wrong.
func (e *NotACaseError) Unwrap() error { return e.Err }

// decode fills c from raw, the case at index, and returns the first error.
func (c *Case) decode(raw json.RawMessage, index int) error {
	fields, err := object(raw)
	if err != nil {
		return &NotACaseError{Index: index, Err: err}
	}
	if id, ok := fields["id"]; ok {
		if c.ID, err = str(id); err != nil {
			return fmt.Errorf("id: %w", err)
		}
	}
	if err := checkFields(fields, caseFields, ""); err != nil {
		return err
	}
	if c.Request, err = parseRequest(fields["request"]); err != nil {
		return err
	}
	in := &c.Input
	if in.Identity, err = parsePolicies(fields["identityPolicies"], "identityPolicies", policy.KindIdentity); err != nil {
		return err
	}
	singles := []struct {
		field string
		kind  policy.Kind
		dst   **policy.Document
	}{
		{"resourcePolicy", policy.KindResource, &in.Resource},
		{"permissionsBoundary", policy.KindBoundary, &in.Boundary},
		{"sessionPolicy", policy.KindSession, &in.Session},
	}
	for _, s := range singles {
		if raw := fields[s.field]; !isNull(raw) {
			if *s.dst, err = parsePolicy(raw, s.field, s.kind); err != nil {
				return err
			}
		}
	}
	if in.SCPs, err = parseLevels(fields["scps"], "scps", policy.KindSCP); err != nil {
		return err
	}
	in.RCPs, err = parseLevels(fields["rcps"], "rcps", policy.KindRCP)
	return err
}

// parseRequest decodes the "request" member of a case.
func parseRequest(raw json.RawMessage) (policy.Request, error) {
	var req policy.Request
	if isNull(raw) {
		return req, errors.New("request: required field is missing")
	}
	fields, err := object(raw)
	if err != nil {
		return req, fmt.Errorf("request: %w", err)
	}
	if err := checkFields(fields, requestFields, "request"); err != nil {
		return req, err
	}
	strs := []struct {
		field    string
		dst      *string
		required bool
	}{
		{"principal", &req.Principal, true},
		{"principalAccount", &req.PrincipalAccount, false},
		{"action", &req.Action, true},
		{"resource", &req.Resource, true},
		{"resourceAccount", &req.ResourceAccount, false},
	}
	for _, s := range strs {
		v, ok := fields[s.field]
		if !ok {
			if s.required {
				return req, fmt.Errorf("request.%s: required field is missing", s.field)
			}
			continue
		}
		if *s.dst, err = str(v); err != nil {
			return req, fmt.Errorf("request.%s: %w", s.field, err)
		}
		if s.required && *s.dst == "" {
			return req, fmt.Errorf("request.%s: required field is empty", s.field)
		}
	}
	req.Context, err = parseContext(fields["context"])
	return req, err
}

// parseContext decodes request.context: each key maps to a string, boolean,
// number, or a list of those, and every value becomes a string.
func parseContext(raw json.RawMessage) (policy.Context, error) {
	if isNull(raw) {
		return policy.NewContext(nil), nil
	}
	fields, err := object(raw)
	if err != nil {
		return policy.Context{}, fmt.Errorf("request.context: %w", err)
	}
	values := make(map[string][]string, len(fields))
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		path := member("request.context", key)
		v := fields[key]
		if kindOf(v) != "array" {
			s, err := scalar(v)
			if err != nil {
				return policy.Context{}, fmt.Errorf("%s: want a string, boolean, number or a list of them, got %s", path, kindOf(v))
			}
			values[key] = []string{s}
			continue
		}
		elems, err := array(v, "values")
		if err != nil {
			return policy.Context{}, fmt.Errorf("%s: %w", path, err)
		}
		list := make([]string, len(elems))
		for i, e := range elems {
			if list[i], err = scalar(e); err != nil {
				return policy.Context{}, fmt.Errorf("%s[%d]: %w", path, i, err)
			}
		}
		values[key] = list
	}
	return policy.NewContext(values), nil
}

// checkFields rejects a key that looks like a misspelling of a known one
// ("identityPolicy", "SCPs"), so that a typo cannot silently drop a policy.
// Other keys are annotations that test vectors carry ("expected",
// "description") and are ignored.
func checkFields(fields map[string]json.RawMessage, known []string, path string) error {
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		if slices.Contains(known, key) {
			continue
		}
		for _, k := range known {
			if nearMiss(key, k) {
				return fmt.Errorf("%s: unknown field; did you mean %q?", member(path, key), k)
			}
		}
	}
	return nil
}

// nearMiss reports whether key differs from want only in case or by a few
// edits (more edits are tolerated for longer names).
func nearMiss(key, want string) bool {
	a, b := strings.ToLower(key), strings.ToLower(want)
	limit := 1
	if len(b) >= 8 {
		limit = 3
	}
	return spell.Distance(a, b) <= limit
}

// member returns the path of key in the object at path: path.key for a
// plain name, path["key"] for any other key, such as "aws:SourceIp" or "".
func member(path, key string) string {
	plain := key != ""
	for i, r := range key {
		letter := r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		plain = plain && (letter || i > 0 && '0' <= r && r <= '9')
	}
	switch {
	case !plain:
		return fmt.Sprintf("%s[%q]", path, key)
	case path == "":
		return key
	}
	return path + "." + key
}
