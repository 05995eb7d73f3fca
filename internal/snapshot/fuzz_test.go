package snapshot

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecode checks that Decode never panics, that its errors say
// something, and that a decoded snapshot re-encodes to JSON that decodes
// again to the same encoding.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode("fuzz.json", data)
		if err != nil {
			if err.Error() == "" || err.Error() == "fuzz.json: " {
				t.Fatalf("empty error for %q", data)
			}
			return
		}
		roundTrip(t, s, func(b []byte) (any, error) { return Decode("again.json", b) })
	})
}

// FuzzDecodeConfig is FuzzDecode for replication configurations, in both
// the bare and the wrapped form.
func FuzzDecodeConfig(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeConfig("fuzz.json", data)
		if err != nil {
			if err.Error() == "" || err.Error() == "fuzz.json: " {
				t.Fatalf("empty error for %q", data)
			}
			return
		}
		roundTrip(t, c, func(b []byte) (any, error) { return DecodeConfig("again.json", b) })
	})
}

// roundTrip encodes v, decodes it again and checks that the second
// encoding equals the first.
func roundTrip(t *testing.T, v any, decode func([]byte) (any, error)) {
	t.Helper()
	first, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("decoded value does not encode: %v", err)
	}
	again, err := decode(first)
	if err != nil {
		t.Fatalf("re-encoded value does not decode: %v\n%s", err, first)
	}
	second, err := json.Marshal(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("round trip changed the value:\n%s\n%s", first, second)
	}
}
