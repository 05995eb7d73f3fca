package report

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/checks"
)

func TestOutputs(t *testing.T) {
	for _, tc := range []struct {
		formats []string
		output  string
		want    []Output
		err     string
	}{
		{nil, "", []Output{{"text", ""}}, ""},
		{nil, "out.txt", []Output{{"text", "out.txt"}}, ""},
		{[]string{"json"}, "", []Output{{"json", ""}}, ""},
		{[]string{"text", "json=a.json", "sarif=a.sarif", "junit=a,b.xml"}, "",
			[]Output{{"text", ""}, {"json", "a.json"}, {"sarif", "a.sarif"}, {"junit", "a,b.xml"}}, ""},
		{[]string{"json=a.json", "sarif"}, "r.sarif", []Output{{"json", "a.json"}, {"sarif", "r.sarif"}}, ""},
		{[]string{"json=a.json"}, "", []Output{{"json", "a.json"}}, ""},
		{[]string{"text", "json"}, "", nil, "--format text and --format json would both go to standard output"},
		{[]string{"csv"}, "", nil, `--format csv: unknown format "csv" (want one of text, json, sarif, junit, html)`},
		{[]string{"csv=x"}, "", nil, `--format csv=x: unknown format "csv"`},
		{[]string{"json="}, "", nil, `--format json=: no file after "="`},
		{[]string{"json=a", "sarif=./a"}, "", nil, "--format json=a and --format sarif=./a would both write ./a"},
		{[]string{"json", "sarif=r.json"}, "r.json", nil, "--format json and --format sarif=r.json would both write r.json"},
		{[]string{"json=a.json"}, "r.txt", nil, "--output r.txt: every --format names its own file"},
	} {
		got, err := Outputs(tc.formats, tc.output)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("Outputs(%q, %q) error = %v, want %q", tc.formats, tc.output, err, tc.err)
		case tc.err == "" && (err != nil || !reflect.DeepEqual(got, tc.want)):
			t.Errorf("Outputs(%q, %q) = %v, %v; want %v", tc.formats, tc.output, got, err, tc.want)
		}
	}
}

// TestWriteOutputs checks that one call writes every report, each as its
// reporter renders it alone, with colour only on standard output.
func TestWriteOutputs(t *testing.T) {
	dir := t.TempDir()
	outs := []Output{{"text", ""}, {"text", filepath.Join(dir, "r.txt")}, {"sarif", filepath.Join(dir, "r.sarif")}}
	var stdout bytes.Buffer
	if err := WriteOutputs(outs, sample(), &stdout, Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes(), render(t, "text", true, sample())) {
		t.Errorf("standard output is not the coloured text report:\n%s", stdout.String())
	}
	for file, want := range map[string][]byte{"r.txt": render(t, "text", false, sample()), "r.sarif": render(t, "sarif", false, sample())} {
		got, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the report rendered alone (%v)", file, err)
		}
	}
	err := WriteOutputs([]Output{{"json", filepath.Join(dir, "missing", "r.json")}}, sample(), &stdout, Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot write the report to "+filepath.Join(dir, "missing", "r.json")+": no such file") {
		t.Errorf("writing into a missing directory: %v", err)
	}
}

// TestTextQuiet checks that quiet text lists fail, warn and unknown
// findings and nothing else, yet summarises them all.
func TestTextQuiet(t *testing.T) {
	out := string(renderWith(t, "text", Options{Quiet: true}, sample()))
	for _, s := range []checks.Status{checks.StatusPass, checks.StatusSkip} {
		if strings.Contains(out, "  "+strings.ToUpper(string(s))+" ") {
			t.Errorf("quiet output lists a %s finding:\n%s", s, out)
		}
	}
	for _, want := range []string{"FAIL     DstBucketUnversioned", "WARN     ReplicationMetricsDisabled", "UNKNOWN  DstPutObjNotPermitted",
		"replcheck: 1 fail, 1 warn, 2 pass, 1 unknown, 1 skip"} {
		if !strings.Contains(out, want) {
			t.Errorf("quiet output lacks %q:\n%s", want, out)
		}
	}
}

// TestFormatsRegistry checks that Formats lists exactly what New builds.
func TestFormatsRegistry(t *testing.T) {
	if len(Formats) != len(formats) {
		t.Fatalf("Formats %v, registry has %d formats", Formats, len(formats))
	}
	for _, name := range Formats {
		if r, err := New(name, Options{}); err != nil || r == nil {
			t.Errorf("New(%q) = %v, %v", name, r, err)
		}
	}
}
