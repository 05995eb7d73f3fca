package main

import (
	"slices"
	"strings"
	"testing"
)

// TestFlagsAfterCommand checks where flags given before the command go:
// after the command (and its subcommand), values with them; --help,
// --version and unknown commands leave the arguments alone.
func TestFlagsAfterCommand(t *testing.T) {
	cmds := newApp(strings.NewReader("")).Commands
	for _, tc := range []struct{ in, want string }{
		{"replcheck --profile prod preflight --source b", "replcheck preflight --profile prod --source b"},
		{"replcheck --format json --quiet plan p.json", "replcheck plan --format json --quiet p.json"},
		{"replcheck --format=sarif audit", "replcheck audit --format=sarif"},
		// A value that names a command is a value, not the command.
		{"replcheck --profile audit preflight --source b", "replcheck preflight --profile audit --source b"},
		{"replcheck --format json policy generate --snapshot s.json", "replcheck policy generate --format json --snapshot s.json"},
		{"replcheck preflight --source b", "replcheck preflight --source b"},
		{"replcheck --help preflight", "replcheck --help preflight"},
		{"replcheck --version", "replcheck --version"},
		{"replcheck --format json nosuchcommand", "replcheck --format json nosuchcommand"},
		{"replcheck --format json", "replcheck --format json"},
	} {
		got := strings.Join(flagsAfterCommand(cmds, strings.Fields(tc.in)), " ")
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// TestGlobalFlagsBeforeTheCommand runs commands with their flags before
// and after the command name: CLI.md says both work, with the same
// report and exit code.
func TestGlobalFlagsBeforeTheCommand(t *testing.T) {
	snap := "../../fixtures/base/same-account.json"
	plan := "../../fixtures/plans/modules-twice/plan.json"
	for _, tc := range []struct{ before, after []string }{
		{[]string{"--format", "json", "preflight", "--snapshot", snap}, []string{"preflight", "--snapshot", snap, "--format", "json"}},
		{[]string{"--format", "sarif", "--fail-on", "warn", "plan", plan}, []string{"plan", plan, "--format", "sarif", "--fail-on", "warn"}},
		{[]string{"--format", "cli", "policy", "generate", "--snapshot", snap}, []string{"policy", "generate", "--snapshot", snap, "--format", "cli"}},
	} {
		codeBefore, outBefore, errBefore := runCLI(t, tc.before...)
		codeAfter, outAfter, errAfter := runCLI(t, tc.after...)
		if codeBefore != codeAfter || outBefore != outAfter || errBefore != errAfter {
			t.Errorf("%v: exit %d, %d bytes, stderr %q; %v: exit %d, %d bytes, stderr %q",
				tc.before, codeBefore, len(outBefore), errBefore, tc.after, codeAfter, len(outAfter), errAfter)
		}
		if !slices.Contains([]int{0, 1, 3}, codeAfter) {
			t.Errorf("%v: exit %d: the run itself failed\n%s", tc.after, codeAfter, errAfter)
		}
	}
}
