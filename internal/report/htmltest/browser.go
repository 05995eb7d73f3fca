package htmltest

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// interactive is true once the page has drawn its matrix and listens to
// the filters and the keyboard: the report marks that moment with the
// User Timing mark replcheck-interactive.
const interactive = `performance.getEntriesByName('replcheck-interactive').length > 0`

// Open loads url in the tab and waits until the report is interactive.
func Open(tab context.Context, url string) error {
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		return err
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](interactive, chromedp.WithPollingTimeout(time.Minute))); err != nil {
		return fmt.Errorf("%s did not become interactive: %w", url, err)
	}
	return nil
}

// Screenshot opens the report at url, opens the findings of its first
// failing cell, and returns the view as a PNG.
func Screenshot(tab context.Context, url string) ([]byte, error) {
	if err := Open(tab, url); err != nil {
		return nil, err
	}
	if err := chromedp.Do(tab,
		chromedp.Click(chromedp.CSS(`#matrix-body .cell[data-status="fail"]`)),
		chromedp.WaitVisible(chromedp.ID("panel")),
	); err != nil {
		return nil, err
	}
	return chromedp.Run(tab, chromedp.CaptureScreenshot())
}
