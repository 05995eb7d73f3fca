// Command screenshot renders the HTML report of the fixtures' audit world
// (internal/report/htmltest) in headless Chromium, opens the findings of
// its first failing cell, and saves the view as a PNG: the picture of the
// report in README.md. Run it from the module root with 'make screenshot'.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/replcheck/replcheck/internal/chromium"
	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/report/htmltest"
)

func main() {
	out := flag.String("out", "docs/html-report.png", "the `PNG` file to write")
	fixtures := flag.String("fixtures", "fixtures", "the fixtures `directory`")
	flag.Parse()
	if err := run(*out, *fixtures); err != nil {
		fmt.Fprintln(os.Stderr, "screenshot:", err)
		os.Exit(1)
	}
}

func run(out, fixtures string) error {
	r, err := htmltest.Audit(fixtures)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "replcheck-screenshot-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	if err != nil {
		return err
	}
	err = report.HTML{Generated: time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)}.Write(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tab, stop, err := chromium.Start(ctx, 1920, 1080)
	if err != nil {
		return err
	}
	defer stop()
	png, err := htmltest.Screenshot(tab, "file://"+page)
	if err != nil {
		return err
	}
	return os.WriteFile(out, png, 0o644)
}
