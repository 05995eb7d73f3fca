package checks

import (
	"reflect"
	"testing"
)

func TestWorst(t *testing.T) {
	got := worst(
		pass("a ok", "e1"),
		warn("b warns", "fix b", "e2"),
		skip("c skipped"),
		warn("d warns", "fix d", "e1"),
	)
	want := Outcome{Status: StatusWarn, Message: "b warns; d warns", Evidence: []string{"e1", "e2"}, Remediation: "fix b; fix d"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("worst = %+v, want %+v", got, want)
	}
	if got := worst(skip("x"), skip("y")); got.Status != StatusSkip || got.Message != "x; y" {
		t.Errorf("all skips = %+v", got)
	}
}

// A failure does not hide the problems beside it, nor keep what passed.
func TestWorstJoinsEveryProblem(t *testing.T) {
	got := worst(pass("ok", "e0"), fail("a fails", "fix a", "e1"), unknown("b unread", "e2"), warn("c warns", "fix a", "e1"))
	want := Outcome{Status: StatusFail, Message: "a fails; b unread; c warns", Evidence: []string{"e0", "e1", "e2"}, Remediation: "fix a"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("worst = %+v, want %+v", got, want)
	}
}
