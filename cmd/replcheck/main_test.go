package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary run as the replcheck command inside scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"replcheck": main})
}

// TestScript runs the scripts in testdata/script against the real binary.
// $FIXTURES is the repository's fixtures directory, $PLANS its Terraform
// plan fixtures.
func TestScript(t *testing.T) {
	fixtures, err := filepath.Abs("../../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("FIXTURES", fixtures)
			env.Setenv("PLANS", filepath.Join(fixtures, "plans"))
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){"status": cmdStatus, "jsonset": cmdJSONSet},
	})
}

// cmdStatus implements "status CODE PROG [ARGS...]": run PROG like exec,
// keeping its stdout and stderr for the next checks, and fail unless it
// exits with CODE.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: bad exit code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("status: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with code %d, want %d", args[1], got, want)
	}
}

// jsonStep matches one step of a jsonset path: a key, or an [index].
var jsonStep = regexp.MustCompile(`^([^.\[]+|\[[0-9]+\])\.?`)

// cmdJSONSet implements "jsonset IN OUT PATH=JSON...": copy the JSON file
// IN to OUT with the value at each PATH (such as
// destinations[0].versioning) replaced, so that scripts derive scenarios
// from one healthy snapshot.
func cmdJSONSet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: jsonset IN OUT PATH=JSON...")
	}
	var doc any
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &doc))
	for _, a := range args[2:] {
		path, raw, ok := strings.Cut(a, "=")
		if !ok {
			ts.Fatalf("jsonset: %q is not PATH=JSON", a)
		}
		var v any
		ts.Check(json.Unmarshal([]byte(raw), &v))
		doc = setJSON(ts, doc, path, v)
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), out, 0o644))
}

// setJSON returns doc with the value at path replaced by v; every step
// but the last must exist.
func setJSON(ts *testscript.TestScript, doc any, path string, v any) any {
	if path == "" {
		return v
	}
	m := jsonStep.FindStringSubmatch(path)
	if m == nil {
		ts.Fatalf("jsonset: bad path %q", path)
	}
	rest := path[len(m[0]):]
	if i, err := strconv.Atoi(strings.Trim(m[1], "[]")); err == nil && strings.HasPrefix(m[1], "[") {
		arr, ok := doc.([]any)
		if !ok || i >= len(arr) {
			ts.Fatalf("jsonset: no element %s", m[1])
		}
		arr[i] = setJSON(ts, arr[i], rest, v)
		return arr
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		ts.Fatalf("jsonset: %s is not in an object", m[1])
	}
	obj[m[1]] = setJSON(ts, obj[m[1]], rest, v)
	return obj
}
