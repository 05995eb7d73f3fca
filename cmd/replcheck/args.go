package main

import (
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// flagsAfterCommand moves the flags given before the command ('replcheck
// --profile prod preflight --source b') to just after the command and its
// subcommand ('policy generate'), where urfave/cli reads them: CLI.md lets
// global flags go before or after the subcommand. A flag's value moves
// with it. Arguments with --help or --version before the command, or
// without a known command, are left as they are.
func flagsAfterCommand(cmds []*cli.Command, args []string) []string {
	takesValue := valueFlags(cmds, map[string]bool{})
	var flags []string
	i := 1
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-" || !strings.HasPrefix(a, "-") {
			break
		}
		name := strings.TrimLeft(a, "-")
		switch name {
		case "help", "h", "version", "v":
			return args
		}
		flags = append(flags, a)
		if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if len(flags) == 0 || i == len(args) {
		return args
	}
	cmd := commandNamed(cmds, args[i])
	if cmd == nil {
		return args
	}
	end := i + 1
	if end < len(args) && commandNamed(cmd.Subcommands, args[end]) != nil {
		end++
	}
	out := append(slices.Clone(args[:1]), args[i:end]...)
	out = append(out, flags...)
	return append(out, args[end:]...)
}

// valueFlags adds to names every flag name of cmds and their subcommands
// that takes a value (every flag but the boolean ones).
func valueFlags(cmds []*cli.Command, names map[string]bool) map[string]bool {
	for _, cmd := range cmds {
		for _, f := range cmd.Flags {
			if _, isBool := f.(*cli.BoolFlag); !isBool {
				for _, n := range f.Names() {
					names[n] = true
				}
			}
		}
		valueFlags(cmd.Subcommands, names)
	}
	return names
}

// commandNamed is the command of cmds called name (or one of its
// aliases), or nil.
func commandNamed(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}
