package chromium

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

func TestPathPrefersTheEnvironment(t *testing.T) {
	t.Setenv("CHROMIUM", "/opt/elsewhere/chromium")
	if p, err := Path(); err != nil || p != "/opt/elsewhere/chromium" {
		t.Errorf("Path() = %q, %v; want $CHROMIUM", p, err)
	}
}

// TestStartFlags starts the browser and asks it for its command line: the
// flags that keep it off the network are there, and its profile is fresh
// and removed when it stops.
func TestStartFlags(t *testing.T) {
	if _, err := Path(); errors.Is(err, ErrMissing) && !Required() {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tab, stop, err := Start(ctx, 800, 600)
	if err != nil {
		t.Fatal(err)
	}
	res, err := chromedp.CallBrowser(tab, browser.GetBrowserCommandLine, cdp.Empty{})
	if err != nil {
		stop()
		t.Fatal(err)
	}
	args := res.Arguments
	for _, want := range []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync"} {
		if !slices.ContainsFunc(args, func(a string) bool { return a == want || strings.HasPrefix(a, want+"=") }) {
			t.Errorf("command line lacks %s: %q", want, args)
		}
	}
	var profile string
	for _, a := range args {
		if p, ok := strings.CutPrefix(a, "--user-data-dir="); ok {
			profile = p
		}
	}
	if !strings.Contains(profile, "replcheck-chromium-") {
		t.Fatalf("profile %q is not a fresh one of ours", profile)
	}
	stop()
	if _, err := os.Stat(profile); !os.IsNotExist(err) {
		t.Errorf("profile %s still there after stop (%v)", profile, err)
	}
}
