// Package motoserver runs a moto server (an AWS emulator, preinstalled on
// this project's machines) for end-to-end tests and benchmarks: on a free
// loopback port, polled until ready, reset between tests, and killed with
// its process group at the end.
package motoserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Server is a running moto server.
type Server struct {
	// Endpoint is the server's base URL, http://127.0.0.1:PORT.
	Endpoint string
	// LogFile holds the server's request log.
	LogFile string
	cmd     *exec.Cmd
	done    chan struct{}
}

// ErrMissing means moto_server is not installed.
var ErrMissing = errors.New("moto_server is not installed (it is part of this project's machine image: pip package moto 5.2.1 with Flask)")

// Start starts moto_server on a free loopback port and waits until it
// answers. logDir receives its log.
func Start(ctx context.Context, logDir string) (*Server, error) {
	argv, err := command()
	if err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // the free port may be taken before moto binds it
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		log := filepath.Join(logDir, fmt.Sprintf("moto-%d.log", port))
		lf, err := os.Create(log)
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(argv[0], append(argv[1:], "-H", "127.0.0.1", "-p", strconv.Itoa(port))...)
		cmd.Stdout, cmd.Stderr = lf, lf
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Env = withoutVar(os.Environ(), "MOTO_ACCOUNT_ID") // it would pin every request to one account
		if err := cmd.Start(); err != nil {
			lf.Close()
			return nil, fmt.Errorf("start %s: %w", argv[0], err)
		}
		s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), LogFile: log, cmd: cmd, done: make(chan struct{})}
		go func() {
			_ = cmd.Wait()
			lf.Close()
			close(s.done)
		}()
		if lastErr = s.waitReady(ctx, 30*time.Second); lastErr == nil {
			return s, nil
		}
		s.Stop()
	}
	return nil, fmt.Errorf("moto_server did not become ready: %w", lastErr)
}

// command finds moto_server, or python3 -m moto.server.
func command() ([]string, error) {
	if bin, err := exec.LookPath("moto_server"); err == nil {
		return []string{bin}, nil
	}
	if py, err := exec.LookPath("python3"); err == nil {
		if exec.Command(py, "-c", "import moto.server").Run() == nil {
			return []string{py, "-m", "moto.server"}, nil
		}
	}
	return nil, ErrMissing
}

func (s *Server) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return errors.New("moto_server exited during start-up; see " + s.LogFile)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
		resp, err := http.Get(s.Endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("no answer from %s within %s", s.Endpoint, limit)
}

// Reset wipes every account and Region.
func (s *Server) Reset() error {
	resp, err := http.Post(s.Endpoint+"/moto-api/reset", "application/json", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("moto reset: HTTP %d", resp.StatusCode)
	}
	return nil
}

// Stop terminates the server's process group, killing it after 3 s.
func (s *Server) Stop() {
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(3 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.done
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func withoutVar(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// Required reports whether a missing moto must fail tests rather than skip
// them: in CI (CI=true), a green run must not hide a missing emulator.
func Required() bool { return os.Getenv("CI") == "true" }
