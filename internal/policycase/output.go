package policycase

import (
	"bytes"
	"encoding/json"

	"github.com/replcheck/replcheck/policy"
)

// Output is the outcome of one case, as `policy eval` prints it: the
// decision, or the error that kept the case from being evaluated.
type Output struct {
	// ID is the case's id.
	ID string
	// Result is the decision; it is meaningless when Err is set.
	Result policy.Result
	// Err is the case's Err.
	Err error
}

// Evaluate decides the case, or returns its error when it is malformed.
func (c Case) Evaluate() Output {
	if c.Err != nil {
		return Output{ID: c.ID, Err: c.Err}
	}
	return Output{ID: c.ID, Result: policy.Evaluate(&c.Input, &c.Request)}
}

// MarshalJSON writes {"id", "decision", "matched", "reason"}, or
// {"id", "error"} for a malformed case. matched is always an array.
func (o Output) MarshalJSON() ([]byte, error) {
	if o.Err != nil {
		return marshal(struct {
			ID    string `json:"id"`
			Error string `json:"error"`
		}{o.ID, o.Err.Error()})
	}
	matched := o.Result.Matched
	if matched == nil {
		matched = []policy.MatchedStatement{}
	}
	return marshal(struct {
		ID       string                    `json:"id"`
		Decision policy.Decision           `json:"decision"`
		Matched  []policy.MatchedStatement `json:"matched"`
		Reason   string                    `json:"reason"`
	}{o.ID, o.Result.Decision, matched, o.Result.Reason})
}

// marshal is json.Marshal without HTML escaping, so that "&" and "<" in
// policies and reasons read as written.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
