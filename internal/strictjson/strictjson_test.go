package strictjson

import (
	"errors"
	"strings"
	"testing"
)

type inner struct {
	Name  string            `json:"name"`
	Count int               `json:"count,omitempty"`
	Tags  map[string]string `json:"tags,omitempty"`
}

// checked rejects an object whose "kind" is "bad", at a relative path.
type checked struct {
	Kind string `json:"kind"`
}

func (checked) CheckObject(obj map[string]any) error {
	if obj["kind"] == "bad" {
		return &Error{Path: "kind", Msg: "is bad"}
	}
	if obj["kind"] == "plain" {
		return errors.New("plain error")
	}
	return nil
}

type doc struct {
	Items  []inner  `json:"items"`
	Ptr    *inner   `json:"ptr,omitempty"`
	Check  checked  `json:"check"`
	Ratio  float64  `json:"ratio,omitempty"`
	Flag   bool     `json:"flag,omitempty"`
	Skip   string   `json:"-"`
	Others []string `json:"others,omitempty"`
}

func TestUnmarshalErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"items": [{"name": "a"}, {"nmae": "b"}]}`, `items[1].nmae: unknown field (want one of name, count, tags)`},
		{`{"items": [{"name": 1}]}`, `items[0].name: got a number, want a string`},
		{`{"items": {}}`, `items: got an object, want an array`},
		{`{"items": [], "items": []}`, `items: duplicate key`},
		{`{"ptr": {"count": 1.5}}`, `ptr.count: 1.5 is not an integer`},
		{`{"ptr": {"count": "1"}}`, `ptr.count: got a string, want an integer`},
		{`{"ptr": {"tags": {"k": true}}}`, `ptr.tags.k: got a boolean, want a string`},
		{`{"flag": "yes"}`, `flag: got a string, want true or false`},
		{`{"ratio": []}`, `ratio: got an array, want a number`},
		{`{"check": {"kind": "bad"}}`, `check.kind: is bad`},
		{`{"check": {"kind": "plain"}}`, `check: plain error`},
		{`{"Skip": "x"}`, `Skip: unknown field`},
		{`[]`, `got an array, want an object`},
		{`{"items": [}`, `items: invalid JSON at line 1, column 12: invalid character '}' looking for beginning of value`},
		{"{\n  \"ptr\": {\"name\" 1}}", `ptr.name: invalid JSON at line 2, column 18: invalid character '1' after object key`},
		{`{"items": [] `, `invalid JSON: unexpected end of input`},
		{`{} {}`, `invalid JSON: unexpected data after the document`},
		{``, `invalid JSON: unexpected end of input`},
		{strings.Repeat(`[`, 100), `nested more than 64 levels deep`},
	} {
		var d doc
		err := Unmarshal([]byte(tc.in), &d)
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("Unmarshal(%s) = %v, want an *Error", tc.in, err)
			continue
		}
		if !strings.HasSuffix(err.Error(), tc.want) && !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Unmarshal(%s) = %q, want %q", tc.in, err, tc.want)
		}
	}
}

func TestUnmarshalValid(t *testing.T) {
	var d doc
	in := `{"items": [{"name": "a", "count": 2, "tags": {"k": "v"}}], "ptr": null, "check": {"kind": "ok"}, "ratio": 0.5, "flag": true, "others": null}`
	if err := Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Items) != 1 || d.Items[0].Count != 2 || d.Items[0].Tags["k"] != "v" || d.Ptr != nil || d.Ratio != 0.5 || !d.Flag {
		t.Errorf("decoded %+v", d)
	}
}

func TestErrorAndJoin(t *testing.T) {
	if got := (&Error{Msg: "m"}).Error(); got != "m" {
		t.Errorf("root error = %q", got)
	}
	if got := (&Error{Path: "a.b", Msg: "m"}).Error(); got != "a.b: m" {
		t.Errorf("error = %q", got)
	}
	if Join("", "a") != "a" || Join("a", "b") != "a.b" || Join("a[0]", "b") != "a[0].b" {
		t.Error("Join")
	}
}
