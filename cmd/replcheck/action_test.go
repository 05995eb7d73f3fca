package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// actionFile is the part of action.yml a runner reads.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string   `yaml:"using"`
		Steps []ghStep `yaml:"steps"`
	} `yaml:"runs"`
}

// actionResult is what a run of the action left.
type actionResult struct {
	// failed is the name of the step that failed, "" when none did.
	failed  string
	outputs map[string]string
	log     string
}

// expression matches a GitHub Actions expression.
var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// runAction runs action.yml's steps as the GitHub runner runs a composite
// action: each run: step with bash -eo pipefail in the workspace, its env:
// evaluated, GITHUB_OUTPUT, GITHUB_PATH, GITHUB_ACTION_PATH and RUNNER_TEMP
// set; uses: steps are skipped (only actions/setup-go is allowed: Go is
// here already). It stops at the first failing step, as the runner does.
func runAction(t *testing.T, act *actionFile, inputs map[string]string, workspace string) actionResult {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	temp := t.TempDir()
	pathFile := filepath.Join(temp, "github_path")
	res := actionResult{outputs: map[string]string{}}
	steps := map[string]map[string]string{}
	eval := func(s string) string {
		return expression.ReplaceAllStringFunc(s, func(e string) string {
			x := expression.FindStringSubmatch(e)[1]
			switch parts := strings.Split(x, "."); {
			case len(parts) == 2 && parts[0] == "inputs":
				if v, ok := inputs[parts[1]]; ok {
					return v
				}
				in, ok := act.Inputs[parts[1]]
				if !ok {
					t.Fatalf("action.yml uses undeclared input %s", parts[1])
				}
				return in.Default
			case x == "github.action_ref":
				return "v0.0.0-action-test"
			case x == "github.action_path":
				return root
			case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
				return steps[parts[1]][parts[3]]
			}
			t.Fatalf("action.yml: the test runner does not know the expression %s", e)
			return ""
		})
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	path := filepath.Dir(goBin) + string(os.PathListSeparator) + os.Getenv("PATH")
	for i, s := range act.Runs.Steps {
		if s.Uses != "" {
			if !strings.HasPrefix(s.Uses, "actions/setup-go@") {
				t.Fatalf("step %d uses %s, which this test cannot stand in for", i, s.Uses)
			}
			continue
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q has an expression in its script: pass it through env: so that inputs cannot inject code", s.Name)
		}
		script := filepath.Join(temp, "step.sh")
		output := filepath.Join(temp, "github_output")
		if err := os.WriteFile(script, []byte(s.Run), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(output, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = workspace
		cmd.Env = append(os.Environ(), "CI=true", "GITHUB_ACTIONS=true", "NO_COLOR=",
			"PATH="+path, "RUNNER_TEMP="+temp, "GITHUB_WORKSPACE="+workspace, "GITHUB_ACTION_PATH="+root,
			"GITHUB_OUTPUT="+output, "GITHUB_PATH="+pathFile, "GITHUB_ENV="+filepath.Join(temp, "github_env"))
		for k, v := range s.Env {
			cmd.Env = append(cmd.Env, k+"="+eval(v))
		}
		out, err := cmd.CombinedOutput()
		res.log += "## " + s.Name + "\n" + string(out)
		stepOutputs := map[string]string{}
		data, _ := os.ReadFile(output)
		for line := range strings.Lines(string(data)) {
			if k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "="); ok {
				stepOutputs[k] = v
			}
		}
		if s.ID != "" {
			steps[s.ID] = stepOutputs
		}
		if added, err := os.ReadFile(pathFile); err == nil {
			for _, dir := range strings.Fields(string(added)) {
				path = dir + string(os.PathListSeparator) + path
			}
			os.Remove(pathFile)
		}
		if err != nil {
			res.failed = s.Name
			break
		}
	}
	for name, o := range act.Outputs {
		res.outputs[name] = eval(o.Value)
	}
	return res
}

// TestActionSteps runs action.yml's shell steps locally, as GitHub would:
// the install step builds replcheck from this checkout, the run step runs
// it with the inputs, and the exit code is the action's output.
func TestActionSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds replcheck with go install")
	}
	var act actionFile
	readYAML(t, "../../action.yml", &act)
	if act.Runs.Using != "composite" {
		t.Fatalf("action.yml runs using %q, want composite", act.Runs.Using)
	}
	for _, want := range []string{"command", "args", "sarif", "fail-on"} {
		if _, ok := act.Inputs[want]; !ok {
			t.Errorf("action.yml has no input %q", want)
		}
	}
	for _, tc := range []struct {
		name     string
		scenario string
		inputs   map[string]string
		exit     string
		failed   bool
		sarif    string
		files    []string
	}{
		{"failure predicted", "DstBucketUnversioned/suspended.json",
			map[string]string{"command": "preflight", "args": "--snapshot snap.json"},
			"1", true, "replcheck.sarif", []string{"replcheck.sarif"}},
		{"fail-on fail lets an unknown pass", "DstBucketUnversioned/access-denied.json",
			map[string]string{"command": "preflight", "args": "--snapshot snap.json\n--format junit=replcheck.xml", "sarif": "out/r.sarif", "fail-on": "fail"},
			"0", false, "out/r.sarif", []string{"out/r.sarif", "replcheck.xml"}},
		{"unknown by default", "DstBucketUnversioned/access-denied.json",
			map[string]string{"command": "preflight", "args": "--snapshot snap.json", "sarif": ""},
			"3", true, "", nil},
		{"usage error", "DstBucketUnversioned/enabled.json",
			map[string]string{"command": "preflight", "args": "--snapshot snap.json --fail-on-typo"},
			"2", true, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			workspace := t.TempDir()
			scenario(tc.scenario, 0, 0, 0).args(t, workspace)
			if err := os.MkdirAll(filepath.Join(workspace, "out"), 0o755); err != nil {
				t.Fatal(err)
			}
			res := runAction(t, &act, tc.inputs, workspace)
			if res.outputs["exit-code"] != tc.exit || (res.failed != "") != tc.failed || res.outputs["sarif"] != tc.sarif {
				t.Errorf("exit-code %q, failed step %q, sarif %q; want %s, failed %v, %q\n%s",
					res.outputs["exit-code"], res.failed, res.outputs["sarif"], tc.exit, tc.failed, tc.sarif, res.log)
			}
			if tc.failed && res.failed != "Check the exit code" {
				t.Errorf("step %q failed, want only the last one to\n%s", res.failed, res.log)
			}
			for _, f := range tc.files {
				if _, err := os.Stat(filepath.Join(workspace, f)); err != nil {
					t.Errorf("%s was not written: %v\n%s", f, err, res.log)
				}
			}
			if tc.sarif != "" {
				var log struct {
					Runs []struct {
						Tool struct{ Driver struct{ Version string } }
					}
				}
				data, _ := os.ReadFile(filepath.Join(workspace, tc.sarif))
				if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) == 0 || log.Runs[0].Tool.Driver.Version != "v0.0.0-action-test" {
					t.Errorf("SARIF %s: %v, version %+v: want the version of the action's ref", tc.sarif, err, log)
				}
			}
			if !strings.Contains(res.log, "replcheck: --fail-on ") && tc.exit != "2" {
				t.Errorf("the log lacks the text report:\n%s", res.log)
			}
		})
	}
}
