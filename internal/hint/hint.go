// Package hint attaches "how to fix it" lines to errors, so that the code
// that knows the fix (a source of facts, a file reader) can say it, and the
// command line prints it as "replcheck: hint: …" without knowing where the
// error came from.
package hint

import "errors"

// Error is an error with the hints that tell the user how to fix it.
type Error struct {
	Err   error
	Hints []string
}

// Error returns the wrapped error's text.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *Error) Unwrap() error { return e.Err }

// With returns err with hints attached; a nil err stays nil.
func With(err error, hints ...string) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Hints: hints}
}

// Of returns the hints attached anywhere in err's chain, outermost first.
func Of(err error) []string {
	var out []string
	for err != nil {
		var he *Error
		if !errors.As(err, &he) {
			break
		}
		out = append(out, he.Hints...)
		err = he.Err
	}
	return out
}
