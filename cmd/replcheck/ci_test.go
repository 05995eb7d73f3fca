package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/replcheck/replcheck/internal/waiver"
)

// cliHelp is what 'replcheck --help' and 'replcheck COMMAND --help' say:
// each command and the long flags it takes.
type cliHelp map[string][]string

// helpOfApp reads the commands and their flags from the app's own help
// output, as a user would.
func helpOfApp(t *testing.T) cliHelp {
	t.Helper()
	code, out, _ := runCLI(t, "--help")
	if code != 0 {
		t.Fatalf("replcheck --help exited %d", code)
	}
	help := cliHelp{}
	section := ""
	command := regexp.MustCompile(`^   ([a-z][a-z-]*)(, [a-z]+)*  `)
	for line := range strings.Lines(out) {
		if !strings.HasPrefix(line, " ") {
			section = strings.TrimSpace(line)
			continue
		}
		if m := command.FindStringSubmatch(line); section == "COMMANDS:" && m != nil && m[1] != "help" {
			help[m[1]] = flagsOf(t, m[1])
		}
	}
	if len(help) == 0 {
		t.Fatalf("found no commands in replcheck --help:\n%s", out)
	}
	return help
}

// flagsOf lists the long flags 'replcheck COMMAND --help' shows.
func flagsOf(t *testing.T, command string) []string {
	t.Helper()
	code, out, _ := runCLI(t, command, "--help")
	if code != 0 {
		t.Fatalf("replcheck %s --help exited %d", command, code)
	}
	var flags []string
	option := regexp.MustCompile(`^\s+--([a-z][a-z0-9-]*)`)
	for line := range strings.Lines(out) {
		if m := option.FindStringSubmatch(line); m != nil {
			flags = append(flags, m[1])
		}
	}
	return flags
}

// pendingCommands are commands CLI.md defines that another branch is
// building. Until 'replcheck --help' lists one, command lines that use it
// are checked against the flags CLI.md gives it; once it exists, against
// its help.
func pendingCommands() map[string][]string {
	output := []string{"format", "output", "fail-on", "waivers", "quiet"}
	return map[string][]string{
		"plan": append(output, "chdir", "live"),
	}
}

// checkCommandLine checks that args (what follows "replcheck") name a
// command and flags that exist.
func checkCommandLine(help cliHelp, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("replcheck %s: put the command first", strings.Join(args, " "))
	}
	cmd := args[0]
	known, ok := help[cmd]
	if !ok {
		if known, ok = pendingCommands()[cmd]; !ok {
			return fmt.Errorf("replcheck %s: 'replcheck --help' lists no command %q", strings.Join(args, " "), cmd)
		}
	}
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !slices.Contains(known, name) {
			return fmt.Errorf("replcheck %s: 'replcheck %s --help' has no flag --%s", strings.Join(args, " "), cmd, name)
		}
	}
	return nil
}

// replcheckCommands finds the replcheck command lines of a shell script:
// what follows each word "replcheck" (or ".../replcheck").
func replcheckCommands(script string) [][]string {
	script = strings.ReplaceAll(script, "\\\n", " ")
	var out [][]string
	sep := regexp.MustCompile(`&&|\|\||;|\|`)
	for line := range strings.Lines(script) {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, part := range sep.Split(line, -1) {
			fields := strings.Fields(part)
			for i, f := range fields {
				if strings.Trim(f, `"'`) == "replcheck" || strings.HasSuffix(strings.Trim(f, `"'`), "/replcheck") {
					var args []string
					for _, a := range fields[i+1:] {
						args = append(args, strings.Trim(a, `"'`))
					}
					out = append(out, args)
					break
				}
			}
		}
	}
	return out
}

// TestCheckCommandLine makes sure the docs test cannot pass vacuously: a
// made-up command or flag fails, also for a command still pending.
func TestCheckCommandLine(t *testing.T) {
	help := helpOfApp(t)
	for _, tc := range []struct {
		script string
		ok     bool
	}{
		{"replcheck preflight --snapshot s.json --format sarif=r.sarif --fail-on warn", true},
		{"bin/replcheck explain DstBucketUnversioned", true},
		{"replcheck plan --chdir infra --format junit=r.xml tfplan.json", true},
		{"replcheck bogus --format json", false},
		{"replcheck preflight --bogus", false},
		{"replcheck plan --bogus tfplan.json", false},
		{"replcheck --format json preflight", false},
		{"cd x && \"$HOME/go/bin/replcheck\" preflight \\\n  --snapshot s.json --fromat json", false},
	} {
		cmds := replcheckCommands(tc.script)
		if len(cmds) != 1 {
			t.Fatalf("%q: found %d command lines", tc.script, len(cmds))
		}
		if err := checkCommandLine(help, cmds[0]); (err == nil) != tc.ok {
			t.Errorf("%q: error %v, want ok=%v", tc.script, err, tc.ok)
		}
	}
}

// yamlBlocks returns the ```yaml blocks of a Markdown file.
func yamlBlocks(t *testing.T, file string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []string
	var cur *strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```yaml":
			cur = &strings.Builder{}
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	return blocks
}

// ghStep is a step of a GitHub Actions job.
type ghStep struct {
	Name string            `yaml:"name"`
	ID   string            `yaml:"id"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

// TestCIDocs parses docs/ci.md's GitHub Actions workflow, action step and
// GitLab CI jobs as YAML, checks that they do what the page says (plan,
// show -json, replcheck plan, SARIF to code scanning, JUnit as an
// artifact or report), and that every replcheck command line they run
// names a command and flags that 'replcheck --help' lists.
func TestCIDocs(t *testing.T) {
	help := helpOfApp(t)
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	readYAML(t, "../../action.yml", &action)
	var lines [][]string
	var workflows, actionSteps, gitlabJobs, waiverFiles int
	for i, block := range yamlBlocks(t, "../../docs/ci.md") {
		var top yaml.Node
		if err := yaml.Unmarshal([]byte(block), &top); err != nil {
			t.Fatalf("docs/ci.md YAML block %d does not parse: %v\n%s", i, err, block)
		}
		var steps []ghStep
		switch {
		case strings.Contains(block, "\njobs:"):
			workflows++
			var wf struct {
				On   map[string]any `yaml:"on"`
				Jobs map[string]struct {
					Steps []ghStep `yaml:"steps"`
				} `yaml:"jobs"`
			}
			decode(t, block, &wf)
			if _, ok := wf.On["pull_request"]; !ok {
				t.Errorf("the workflow does not run on pull requests: on = %v", wf.On)
			}
			for _, j := range wf.Jobs {
				steps = append(steps, j.Steps...)
			}
			checkWorkflowSteps(t, steps)
		case strings.HasPrefix(strings.TrimSpace(block), "- "):
			decode(t, block, &steps)
			actionSteps++
		case strings.HasPrefix(block, "waivers:"):
			if _, err := waiver.Parse("docs/ci.md", []byte(block)); err != nil {
				t.Errorf("the waivers example does not parse: %v", err)
			}
			waiverFiles++
			continue
		default:
			var keys map[string]yaml.Node
			decode(t, block, &keys)
			for name, node := range keys {
				var j struct {
					Script    []string `yaml:"script"`
					Artifacts struct {
						Reports map[string]any `yaml:"reports"`
					} `yaml:"artifacts"`
				}
				if node.Kind != yaml.MappingNode || node.Decode(&j) != nil || len(j.Script) == 0 {
					continue // stages, variables
				}
				gitlabJobs++
				script := strings.Join(j.Script, "\n")
				if strings.Contains(script, "replcheck plan") && j.Artifacts.Reports["junit"] == nil {
					t.Errorf("GitLab job %s runs replcheck plan without artifacts:reports:junit", name)
				}
				lines = append(lines, replcheckCommands(script)...)
			}
		}
		for _, s := range steps {
			lines = append(lines, replcheckCommands(s.Run)...)
			if s.Uses == "./" || strings.HasPrefix(s.Uses, "replcheck/replcheck@") {
				for k := range s.With {
					if _, ok := action.Inputs[k]; !ok {
						t.Errorf("the action step sets input %q, which action.yml does not have", k)
					}
				}
				args := append([]string{s.With["command"]}, strings.Fields(s.With["args"])...)
				lines = append(lines, append(args, "--fail-on", s.With["fail-on"], "--format", "sarif="+s.With["sarif"]))
			}
		}
	}
	if workflows != 1 || actionSteps != 1 || gitlabJobs != 2 || waiverFiles != 1 {
		t.Errorf("docs/ci.md has %d workflows, %d action snippets, %d GitLab jobs with scripts, %d waivers files; want 1, 1, 2, 1",
			workflows, actionSteps, gitlabJobs, waiverFiles)
	}
	plans := 0
	for _, l := range lines {
		if err := checkCommandLine(help, l); err != nil {
			t.Error(err)
		}
		if len(l) > 0 && l[0] == "plan" {
			plans++
		}
	}
	if plans != 3 {
		t.Errorf("found %d replcheck plan command lines (%q), want 3: the workflow, the action step, GitLab", plans, lines)
	}
	if _, ok := help["plan"]; !ok {
		t.Log("replcheck plan is not built on this branch yet: its command lines were checked against CLI.md's flags")
	}
}

// checkWorkflowSteps checks that a workflow plans, shows the plan as JSON,
// runs replcheck plan, uploads the SARIF and keeps the JUnit report, and
// that the uploads run when replcheck failed the job.
func checkWorkflowSteps(t *testing.T, steps []ghStep) {
	t.Helper()
	var all []string
	sarif, junit := false, false
	for _, s := range steps {
		all = append(all, s.Run)
		switch {
		case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
			sarif = s.With["sarif_file"] != "" && s.If != ""
		case strings.HasPrefix(s.Uses, "actions/upload-artifact@"):
			junit = strings.HasSuffix(s.With["path"], ".xml") && s.If != ""
		}
	}
	script := strings.Join(all, "\n")
	for _, want := range []string{"terraform -chdir=infra plan ", "terraform -chdir=infra show -json ", "replcheck plan ", "--format sarif=", "--format junit="} {
		if !strings.Contains(script, want) {
			t.Errorf("the workflow does not run %q", want)
		}
	}
	if !sarif || !junit {
		t.Errorf("the workflow uploads SARIF: %v, JUnit: %v; want both, also after a failure (if:)", sarif, junit)
	}
}

func decode(t *testing.T, block string, v any) {
	t.Helper()
	if err := yaml.Unmarshal([]byte(block), v); err != nil {
		t.Fatalf("%v\n%s", err, block)
	}
}

func readYAML(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	decode(t, string(data), v)
}
