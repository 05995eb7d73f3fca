package spell

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"scps", "scps", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"scp", "scps", 1}, // insertion
		{"identityPolicy", "identityPolicies", 3},
		{"kitten", "sitting", 3}, // the textbook case
		{"DstPutObjNotPermitted", "DstPutObjectNotPermitted", 3},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Distance(c.b, c.a); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", c.b, c.a, got, c.want)
		}
	}
}
