package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"signup/e2e/webdriver"
)

// engineStep bounds one step of an engine smoke test: a browser that
// hangs fails that step, not the whole run.
const engineStep = 60 * time.Second

// engines are the browsers of the cross-engine smoke tests (Chromium has
// the full suite through chromedp).
var engines = []struct {
	name  string
	start func(context.Context, webdriver.Options) (webdriver.Browser, error)
}{
	{"firefox", webdriver.StartFirefox},
	{"webkit", webdriver.StartWebKit},
}

// forEachEngine runs f as a subtest per engine (TestX/firefox,
// TestX/webkit) with a fresh browser, and logs the engine's version and
// how long the subtest took.
func forEachEngine(t *testing.T, f func(t *testing.T, e *engineTab)) {
	for _, eng := range engines {
		t.Run(eng.name, func(t *testing.T) {
			began := time.Now()
			dir := t.TempDir()
			logPath := filepath.Join(dir, eng.name+".log")
			ctx, cancel := context.WithTimeout(context.Background(), engineStep)
			b, err := eng.start(ctx, webdriver.Options{Dir: dir, LogPath: logPath})
			cancel()
			if err != nil {
				t.Fatalf("starting %s failed: %v%s", eng.name, err, browserLog(logPath))
			}
			t.Cleanup(func() { b.Close() })
			t.Logf("engine: %s (%s)", b.Version(), eng.name)
			e := &engineTab{t: t, b: b, logPath: logPath}
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("console of the page:\n%s%s", strings.Join(b.Console(), "\n"), browserLog(logPath))
				}
				var warnings []string
				for _, m := range b.Console() {
					if strings.HasPrefix(m, "warn") {
						warnings = append(warnings, m)
					}
				}
				if len(warnings) > 0 {
					t.Logf("console warnings of the page:\n%s", strings.Join(warnings, "\n"))
				}
				t.Logf("%s took %s", eng.name, time.Since(began).Round(100*time.Millisecond))
			})
			f(t, e)
		})
	}
}

// browserLog is the end of a browser's log for a failure message, without
// the errors of the browser's own code (Firefox's resource:// modules),
// or "" when there is no log.
func browserLog(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var keep []string
	for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if !strings.Contains(l, "resource://") {
			keep = append(keep, l)
		}
	}
	if len(keep) > 30 {
		keep = keep[len(keep)-30:]
	}
	return "\nlast lines of the browser's log " + path + ":\n" + strings.Join(keep, "\n")
}

// engineTab is the page of one engine in one smoke test. Its methods fail
// the test when a step fails or takes longer than engineStep.
type engineTab struct {
	t       *testing.T
	b       webdriver.Browser
	logPath string
}

// do runs one step with its own deadline.
func (e *engineTab) do(what string, f func(ctx context.Context) error) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), engineStep)
	defer cancel()
	if err := f(ctx); err != nil {
		e.t.Fatalf("%s in %s failed: %v\npage text: %s", what, e.b.Engine(), err, e.pageText())
	}
}

// pageText is the page's visible text, for failure messages.
func (e *engineTab) pageText() string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var s string
	if err := e.b.Eval(ctx, `document.body ? document.body.innerText : ""`, &s); err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return s
}

// open loads url and waits until the WASM app has taken over the form.
func (e *engineTab) open(url string) {
	e.t.Helper()
	e.do("opening "+url, func(ctx context.Context) error { return e.b.Navigate(ctx, url) })
	e.waitReady()
}

// waitReady waits for the app's readiness signal (data-ready on #signup).
func (e *engineTab) waitReady() {
	e.t.Helper()
	e.wait(`document.querySelector('#signup[data-ready="true"]') !== null`, "the app to take over the form")
}

// wait waits until a JavaScript expression is truthy.
func (e *engineTab) wait(expr, what string) {
	e.t.Helper()
	e.do("waiting for "+what, func(ctx context.Context) error { return webdriver.Wait(ctx, e.b, expr) })
}

// waitText waits until the element matching css contains substr.
func (e *engineTab) waitText(css, substr string) {
	e.t.Helper()
	e.wait(`(() => { const e = document.querySelector(`+js(css)+`); return !!e && e.textContent.includes(`+js(substr)+`); })()`,
		css+" to say "+js(substr))
}

// typeInto types text into the element matching css.
func (e *engineTab) typeInto(css, text string) {
	e.t.Helper()
	e.do("typing into "+css, func(ctx context.Context) error {
		el, err := e.b.Find(ctx, css)
		if err != nil {
			return err
		}
		return el.Type(ctx, text)
	})
}

// click clicks the element matching css once its position has not moved
// for a polling interval (a status line appearing under a field moves the
// buttons below it), and clicks once more if the click did not reach it
// (never after one that did), as clickStable does in Chromium.
func (e *engineTab) click(css string) {
	e.t.Helper()
	el := `document.querySelector(` + js(css) + `)`
	e.wait(`(() => { const e = `+el+`; if (!e) return false;
		const r = e.getBoundingClientRect(), k = r.top + "," + r.left + "," + r.width;
		const prev = e.__engineRect; e.__engineRect = k; return prev === k; })()`, css+" to stay in place")
	e.eval(`(() => { window.__engineGotClick = false;
		`+el+`.addEventListener("click", () => { window.__engineGotClick = true; }, {once: true, capture: true}); })()`, nil)
	clickOnce := func() {
		e.do("clicking "+css, func(ctx context.Context) error {
			el, err := e.b.Find(ctx, css)
			if err != nil {
				return err
			}
			return el.Click(ctx)
		})
	}
	clickOnce()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if webdriver.Wait(ctx, e.b, `window.__engineGotClick === true`) != nil {
		e.t.Logf("the click on %s did not reach it; clicking again", css)
		clickOnce()
	}
}

// text returns the textContent of the element matching css.
func (e *engineTab) text(css string) string {
	e.t.Helper()
	var s string
	e.do("reading "+css, func(ctx context.Context) error {
		el, err := e.b.Find(ctx, css)
		if err != nil {
			return err
		}
		s, err = el.Text(ctx)
		return err
	})
	return s
}

// eval decodes the value of a JavaScript expression into out.
func (e *engineTab) eval(expr string, out any) {
	e.t.Helper()
	e.do("evaluating "+expr, func(ctx context.Context) error { return e.b.Eval(ctx, expr, out) })
}

// fill types a username and the password twice, as a user would, and
// waits until the availability check has said the name is free.
func (e *engineTab) fill(username, password string) {
	e.t.Helper()
	e.typeInto("#username", username)
	e.typeInto("#password", password)
	e.typeInto("#confirm", password)
	e.waitText("#username-status", username+" is available")
}

// noConsoleErrors fails the test for console errors the page logged.
func (e *engineTab) noConsoleErrors() {
	e.t.Helper()
	for _, m := range e.b.Console() {
		if strings.HasPrefix(m, "error") {
			e.t.Errorf("the page logged in %s: %s", e.b.Engine(), m)
		}
	}
}
