package tfplan

import (
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Codes of the FactErrors a plan gives its Unknown facts.
const (
	// CodeNotInPlan: the plan does not manage the thing; --live reads it.
	CodeNotInPlan = "NotInPlan"
	// CodeKnownAfterApply: the value is known only after terraform apply.
	CodeKnownAfterApply = "KnownAfterApply"
)

// planOperation is the FactError operation of facts a plan decides.
const planOperation = "terraform plan"

// notInPlan is the error of a fact about something the plan does not
// manage.
func notInPlan(what string) *snapshot.FactError {
	return &snapshot.FactError{Operation: planOperation, Code: CodeNotInPlan,
		Message: what + " is not managed by this plan (--live reads it from AWS)"}
}

// afterApply is the error of a fact known only after apply.
func afterApply(what string) *snapshot.FactError {
	return &snapshot.FactError{Operation: planOperation, Code: CodeKnownAfterApply,
		Message: what + " is known only after terraform apply"}
}

// unknownFact is the Unknown fact of a pending value.
func unknownFact[T any](v Value) snapshot.Fact[T] {
	what := v.Pending
	if what == "" {
		what = "the value"
	}
	why := afterApply(what)
	if v.Unfollowed != "" {
		why.Message += ", and replcheck cannot evaluate its expression, which " + v.Unfollowed
	}
	return snapshot.UnknownFact[T](why)
}

// IsPlaceholder reports whether an identifier (bucket name, ARN, key ID)
// stands in for a value known only after apply.
func IsPlaceholder(id string) bool { return snapshot.PendingIn(id) != "" }

// placeholder stands in for a pending identifier:
// "(aws_kms_key.replica.arn, known after apply)".
func placeholder(what string) string { return snapshot.Pending(what) }

// strOf returns a string attribute, or "" when it is null.
func (p *Plan) strOf(r *Resource, path ...any) (string, Value) {
	v := p.Get(r, path...)
	s, _ := v.Str()
	return s, v
}

// count returns the number of elements of a list attribute (nested
// blocks); ok is false when the list itself is known only after apply.
func (p *Plan) count(r *Resource, path ...any) (n int, ok bool) {
	v, found := walk(r.After, path)
	switch x := v.(type) {
	case []any:
		return len(x), true
	case Unknown:
		return 0, false
	}
	return 0, found || !isUnknownAt(r.After, path)
}

// at appends steps to a path.
func at(path []any, steps ...any) []any {
	return append(append([]any{}, path...), steps...)
}
