package snapshot

import (
	"fmt"
	"strconv"

	"github.com/replcheck/replcheck/internal/strictjson"
)

// State says whether a fact was read.
type State string

// Fact states.
const (
	// Known: the fact was read and Value holds it.
	Known State = "known"
	// Absent: AWS answered that the thing is not configured
	// (NoSuchBucketPolicy, ReplicationConfigurationNotFoundError, …).
	Absent State = "absent"
	// Unknown: the fact could not be read; Error says why.
	Unknown State = "unknown"
)

// FactError records why a fact is Unknown.
type FactError struct {
	// Operation is the API operation that failed, as service:Operation,
	// e.g. "s3:GetBucketPolicy".
	Operation string `json:"operation"`
	// Code is the AWS error code, e.g. "AccessDenied", or a replcheck code
	// such as "NoCredentials" or "NotImplemented".
	Code string `json:"code"`
	// Message is the error message.
	Message string `json:"message,omitempty"`
	// Permission is the IAM action the reader lacked, when the code is an
	// access denial.
	Permission string `json:"permission,omitempty"`
}

// String renders the error for a finding: "s3:GetBucketPolicy: AccessDenied
// (needs s3:GetBucketPolicy)".
func (e *FactError) String() string {
	if e == nil {
		return "not gathered"
	}
	s := e.Operation + ": " + e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Permission != "" {
		s += " (needs " + e.Permission + ")"
	}
	return s
}

// Fact is one piece of gathered state.
type Fact[T any] struct {
	State State      `json:"state"`
	Value T          `json:"value,omitzero"`
	Error *FactError `json:"error,omitempty"`
}

// KnownFact returns a Known fact holding v.
func KnownFact[T any](v T) Fact[T] { return Fact[T]{State: Known, Value: v} }

// AbsentFact returns an Absent fact.
func AbsentFact[T any]() Fact[T] { return Fact[T]{State: Absent} }

// UnknownFact returns an Unknown fact with its error.
func UnknownFact[T any](err *FactError) Fact[T] { return Fact[T]{State: Unknown, Error: err} }

// IsKnown reports whether the fact was read and is configured.
func (f Fact[T]) IsKnown() bool { return f.State == Known }

// IsAbsent reports whether AWS answered "not configured".
func (f Fact[T]) IsAbsent() bool { return f.State == Absent }

// IsUnknown reports whether the fact could not be read. A fact that was
// never gathered (the zero Fact) is Unknown.
func (f Fact[T]) IsUnknown() bool { return f.State != Known && f.State != Absent }

// Why explains an Unknown fact.
func (f Fact[T]) Why() string {
	if f.State == "" {
		return "not gathered"
	}
	return f.Error.String()
}

// CheckObject validates a fact's JSON object for strictjson: the state is
// one of the three, and an unknown fact says why.
func (Fact[T]) CheckObject(obj map[string]any) error {
	switch obj["state"] {
	case string(Known), string(Absent):
	case string(Unknown):
		if obj["error"] == nil {
			return &strictjson.Error{Path: "error", Msg: "required: an unknown fact says why it could not be read"}
		}
	case nil:
		return &strictjson.Error{Path: "state", Msg: `required: one of "known", "absent", "unknown"`}
	default:
		return &strictjson.Error{Path: "state", Msg: fmt.Sprintf(`%s is not one of "known", "absent", "unknown"`, jsonValue(obj["state"]))}
	}
	return nil
}

// jsonValue renders a decoded JSON value for a message: strings quoted.
func jsonValue(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}
