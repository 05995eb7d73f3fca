package main

import (
	"fmt"
	"strconv"

	"github.com/urfave/cli/v2"
)

// singleValue is the value of a flag that takes one value. urfave/cli's
// own string and int flags keep the last of several (--source a --source
// b checks b); a second value is a usage error instead.
type singleValue struct {
	name     string
	value    string
	set      bool
	parse    func(string) error // checks the value's form; nil for any string
	repeated error              // the second value, for onUsageError
}

// Set takes the flag's value, once.
func (v *singleValue) Set(s string) error {
	if v.set {
		v.repeated = fmt.Errorf("--%s is given twice (%q, then %q); it takes one value", v.name, v.value, s)
		return v.repeated
	}
	if v.parse != nil {
		if err := v.parse(s); err != nil {
			return err
		}
	}
	v.value, v.set = s, true
	return nil
}

// String is the value, or the default before Set; c.String and c.Int read
// it.
func (v *singleValue) String() string { return v.value }

// singleValueFlags replaces, in cmds and their subcommands, every string
// and int flag with an equivalent that refuses a second value. Help text,
// defaults and c.String/c.Int/c.IsSet are as before.
func singleValueFlags(cmds []*cli.Command) {
	for _, cmd := range cmds {
		for i, f := range cmd.Flags {
			switch f := f.(type) {
			case *cli.StringFlag:
				def := ""
				if f.Value != "" {
					def = strconv.Quote(f.Value) // as urfave/cli shows a string default
				}
				cmd.Flags[i] = &cli.GenericFlag{Name: f.Name, Aliases: f.Aliases, Usage: f.Usage, Required: f.Required,
					Hidden: f.Hidden, DefaultText: def, TakesFile: f.TakesFile, Category: f.Category,
					Value: &singleValue{name: f.Name, value: f.Value}}
			case *cli.IntFlag:
				cmd.Flags[i] = &cli.GenericFlag{Name: f.Name, Aliases: f.Aliases, Usage: f.Usage, Required: f.Required,
					Hidden: f.Hidden, DefaultText: strconv.Itoa(f.Value), Category: f.Category,
					Value: &singleValue{name: f.Name, value: strconv.Itoa(f.Value), parse: func(s string) error {
						if _, err := strconv.ParseInt(s, 0, strconv.IntSize); err != nil {
							return fmt.Errorf("not a whole number")
						}
						return nil
					}}}
			}
		}
		singleValueFlags(cmd.Subcommands)
	}
}

// repeatedFlag returns the single-value flag of c's command that was
// given twice, or nil.
func repeatedFlag(c *cli.Context) *singleValue {
	if c == nil || c.Command == nil {
		return nil
	}
	for _, f := range c.Command.Flags {
		if g, ok := f.(*cli.GenericFlag); ok {
			if v, ok := g.Value.(*singleValue); ok && v.repeated != nil {
				return v
			}
		}
	}
	return nil
}
