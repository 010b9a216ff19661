package e2e

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPathEnv names the environment variable that overrides the path of
// the browser, /usr/bin/chromium by default.
const ChromiumPathEnv = "CHROMIUM_PATH"

// browserStartTimeout bounds the start of the browser and of a tab.
const browserStartTimeout = 60 * time.Second

// ChromiumOptions are the flags every headless Chromium of the project
// runs with (tests, benchmark, screenshots): a fresh profile, no sandbox,
// no GPU, and none of Chromium's own background traffic, which this
// machine's closed network would refuse. out receives its output.
func ChromiumOptions(exe, profile string, out io.Writer) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(out),
	)
}

// NewBrowser starts a headless Chromium with a fresh profile and returns the
// chromedp context of its first tab. The tab records JavaScript dialogs,
// which it dismisses, and console errors: see [Dialogs] and [ConsoleErrors].
// The browser stops when the test ends.
func NewBrowser(t testing.TB) context.Context {
	t.Helper()
	exe := os.Getenv(ChromiumPathEnv)
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	profile := t.TempDir()
	output, err := os.Create(filepath.Join(t.TempDir(), "chromium.log"))
	if err != nil {
		t.Fatal(err)
	}
	opts := ChromiumOptions(exe, profile, output)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc() // waits for the browser to exit
		output.Close()
		// Helpers of Chromium can outlive it and write to the profile,
		// which would make the removal of t.TempDir fail.
		killProfileLeftovers(profile)
	})
	if err := startTab(ctx); err != nil {
		t.Fatalf("starting %s: %v\nlast lines of its output:\n%s", exe, err, tailFile(output.Name(), 40))
	}
	return record(ctx)
}

// NewTab opens a new tab in the browser of browserCtx, which NewBrowser
// returned, and returns its context. The tab records dialogs and console
// errors of its own. It closes when the test ends.
func NewTab(t testing.TB, browserCtx context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	if err := startTab(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return record(ctx)
}

// startTab starts the browser and the tab of ctx. The first run must have no
// timeout, since its context lives as long as the browser, so it runs in a
// goroutine and the wait is bounded here instead.
func startTab(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err := <-done:
		return err
	case <-time.After(browserStartTimeout):
		// The cleanup of the test cancels the context and kills the
		// browser.
		return context.DeadlineExceeded
	}
}
