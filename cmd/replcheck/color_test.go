//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal and returns its master and slave ends.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal to test with: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}

// TestColorOnlyOnATerminal checks that text has ANSI escape codes only on a
// terminal, and not with NO_COLOR, nor in a pipe, a file or /dev/null
// (a character device that is no terminal).
func TestColorOnlyOnATerminal(t *testing.T) {
	master, slave := openPTY(t)
	t.Setenv("NO_COLOR", "")
	if !colorful(slave) {
		t.Error("a terminal without NO_COLOR gets no colour")
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	_, pipe, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pipe.Close()
	file, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, w := range map[string]io.Writer{"/dev/null": devNull, "a pipe": pipe, "a file": file, "a buffer": &bytes.Buffer{}} {
		if colorful(w) {
			t.Errorf("%s gets colour", name)
		}
	}

	snap := "../../fixtures/base/same-account.json"
	if out := runOnTerminal(t, master, slave, "preflight", "--snapshot", snap); !strings.Contains(out, "\x1b[32mPASS") {
		t.Errorf("preflight on a terminal has no coloured PASS:\n%q", out)
	}
	t.Setenv("NO_COLOR", "1")
	if colorful(slave) {
		t.Error("NO_COLOR=1 still gets colour")
	}
	master2, slave2 := openPTY(t)
	if out := runOnTerminal(t, master2, slave2, "preflight", "--snapshot", snap); strings.Contains(out, "\x1b[") || !strings.Contains(out, "PASS") {
		t.Errorf("preflight with NO_COLOR on a terminal:\n%q", out)
	}
}

// runOnTerminal runs replcheck with standard output on the terminal's
// slave end and returns what the master end read.
func runOnTerminal(t *testing.T, master, slave *os.File, args ...string) string {
	t.Helper()
	read := make(chan string)
	go func() {
		var buf bytes.Buffer
		io.Copy(&buf, master) // ends with EIO once the slave is closed
		read <- buf.String()
	}()
	var stderr bytes.Buffer
	if code := run(append([]string{"replcheck"}, args...), strings.NewReader(""), slave, &stderr); code != 0 {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	slave.Close()
	return <-read
}
