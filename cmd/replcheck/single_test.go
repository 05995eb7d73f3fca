package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestRepeatedSingleValueFlag: every flag of every command that takes one
// value refuses a second one with a usage error (exit 2) that names it,
// before anything runs; and no command has a single-value flag of a kind
// singleValueFlags does not convert.
func TestRepeatedSingleValueFlag(t *testing.T) {
	var tried []string
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, cmd := range cmds {
			cmdPath := append(append([]string{}, path...), cmd.Name)
			for _, f := range cmd.Flags {
				name := f.Names()[0]
				switch f := f.(type) {
				case *cli.BoolFlag, *cli.StringSliceFlag:
					continue // a switch, or repeatable by design
				case *cli.GenericFlag:
					if _, ok := f.Value.(*formatList); ok {
						continue // --format FORMAT[=FILE] is repeatable by design
					}
					if _, ok := f.Value.(*singleValue); !ok {
						t.Errorf("%s --%s: a generic flag that is not a singleValue", strings.Join(cmdPath, " "), name)
						continue
					}
				default:
					t.Errorf("%s --%s: %T is not converted to a single-value flag", strings.Join(cmdPath, " "), name, f)
					continue
				}
				args := append(append([]string{"replcheck"}, cmdPath...), "--"+name, "1", "--"+name, "2")
				var stdout, stderr bytes.Buffer
				code := run(args, strings.NewReader(""), &stdout, &stderr)
				want := "replcheck: error: --" + name + ` is given twice ("1", then "2"); it takes one value` + "\n" +
					"replcheck: hint: give --" + name + " once\n"
				if code != exitUsage || stderr.String() != want || stdout.Len() != 0 {
					t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and\n%s", strings.Join(args, " "), code, stdout.String(), stderr.String(), want)
				}
				tried = append(tried, strings.Join(cmdPath, " ")+" --"+name)
			}
			walk(cmdPath, cmd.Subcommands)
		}
	}
	walk(nil, newApp(strings.NewReader("")).Commands)
	for _, must := range []string{"preflight --source", "preflight --output", "preflight --fail-on", "preflight --objects", "preflight --snapshot", "snapshot --output", "snapshot --endpoint-url"} {
		if !strings.Contains(strings.Join(tried, "\n")+"\n", must+"\n") {
			t.Errorf("%q was not tried; tried %q", must, tried)
		}
	}
}

// TestSingleValueFlagsKeepDefaults: the converted flags read as before
// when given once or not at all.
func TestSingleValueFlagsKeepDefaults(t *testing.T) {
	var got []string
	app := &cli.App{Commands: []*cli.Command{{Name: "c", Flags: []cli.Flag{
		&cli.StringFlag{Name: "s", Value: "default"}, &cli.StringFlag{Name: "e"}, &cli.IntFlag{Name: "n", Value: 3}},
		Action: func(c *cli.Context) error {
			got = append(got, c.String("s"), c.String("e"), c.String("n"))
			if c.Int("n") != 3 && !c.IsSet("n") {
				t.Errorf("c.Int(n) = %d unset", c.Int("n"))
			}
			if c.IsSet("s") != (c.String("s") != "default") {
				t.Errorf("IsSet(s) = %v with s = %q", c.IsSet("s"), c.String("s"))
			}
			return nil
		}}}}
	singleValueFlags(app.Commands)
	for _, args := range [][]string{{"app", "c"}, {"app", "c", "--s", "x", "--e", "y", "--n", "0x10"}} {
		if err := app.Run(args); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	if want := []string{"default", "", "3", "x", "y", "0x10"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("values %q, want %q", got, want)
	}
}
