package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// An Arabic browser sees an Arabic, right-to-left page from the first
// paint: the server pre-renders in the language Accept-Language asks for
// (with lang and dir on <html>), the loader's "Still loading…" is Arabic
// too, and the page stays Arabic and rtl once the WASM took over.
func TestPrerenderInBrowserLanguage(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	ar := opCatalogue(t, "ar")
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	ctx := opBrowserLang(t, "ar-EG,ar")
	release := holdWASM(t, ctx)
	do(t, ctx, chromedp.Navigate(s.URL+"/"))

	check := func(t *testing.T, when string) {
		t.Helper()
		got := eval[langSeen](t, ctx, langJS)
		if got.Lang != "ar" || got.Dir != "rtl" || got.Title != ar["title"] || got.UsernameLabel != ar["username"] {
			t.Errorf("%s: page = %+v, want ar, rtl, %q, %q", when, got, ar["title"], ar["username"])
		}
		if d := eval[string](t, ctx, `getComputedStyle(document.getElementById("signup-form")).direction`); d != "rtl" {
			t.Errorf("%s: the form's direction = %q", when, d)
		}
		if title := eval[string](t, ctx, `document.title`); !strings.Contains(title, ar["title"]) {
			t.Errorf("%s: tab title %q", when, title)
		}
	}
	t.Run("before the WASM", func(t *testing.T) {
		if ready := eval[string](t, ctx, `document.getElementById("signup").dataset.ready`); ready != "false" {
			t.Fatalf("data-ready before the WASM = %q", ready)
		}
		check(t, "before the WASM")
		fill(t, ctx, "layla", "typed before the app")
		do(t, ctx, clickStable("submit"))
		waitText(t, ctx, "#form-error", ar["loading.pending"][:20])
	})
	release()
	waitReady(t, ctx)
	// The submit typed before the app ran goes out once it runs: the
	// account is made, and the welcome panel is in Arabic too.
	t.Run("after the WASM", func(t *testing.T) {
		waitJS(t, ctx, `document.getElementById("success") !== null`, "the pending submit's welcome panel")
		got := eval[[3]string](t, ctx, `[document.documentElement.lang, document.documentElement.dir, document.title]`)
		if got[0] != "ar" || got[1] != "rtl" || !strings.Contains(got[2], ar["success.title"]) {
			t.Errorf("after the WASM: lang, dir, title = %q, want ar, rtl, %q", got, ar["success.title"])
		}
		waitText(t, ctx, "#success-title", ar["success.title"])
	})
}
