package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// noiseHookJS keeps every console.error and console.warn the page's own
// code makes, and every uncaught error, in window.__noise.
const noiseHookJS = `(() => {
	window.__noise = [];
	for (const k of ["error", "warn"]) {
		const orig = console[k];
		console[k] = function (...args) {
			try { window.__noise.push(k + ": " + args.map(String).join(" ")); } catch (e) {}
			return orig.apply(this, args);
		};
	}
	addEventListener("error", e => window.__noise.push("uncaught: " + e.message));
	addEventListener("unhandledrejection", e => window.__noise.push("unhandled rejection: " + e.reason));
})()`

// A sign-up with nothing wrong leaves no error or warning in the console
// that the page wrote itself. The browser's own lines for the expected
// answers (the 404 of auth_metadata and password_policy on a server
// without them, the first 401 of /register) are network entries, and fine.
func TestConsoleQuietWhenNothingIsWrong(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	ctx := NewBrowser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: noiseHookJS}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(s.URL+"/"))
	waitReady(t, ctx)
	fill(t, ctx, "quinn", "a good long password")
	waitText(t, ctx, "#username-status", "is available")
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	noise := eval[[]string](t, ctx, `window.__noise`)
	for _, e := range ConsoleErrors(ctx) {
		if !strings.Contains(e, "[network]") {
			noise = append(noise, e)
		}
	}
	if len(noise) > 0 {
		t.Errorf("the page logged, with nothing wrong:\n%s", strings.Join(noise, "\n"))
	}
}
