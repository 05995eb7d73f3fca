package hint

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestOfCollectsEveryLayer(t *testing.T) {
	base := errors.New("snap.json: source.name: required")
	err := fmt.Errorf("preflight: %w", With(With(base, "inner"), "outer"))
	if got, want := Of(err), []string{"outer", "inner"}; !slices.Equal(got, want) {
		t.Errorf("Of = %q, want %q", got, want)
	}
	if !errors.Is(err, base) {
		t.Error("the wrapped error is lost")
	}
	if err.Error() != "preflight: snap.json: source.name: required" {
		t.Errorf("Error() = %q: hints must not change the message", err.Error())
	}
}

func TestWithNil(t *testing.T) {
	if With(nil, "x") != nil {
		t.Error("With(nil) must stay nil")
	}
	if Of(errors.New("plain")) != nil {
		t.Error("a plain error has no hints")
	}
}
