package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"signup/e2e/tesths"
)

// An account registered with the keyboard alone: Tab, Shift+Tab, Enter and
// Space (and typing), never a click nor a focus() call. The focus moves to
// the error that stopped a submit and to the first field of each new stage,
// and the focused element always shows a visible focus ring.
func TestKeyboardOnlyRegistration(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{
		Flows:              [][]string{{"m.login.terms", "m.login.registration_token", "m.login.dummy"}},
		Params:             termsParams,
		RegistrationTokens: []string{"good-token"},
	})
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	ctx := NewBrowser(t)
	do(t, ctx, chromedp.Navigate(s.URL+"/"))
	waitReady(t, ctx)

	t.Run("the form: Tab to the username, Enter on an empty form focuses its error", func(t *testing.T) {
		tabTo(t, ctx, "username", 4)
		checkFocusRing(t, ctx)
		press(t, ctx, kb.Enter)
		waitText(t, ctx, "#username-error", msg(t, "en", "username.empty"))
		expectFocus(t, ctx, "username")
	})

	t.Run("typing, the show/hide toggle with Space, Shift+Tab back", func(t *testing.T) {
		press(t, ctx, "kim")
		press(t, ctx, kb.Tab)
		expectFocus(t, ctx, "password")
		checkFocusRing(t, ctx)
		press(t, ctx, "a good long password")
		press(t, ctx, kb.Tab)
		expectFocus(t, ctx, "password-toggle")
		checkFocusRing(t, ctx)
		press(t, ctx, " ")
		waitJS(t, ctx, `document.getElementById("password").type === "text" && document.getElementById("password-toggle").getAttribute("aria-pressed") === "true"`, "Space to show the password")
		expectFocus(t, ctx, "password-toggle")
		press(t, ctx, " ")
		waitJS(t, ctx, `document.getElementById("password").type === "password" && document.getElementById("password-toggle").getAttribute("aria-pressed") === "false"`, "Space to hide the password again")
		shiftTab(t, ctx)
		expectFocus(t, ctx, "password")
		checkFocusRing(t, ctx)
		tabTo(t, ctx, "confirm", 3)
		press(t, ctx, "a good long")
	})

	t.Run("Enter on the submit button with a mismatch focuses the confirmation", func(t *testing.T) {
		tabTo(t, ctx, "submit", 3)
		checkFocusRing(t, ctx)
		press(t, ctx, kb.Enter)
		waitText(t, ctx, "#confirm-error", msg(t, "en", "confirm.mismatch"))
		expectFocus(t, ctx, "confirm")
		checkFocusRing(t, ctx)
		// The caret is where it was: the end of what was typed.
		press(t, ctx, " password")
		if v := values(t, ctx); v != [3]string{"kim", "a good long password", "a good long password"} {
			t.Fatalf("form values = %q", v)
		}
		tabTo(t, ctx, "submit", 3)
		press(t, ctx, kb.Enter)
	})

	t.Run("terms: the focus on the first box, Space ticks, Enter continues", func(t *testing.T) {
		waitJS(t, ctx, `document.querySelector('#stage[data-stage="m.login.terms"]') !== null`, "the terms stage")
		boxes := eval[[]string](t, ctx, `[...document.querySelectorAll("#terms input[type=checkbox]")].map(b => b.id)`)
		if len(boxes) != 2 {
			t.Fatalf("policy boxes = %q", boxes)
		}
		expectFocus(t, ctx, boxes[0])
		checkFocusRing(t, ctx)
		press(t, ctx, " ")
		waitJS(t, ctx, `document.getElementById(`+js(boxes[0])+`).checked`, "Space to tick the first box")
		tabTo(t, ctx, boxes[1], 3)
		press(t, ctx, " ")
		waitJS(t, ctx, `!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
		tabTo(t, ctx, "terms-continue", 3)
		checkFocusRing(t, ctx)
		press(t, ctx, kb.Enter)
	})

	t.Run("token: the focus on the field, then on its error", func(t *testing.T) {
		waitJS(t, ctx, `document.querySelector('#stage[data-stage="m.login.registration_token"]') !== null`, "the token stage")
		expectFocus(t, ctx, "token")
		checkFocusRing(t, ctx)
		press(t, ctx, "good"+kb.Enter)
		waitText(t, ctx, "#token-error", msg(t, "en", "token.invalid"))
		expectFocus(t, ctx, "token")
		press(t, ctx, "-token"+kb.Enter)
	})

	t.Run("success: the focus on the heading, Tab reaches the copy button, then the client buttons", func(t *testing.T) {
		waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
		expectFocus(t, ctx, "success-title")
		press(t, ctx, kb.Tab)
		expectFocus(t, ctx, "homeserver-copy")
		press(t, ctx, kb.Tab)
		waitJS(t, ctx, `document.activeElement.closest("#clients") !== null`, "Tab to reach the client buttons")
		checkFocusRing(t, ctx)
		if u := hs.Users(); len(u) != 1 || u[0] != "@kim:localhost" {
			t.Errorf("users = %q", u)
		}
	})
	noDialogs(t, ctx)
}

// press sends keys to whatever has the focus (chromedp.KeyEvent: no
// focus() call, no click).
func press(t *testing.T, ctx context.Context, keys string) {
	t.Helper()
	do(t, ctx, chromedp.KeyEvent(keys))
}

// shiftTab presses Shift+Tab.
func shiftTab(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
}

// tabTo presses Tab until the element id has the focus, at most max times.
func tabTo(t *testing.T, ctx context.Context, id string, max int) {
	t.Helper()
	var seen []string
	for range max {
		press(t, ctx, kb.Tab)
		f := activeID(t, ctx)
		if f == id {
			return
		}
		seen = append(seen, f)
	}
	t.Fatalf("%d Tabs did not reach #%s; the focus went to %q", max, id, seen)
}

// expectFocus waits briefly for the element id to have the focus.
func expectFocus(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	expectJS(t, ctx, `document.activeElement && document.activeElement.id === `+js(id), "the focus on #"+id, 5*time.Second)
}

// checkFocusRing asserts that the focused element matches :focus-visible
// and that its computed outline is drawn (a style and a width).
func checkFocusRing(t *testing.T, ctx context.Context) {
	t.Helper()
	got := eval[[4]string](t, ctx, `(() => { const e = document.activeElement, s = getComputedStyle(e);
		return [e.id || e.tagName, String(e.matches(":focus-visible")), s.outlineStyle, s.outlineWidth]; })()`)
	if got[1] != "true" || got[2] == "none" || got[2] == "" || strings.HasPrefix(got[3], "0") {
		t.Errorf("focus ring of %s: :focus-visible=%s outline-style=%s outline-width=%s, want a visible outline", got[0], got[1], got[2], got[3])
	}
}
