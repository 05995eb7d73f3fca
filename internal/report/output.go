package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Output is one report a run writes: a format and where it goes.
type Output struct {
	Format string
	// File is where the report goes; "" is standard output.
	File string
}

// Outputs reads the --format values (FORMAT or FORMAT=FILE) and --output
// into the reports a run writes. Each FORMAT=FILE writes that file; at
// most one FORMAT without a file goes to output, or to standard output
// when output is "". No --format at all means text.
func Outputs(formatFlags []string, output string) ([]Output, error) {
	if len(formatFlags) == 0 {
		formatFlags = []string{"text"}
	}
	var outs []Output
	var unnamed []string
	seen := map[string]string{}
	for _, spec := range formatFlags {
		name, file, hasFile := strings.Cut(spec, "=")
		if _, err := New(name, Options{}); err != nil {
			return nil, fmt.Errorf("--format %s: %w", spec, err)
		}
		if hasFile && file == "" {
			return nil, fmt.Errorf("--format %s: no file after \"=\"; write FORMAT=FILE, or FORMAT alone for %s", spec, outputName(output))
		}
		if !hasFile {
			unnamed = append(unnamed, spec)
			file = output
		}
		if file != "" {
			key := filepath.Clean(file)
			if prev, ok := seen[key]; ok {
				return nil, fmt.Errorf("--format %s and --format %s would both write %s", prev, spec, file)
			}
			seen[key] = spec
		}
		outs = append(outs, Output{Format: name, File: file})
	}
	if len(unnamed) > 1 {
		return nil, fmt.Errorf("--format %s and --format %s would both go to %s; give all but one a file: --format %s=FILE",
			unnamed[0], unnamed[1], outputName(output), unnamed[1])
	}
	if output != "" && len(unnamed) == 0 {
		return nil, fmt.Errorf("--output %s: every --format names its own file, so nothing would go there", output)
	}
	return outs, nil
}

// outputName names a report's destination in messages.
func outputName(file string) string {
	if file == "" {
		return "standard output"
	}
	return file
}

// WriteOutputs renders r in every output, then writes them: files first,
// standard output (stdout) last. Every report is rendered before any is
// written, so that a rendering error leaves no partial file. opt applies
// to the report on standard output; files never get colour.
func WriteOutputs(outs []Output, r *Report, stdout io.Writer, opt Options) error {
	rendered := make([][]byte, len(outs))
	for i, o := range outs {
		ropt := opt
		if o.File != "" {
			ropt.Color = false
		}
		rep, err := New(o.Format, ropt)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := rep.Write(&buf, r); err != nil {
			return fmt.Errorf("cannot render the %s report: %w", o.Format, err)
		}
		rendered[i] = buf.Bytes()
	}
	for _, toStdout := range []bool{false, true} {
		for i, o := range outs {
			if (o.File == "") != toStdout {
				continue
			}
			if err := write(o.File, rendered[i], stdout); err != nil {
				return err
			}
		}
	}
	return nil
}

// write writes data to file, or to stdout when file is "".
func write(file string, data []byte, stdout io.Writer) error {
	var err error
	if file == "" {
		_, err = stdout.Write(data)
	} else {
		err = os.WriteFile(file, data, 0o644)
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return &WriteError{File: outputName(file), Err: err}
	}
	return nil
}

// WriteError is a report that could not be written.
type WriteError struct {
	// File names the destination ("standard output" for stdout).
	File string
	Err  error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("cannot write the report to %s: %v", e.File, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }
