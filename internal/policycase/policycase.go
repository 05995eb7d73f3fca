// Package policycase reads the input of `replcheck policy eval`: one
// authorization case, or an array of them, each holding a request and the
// policies that decide it.
//
// Parse splits the input into cases and decodes each one on its own, so that
// a malformed case carries its own error (Case.Err, worded "<path>: <what>")
// while the other cases still evaluate. Only input that is not JSON at all, or
// whose top level is neither an object nor an array, fails as a whole.
package policycase

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/replcheck/replcheck/policy"
)

// Case is one decoded case of the input.
type Case struct {
	// ID is the case's "id", or "" when it has none.
	ID string
	// Input holds the case's policies.
	Input policy.Input
	// Request is the authorization question.
	Request policy.Request
	// Err is non-nil when the case is malformed; Input and Request are then
	// incomplete and must not be evaluated. Its text is "<path>: <what>",
	// where path names the offending field, for example
	// "identityPolicies[0].Statement[2].Effect: ...".
	Err error
}

// Parse decodes data, either one case object or an array of them, into cases
// in input order. It returns an error only when data as a whole is not JSON or
// its top level is neither an object nor an array; a malformed case gets its
// own Case.Err instead.
func Parse(data []byte) ([]Case, error) {
	if err := checkSyntax(data); err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	switch data[0] {
	case '{':
		return []Case{parseCase(data, 0)}, nil
	case '[':
		var raws []json.RawMessage
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, err
		}
		cases := make([]Case, len(raws))
		for i, raw := range raws {
			cases[i] = parseCase(raw, i)
		}
		return cases, nil
	}
	return nil, fmt.Errorf("top level is a JSON %s; want a case object or an array of cases", kindOf(data))
}

// checkSyntax reports whether data is one JSON value, naming the line and
// column of the first syntax error: the offending character, or the last
// character when the input ends early.
func checkSyntax(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("input is empty; want a case object or an array of cases")
	}
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("invalid JSON at %s: %v", position(data, syn.Offset-1), syn)
	}
	return err
}

// position renders a byte offset as "line L, column C" (both 1-based).
func position(data []byte, offset int64) string {
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}
