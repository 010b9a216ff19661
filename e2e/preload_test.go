package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// holdWASM pauses the browser's download of app.wasm until release is
// called, so a test can act on the pre-rendered page as a user on a slow
// phone would.
func holdWASM(t *testing.T, ctx context.Context) (release func()) {
	t.Helper()
	paused := make(chan fetch.RequestID, 1)
	lctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	go func() {
		for ev, err := range chromedp.Events(lctx, fetch.RequestPaused) {
			if err != nil {
				return
			}
			paused <- ev.RequestID
			return
		}
	}()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*app.wasm*"}},
	}); err != nil {
		t.Fatal(err)
	}
	return func() {
		id := <-paused
		if _, err := chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id}); err != nil {
			t.Fatal(err)
		}
		chromedp.Call(ctx, fetch.Disable, struct{}{})
	}
}

// While the WASM is still downloading, the pre-rendered form accepts
// typing, a branded progress bar shows instead of go-app's full-screen
// loader, an early submit waits, and the app keeps everything typed when it
// takes over, then creates the account.
func TestWidgetUsableBeforeWASM(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	s := StartSignup(t, "-homeserver", d.BaseURL, "-server-name", "localhost")
	ctx := NewBrowser(t)
	release := holdWASM(t, ctx)
	do(t, ctx, chromedp.Navigate(s.URL+"/"))

	if ready := eval[string](t, ctx, `document.getElementById("signup").dataset.ready`); ready != "false" {
		t.Fatalf("data-ready before the WASM = %q, want false", ready)
	}
	t.Run("the loader is a small bar, not go-app's overlay and icon", func(t *testing.T) {
		got := eval[[]string](t, ctx, `(() => {
			const l = document.getElementById("app-wasm-loader"), cs = getComputedStyle(l);
			return [cs.height, getComputedStyle(document.getElementById("app-wasm-loader-icon")).display, (l.querySelector("[role=progressbar]") || l).getAttribute("role") || ""];
		})()`)
		if h := strings.TrimSuffix(got[0], "px"); len(h) > 2 {
			t.Errorf("loader height = %s, want a thin bar", got[0])
		}
		if got[1] != "none" {
			t.Errorf("go-app's loader icon display = %s, want none", got[1])
		}
		if got[2] != "progressbar" {
			t.Errorf("loader role = %q, want progressbar", got[2])
		}
	})

	noscriptShown := `(() => { const n = document.getElementById("noscript"); return !!n && n.getClientRects().length > 0 })()`
	t.Run("with JavaScript on, the note that it is needed is not shown before the app", func(t *testing.T) {
		if eval[bool](t, ctx, noscriptShown) {
			t.Error("the no-JavaScript note is visible")
		}
	})

	fill(t, ctx, "frank", "typed before the app")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#form-error", "Still loading")
	if ready := eval[string](t, ctx, `document.getElementById("signup").dataset.ready`); ready != "false" {
		t.Fatalf("the app took over while its WASM was held")
	}

	release()
	waitReady(t, ctx)
	t.Run("nor after the app took over", func(t *testing.T) {
		if eval[bool](t, ctx, noscriptShown) {
			t.Error("the no-JavaScript note is visible")
		}
	})
	t.Run("the early submit goes through once the app is ready", func(t *testing.T) {
		waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
		if got := eval[string](t, ctx, `document.getElementById("user-id").textContent`); got != "@frank:localhost" {
			t.Errorf("user ID = %q", got)
		}
		if err := d.Login(t, "frank", "typed before the app"); err != nil {
			t.Error(err)
		}
	})
}

// What the user typed before the app took over stays in the fields.
func TestWidgetKeepsTypingAcrossTakeover(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	s := StartSignup(t, "-homeserver", d.BaseURL, "-server-name", "localhost")
	ctx := NewBrowser(t)
	release := holdWASM(t, ctx)
	do(t, ctx, chromedp.Navigate(s.URL+"/"))
	fill(t, ctx, "grace", "hopper hopper")
	release()
	waitReady(t, ctx)
	if v := values(t, ctx); v != [3]string{"grace", "hopper hopper", "hopper hopper"} {
		t.Errorf("form values after the takeover = %q", v)
	}
	if f := eval[string](t, ctx, `document.activeElement ? document.activeElement.id : ""`); f != "confirm" {
		t.Errorf("focused element after the takeover = %q, want confirm", f)
	}
	waitText(t, ctx, "#username-hint", "@grace:localhost")
}
