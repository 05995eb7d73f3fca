package policycase

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/policy"
)

// parsePolicies decodes an array of policies, such as identityPolicies.
func parsePolicies(raw json.RawMessage, field string, kind policy.Kind) ([]*policy.Document, error) {
	elems, err := array(raw, "policies")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	docs := make([]*policy.Document, len(elems))
	for i, e := range elems {
		if docs[i], err = parsePolicy(e, fmt.Sprintf("%s[%d]", field, i), kind); err != nil {
			return nil, err
		}
	}
	return docs, nil
}

// parseLevels decodes scps or rcps: each element is one organization level,
// written as a single policy or as an array of the level's policies.
func parseLevels(raw json.RawMessage, field string, kind policy.Kind) ([][]*policy.Document, error) {
	elems, err := array(raw, "organization levels")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	levels := make([][]*policy.Document, len(elems))
	for i, e := range elems {
		path := fmt.Sprintf("%s[%d]", field, i)
		if kindOf(e) != "array" {
			doc, err := parsePolicy(e, path, kind)
			if err != nil {
				return nil, err
			}
			levels[i] = []*policy.Document{doc}
			continue
		}
		if levels[i], err = parsePolicies(e, path, kind); err != nil {
			return nil, err
		}
		if len(levels[i]) == 0 {
			return nil, fmt.Errorf("%s: an organization level needs at least one policy; remove the empty level", path)
		}
	}
	return levels, nil
}

// parsePolicy parses one policy document at path, which prefixes the path
// of any parse error. Only resource policies and RCPs may name principals.
func parsePolicy(raw json.RawMessage, path string, kind policy.Kind) (*policy.Document, error) {
	if k := kindOf(raw); k != "object" && k != "string" {
		return nil, fmt.Errorf("%s: want a policy document (a JSON object, or a string holding one), got %s", path, k)
	}
	doc, err := policy.Parse(raw)
	if err != nil {
		var pe *policy.ParseError
		if !errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		switch {
		case pe.Path == "":
		case strings.HasPrefix(pe.Path, "["):
			path += pe.Path
		default:
			path += "." + pe.Path
		}
		return nil, fmt.Errorf("%s: %s", path, pe.Msg)
	}
	if kind == policy.KindResource || kind == policy.KindRCP {
		return doc, nil
	}
	for i := range doc.Statements {
		if doc.Statements[i].HasPrincipal() {
			return nil, fmt.Errorf("%s.Statement[%d]: Principal and NotPrincipal are allowed only in a resource policy or an RCP", path, i)
		}
	}
	return doc, nil
}
