// Package chromium starts headless Chromium, Debian's package at
// /usr/bin/chromium, for the browser tests, benchmarks and screenshots of
// replcheck's HTML report. The browser runs with a fresh profile and with
// the flags that keep it from reaching for the network, which on this
// project's machines is closed.
package chromium

import (
	"context"
	"errors"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// ErrMissing means no Chromium binary was found.
var ErrMissing = errors.New("chromium is not installed (apt-get install chromium; .ci/run installs it when missing)")

// Path returns the Chromium binary: $CHROMIUM when set, else
// /usr/bin/chromium, else chromium on PATH.
func Path() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	const debian = "/usr/bin/chromium"
	if _, err := os.Stat(debian); err == nil {
		return debian, nil
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", ErrMissing
}

// Required reports whether a missing Chromium must fail the tests (in CI,
// CI=true) rather than skip them.
func Required() bool { return os.Getenv("CI") == "true" }

// Options are the browser's flags besides its profile and window size:
// headless, no sandbox (CI runs as root), no GPU, and none of the first
// run, background networking, component updates or sync that would try to
// reach outside hosts.
func Options(path string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
}

// Start starts a browser with a fresh profile and a window of width ×
// height pixels. Actions run on the returned context go to its first tab;
// chromedp.NewContext on it opens more. stop ends the browser and removes
// the profile.
func Start(ctx context.Context, width, height int) (tab context.Context, stop func(), err error) {
	path, err := Path()
	if err != nil {
		return nil, nil, err
	}
	profile, err := os.MkdirTemp("", "replcheck-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(Options(path), chromedp.UserDataDir(profile), chromedp.WindowSize(width, height))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	stop = func() {
		cancelTab()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	if err := chromedp.Do(tab); err != nil { // starts the browser
		stop()
		return nil, nil, err
	}
	return tab, stop, nil
}
