package e2e

import (
	"testing"

	"signup/e2e/tesths"
)

// ltrOrderJS reports whether the text of the element (its first text
// node) is laid out left to right on screen: its first character is left
// of its last one. In an Arabic page "@name:localhost" must not come out
// as "name:localhost@".
const ltrOrderJS = `((sel) => {
	const el = document.querySelector(sel);
	if (!el) return "missing " + sel;
	const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
	const n = walk.nextNode();
	if (!n || n.data.length < 2) return "no text in " + sel;
	const box = (i) => { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1); return r.getBoundingClientRect(); };
	const first = box(0), last = box(n.data.length - 1);
	return first.left < last.left ? "ltr" : "rtl (" + JSON.stringify(n.data) + ": first char at " + first.left + ", last at " + last.left + ")";
})`

// In Arabic the page is right to left, but what is written left to right
// stays so: the username box, and the new user ID on the welcome panel.
// The operator's texts given per language show in the user's language.
func TestLangRTLValuesStayLeftToRight(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	cfg := opBaseConfig(hs.URL)
	cfg["texts"] = map[string]any{
		"title": map[string]any{"en": "Join Acme", "de": "Acme beitreten", "ar": "انضم إلى Acme"},
		"intro": map[string]any{"en": "Welcome to Acme.", "de": "Willkommen bei Acme."},
	}
	cfg["brand"] = map[string]any{"name": "Acme"}
	s := StartSignup(t, "-config", opWriteConfig(t, cfg))

	t.Run("German: the operator's German title and intro", func(t *testing.T) {
		ctx := opBrowserLang(t, "de-DE,de")
		opOpen(t, ctx, s.URL+"/")
		waitJS(t, ctx, `document.documentElement.lang === "de"`, "the German page")
		got := eval[[2]string](t, ctx, `[document.getElementById("form-title").textContent, document.querySelector("#signup-form .intro").textContent]`)
		if got != [2]string{"Acme beitreten", "Willkommen bei Acme."} {
			t.Errorf("title and intro = %q, want the German ones", got)
		}
	})

	t.Run("Arabic", func(t *testing.T) {
		ctx := opBrowserLang(t, "ar-EG,ar")
		opOpen(t, ctx, s.URL+"/")
		waitJS(t, ctx, `document.documentElement.dir === "rtl"`, "the Arabic page")
		// (An operator text is isolated in an Arabic page: U+2068…U+2069.)
		if got := eval[string](t, ctx, `document.getElementById("form-title").textContent.replace(/[\u2068\u2069]/g, "")`); got != "انضم إلى Acme" {
			t.Errorf("title = %q, want the Arabic one", got)
		}
		if d := eval[string](t, ctx, `getComputedStyle(document.getElementById("username")).direction`); d != "ltr" {
			t.Errorf("the username box's direction = %q, want ltr", d)
		}
		opRegister(t, ctx, "rania")
		if got := eval[string](t, ctx, `document.getElementById("user-id").textContent`); got != "@rania:localhost" {
			t.Fatalf("user ID = %q", got)
		}
		if got := eval[string](t, ctx, ltrOrderJS+`("#user-id")`); got != "ltr" {
			t.Errorf("the user ID on the welcome panel is laid out %s", got)
		}
		if got := eval[string](t, ctx, ltrOrderJS+`("#homeserver-url")`); got != "ltr" {
			t.Errorf("the homeserver address is laid out %s", got)
		}
		noDialogs(t, ctx)
	})
}
