package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/internal/policycase"
	"github.com/replcheck/replcheck/internal/report"
)

// policyCommand groups the policy subcommands.
func policyCommand(stdin io.Reader) *cli.Command {
	return &cli.Command{
		Name:  "policy",
		Usage: "work with IAM policies locally",
		Subcommands: []*cli.Command{
			policyEvalCommand(stdin),
			policyGenerateCommand(),
		},
		Action:       helpOrUnknown,
		OnUsageError: onUsageError,
	}
}

const policyEvalDescription = `Evaluates IAM authorization cases locally, the way AWS decides them: identity
policies, a resource policy (a KMS key policy when the resource is a key),
a permissions boundary, SCPs and RCPs per organization level, and a session
policy. Reads FILE, or standard input when FILE is - or absent: one case
object or an array of them. Writes a JSON array with one result per case, in
input order.

The exit code is 0 when every case was evaluated, whatever the decisions, and
2 when the input or any case is malformed; the other cases are still printed.

Example:

   $ cat case.json
   {
     "id": "dst-put",
     "request": {
       "principal": "arn:aws:iam::111122223333:role/replication-role",
       "action": "s3:ReplicateObject",
       "resource": "arn:aws:s3:::dst-bucket/photos/a.jpg"
     },
     "identityPolicies": [{"Version": "2012-10-17", "Statement": [
       {"Sid": "Replicate", "Effect": "Allow", "Action": "s3:ReplicateObject",
        "Resource": "arn:aws:s3:::dst-bucket/*"}]}]
   }
   $ replcheck policy eval case.json
   [
     {
       "id": "dst-put",
       "decision": "allowed",
       "matched": [
         {
           "policy": "identity",
           "policyIndex": 0,
           "statement": 0,
           "sid": "Replicate",
           "effect": "Allow"
         }
       ],
       "reason": "allowed"
     }
   ]`

// policyEvalCommand is `replcheck policy eval [FILE|-]`.
func policyEvalCommand(stdin io.Reader) *cli.Command {
	return &cli.Command{
		Name:         "eval",
		Usage:        "decide IAM authorization cases with the local policy evaluator",
		ArgsUsage:    "[FILE|-]",
		Description:  policyEvalDescription,
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return usageError(fmt.Errorf("too many arguments: want at most one FILE, got %d", c.NArg()),
					"put several cases in one file as a JSON array")
			}
			return policyEval(c.Args().First(), stdin, c.App.Writer)
		},
	}
}

// policyEval evaluates the cases in file ("" or "-" for stdin) and writes
// their results to stdout.
func policyEval(file string, stdin io.Reader, stdout io.Writer) error {
	name, data, err := readInput(file, stdin)
	if err != nil {
		return err
	}
	cases, err := policycase.Parse(data)
	if err != nil {
		return usageError(fmt.Errorf("%s: %w", name, err),
			"the input must be one policy eval case (a JSON object) or a JSON array of them; see 'replcheck policy eval --help'")
	}
	outputs := make([]policycase.Output, len(cases))
	var errs []error
	for i, c := range cases {
		outputs[i] = c.Evaluate()
		var notACase *policycase.NotACaseError
		switch {
		case errors.As(c.Err, &notACase):
			errs = append(errs, fmt.Errorf("%s: case %d: %w", name, i, notACase.Err)) // its path names the index already
		case c.Err != nil:
			errs = append(errs, fmt.Errorf("%s: case %d%s: %w", name, i, idSuffix(c.ID), c.Err))
		}
	}
	if err := report.WriteJSON(stdout, outputs); err != nil {
		return usageError(fmt.Errorf("cannot write results: %w", err))
	}
	if len(errs) > 0 {
		return usageError(errors.Join(errs...),
			fmt.Sprintf("fix the malformed cases; the other %d were evaluated and printed", len(cases)-len(errs)))
	}
	return nil
}

// readInput reads file, or stdin when file is "" or "-", and returns the name
// to use in messages.
func readInput(file string, stdin io.Reader) (string, []byte, error) {
	if file == "" || file == "-" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return "", nil, usageError(fmt.Errorf("cannot read standard input: %w", err))
		}
		return "standard input", data, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", nil, usageError(fmt.Errorf("cannot read %s: %w", file, err),
			"check the path, or pass - to read the cases from standard input")
	}
	return file, data, nil
}

// idSuffix renders a case id for messages.
func idSuffix(id string) string {
	if id == "" {
		return ""
	}
	return fmt.Sprintf(" (id %q)", id)
}
