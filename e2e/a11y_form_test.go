package e2e

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"signup/e2e/tesths"
)

// The form's screens, each checked by axe-core in the light and the dark
// theme, in English and in Arabic (right to left), with what a screen
// reader relies on: labels, descriptions (aria-describedby), aria-invalid,
// live regions, and focus on the error that stopped a submit.
func TestA11yFormScreens(t *testing.T) {
	for _, l := range a11yLangs {
		t.Run(l.Name, func(t *testing.T) {
			// The test homeserver on a listener this test can close, for
			// the "server unreachable" screen.
			hs := tesths.New(tesths.Config{})
			ts := httptest.NewServer(hs)
			hs.URL = ts.URL
			t.Cleanup(ts.Close)
			hs.AddUser("taken", "some password 123")
			s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
			ctx := openWidget(t, s, l.Accept, "/")
			lang := l.Lang

			t.Run("empty form", func(t *testing.T) {
				checkLangDir(t, ctx, l.Lang, l.Dir)
				checkFormSemantics(t, ctx)
				if got, want := eval[string](t, ctx, `document.querySelector("#signup-form h1").textContent`), msg(t, lang, "title"); got != want {
					t.Errorf("form heading = %q, want %q", got, want)
				}
				if title := eval[string](t, ctx, `document.title`); !strings.Contains(title, msg(t, lang, "title")) {
					t.Errorf("page title = %q, want it to contain %q", title, msg(t, lang, "title"))
				}
				checkAxe(t, ctx, "the empty form")
			})

			t.Run("live availability status", func(t *testing.T) {
				typeInto(t, ctx, "username", "alice")
				waitText(t, ctx, "#username-status", msg(t, lang, "username.available", "alice"))
				if !liveRegion(t, ctx, "username-status") {
					t.Error("#username-status (availability) is not in a live region")
				}
				if d := describedBy(t, ctx, "username"); !strings.Contains(d, msg(t, lang, "username.available", "alice")) {
					t.Errorf("username is described by %q, want the availability status", d)
				}
				checkAxe(t, ctx, "the form with the availability status")
			})

			t.Run("capitals", func(t *testing.T) {
				clearInput(t, ctx, "username")
				typeInto(t, ctx, "username", "Taken")
				waitText(t, ctx, "#username-error", msg(t, lang, "username.upper", "taken"))
				checkFieldError(t, ctx, "username", msg(t, lang, "username.upper", "taken"))
				checkAxe(t, ctx, "the form with capitals in the username")
			})

			t.Run("taken username", func(t *testing.T) {
				click(t, ctx, "username-lower")
				waitText(t, ctx, "#username-error", msg(t, lang, "username.taken"))
				checkFieldError(t, ctx, "username", msg(t, lang, "username.taken"))
				checkAxe(t, ctx, "the form with a taken username")
			})

			t.Run("strength meter and mismatch", func(t *testing.T) {
				clearInput(t, ctx, "username")
				typeInto(t, ctx, "username", "weakling")
				waitText(t, ctx, "#username-status", msg(t, lang, "username.available", "weakling"))
				typeInto(t, ctx, "password", "abc")
				waitJS(t, ctx, `document.getElementById("password-meter") !== null`, "the strength meter")
				// The meter is drawn for the eyes; its value is spoken by
				// the live strength line instead.
				if m := eval[[5]string](t, ctx, `["tagName", "min", "max", "value", "aria-hidden"].map(a => { const e = document.getElementById("password-meter");
					return a === "tagName" ? e.tagName : e.getAttribute(a) || ""; })`); m[0] != "METER" || m[1] != "0" || m[2] != "4" || m[3] == "" || m[4] != "true" {
					t.Errorf("strength meter = %q, want a <meter min=0 max=4 value aria-hidden=true>", m)
				}
				if !liveRegion(t, ctx, "password-status") {
					t.Error("the password strength (#password-status) is not in a live region")
				}
				if d := describedBy(t, ctx, "password"); !strings.Contains(d, msg(t, lang, "strength.label", msg(t, lang, "strength.0"))) &&
					!strings.Contains(d, msg(t, lang, "strength.label", msg(t, lang, "strength.1"))) {
					t.Errorf("password is described by %q, want the strength in words", d)
				}
				checkAxe(t, ctx, "the form with the strength meter")
				typeInto(t, ctx, "confirm", "abd\r")
				waitText(t, ctx, "#confirm-error", msg(t, lang, "confirm.mismatch"))
				checkFieldError(t, ctx, "confirm", msg(t, lang, "confirm.mismatch"))
				if f := activeID(t, ctx); f != "confirm" {
					t.Errorf("focus after the mismatch = %q, want confirm", f)
				}
				checkAxe(t, ctx, "the form with mismatched passwords")
			})

			t.Run("weak password (the server's M_WEAK_PASSWORD)", func(t *testing.T) {
				clearInput(t, ctx, "confirm")
				typeInto(t, ctx, "confirm", "abc\r")
				waitText(t, ctx, "#password-error", msg(t, lang, "password.weak"))
				checkFieldError(t, ctx, "password", msg(t, lang, "password.weak"))
				if f := activeID(t, ctx); f != "password" {
					t.Errorf("focus after the weak password = %q, want password", f)
				}
				checkAxe(t, ctx, "the form with a weak password")
			})

			t.Run("rate-limit countdown", func(t *testing.T) {
				clearInput(t, ctx, "password")
				clearInput(t, ctx, "confirm")
				typeInto(t, ctx, "password", "a good long password")
				typeInto(t, ctx, "confirm", "a good long password")
				hs.RateLimit("/_matrix/client/v3/register", 1, 4*time.Second)
				click(t, ctx, "submit")
				waitText(t, ctx, "#form-error", msg(t, lang, "ratelimited"))
				if !eval[bool](t, ctx, `document.getElementById("submit").disabled`) {
					t.Error("the submit button is enabled during the countdown")
				}
				checkFormAlert(t, ctx, lang)
				checkCountdownAnnounced(t, ctx, "submit-status")
				checkAxe(t, ctx, "the form during the rate-limit countdown")
				waitJS(t, ctx, `!document.getElementById("submit").disabled`, "the countdown to end")
			})

			t.Run("server unreachable", func(t *testing.T) {
				ts.CloseClientConnections()
				ts.Close()
				click(t, ctx, "submit")
				waitText(t, ctx, "#form-error", msg(t, lang, "unreachable", strings.TrimPrefix(hs.URL, "http://")))
				checkFormAlert(t, ctx, lang)
				if v := values(t, ctx); v != [3]string{"weakling", "a good long password", "a good long password"} {
					t.Errorf("the form lost what was typed: %q", v)
				}
				checkAxe(t, ctx, "the form with the server unreachable")
			})
			noDialogs(t, ctx)
		})
	}
}

// "Creating your account…": the busy state is announced by a live region
// and passes axe, in both languages and themes.
func TestA11yCreatingYourAccount(t *testing.T) {
	for _, l := range a11yLangs {
		t.Run(l.Name, func(t *testing.T) {
			hs := tesths.StartHostile(t, tesths.Config{}, tesths.AttackNeverEnding)
			s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
			ctx := openWidget(t, s, l.Accept, "/")
			fill(t, ctx, "busy", "a good long password")
			click(t, ctx, "submit")
			waitText(t, ctx, "#submit-status", msg(t, l.Lang, "submitting"))
			if !liveRegion(t, ctx, "submit-status") {
				t.Error("#submit-status (creating your account) is not a live region")
			}
			if b := eval[string](t, ctx, `document.getElementById("submit").getAttribute("aria-busy")`); b != "true" {
				t.Errorf("submit aria-busy = %q while the request runs", b)
			}
			checkAxe(t, ctx, "the form while the account is created")
		})
	}
}

// checkFormSemantics asserts what screen readers, password managers and
// phones rely on in the form: labelled inputs with the right autocomplete,
// descriptions, the username typed as is, paste allowed, a show/hide
// toggle, and one h1.
func checkFormSemantics(t *testing.T, ctx context.Context) {
	t.Helper()
	type input struct {
		ID, Type, Label, AutoComplete, InputMode, AutoCapitalize, AutoCorrect, Spellcheck, DescribedBy, Invalid string
	}
	got := eval[[]input](t, ctx, `["username","password","confirm"].map(id => { const e = document.getElementById(id);
		return {ID: id, Type: e.type, Label: e.labels.length ? e.labels[0].textContent : "",
			AutoComplete: e.getAttribute("autocomplete") || "", InputMode: e.getAttribute("inputmode") || "",
			AutoCapitalize: e.getAttribute("autocapitalize") || "", AutoCorrect: e.getAttribute("autocorrect") || "",
			Spellcheck: e.getAttribute("spellcheck") || "", DescribedBy: e.getAttribute("aria-describedby") || "",
			Invalid: e.getAttribute("aria-invalid") || ""}; })`)
	want := map[string]struct{ typ, ac string }{
		"username": {"text", "username"}, "password": {"password", "new-password"}, "confirm": {"password", "new-password"},
	}
	for _, in := range got {
		w := want[in.ID]
		if in.Label == "" {
			t.Errorf("#%s has no <label>", in.ID)
		}
		if in.Type != w.typ || in.AutoComplete != w.ac {
			t.Errorf("#%s type=%q autocomplete=%q, want %q %q", in.ID, in.Type, in.AutoComplete, w.typ, w.ac)
		}
		if in.Invalid != "false" {
			t.Errorf("#%s aria-invalid = %q on the empty form, want false", in.ID, in.Invalid)
		}
		if in.DescribedBy == "" {
			t.Errorf("#%s has no aria-describedby", in.ID)
		}
	}
	if u := got[0]; u.AutoCapitalize != "none" || u.AutoCorrect != "off" || u.Spellcheck != "false" {
		t.Errorf("username autocapitalize=%q autocorrect=%q spellcheck=%q, want none off false", u.AutoCapitalize, u.AutoCorrect, u.Spellcheck)
	}
	if d := describedBy(t, ctx, "username"); !strings.Contains(d, "@") && d == "" {
		t.Errorf("username is described by %q, want its hint", d)
	}
	// Paste is allowed: nothing cancels a paste event.
	for _, id := range []string{"username", "password", "confirm"} {
		if !eval[bool](t, ctx, `(() => { const e = document.getElementById(`+js(id)+`);
			const ev = new ClipboardEvent("paste", {bubbles: true, cancelable: true, clipboardData: new DataTransfer()});
			return e.dispatchEvent(ev) && !e.hasAttribute("onpaste"); })()`) {
			t.Errorf("#%s cancels paste", id)
		}
	}
	// The show/hide toggle: a button that says what it does and whether
	// the password is shown.
	tg := eval[[3]string](t, ctx, `(() => { const b = document.getElementById("password-toggle");
		return b ? [b.tagName, b.getAttribute("type"), b.getAttribute("aria-pressed")] : ["", "", ""]; })()`)
	if tg != [3]string{"BUTTON", "button", "false"} {
		t.Errorf("password toggle = %q, want a <button type=button aria-pressed=false>", tg)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("h1").length`); n != 1 {
		t.Errorf("h1 count = %d, want 1", n)
	}
}

// checkFieldError asserts that the field id is marked invalid and described
// by its error, which is announced (role=alert).
func checkFieldError(t *testing.T, ctx context.Context, id, text string) {
	t.Helper()
	if inv := eval[string](t, ctx, `document.getElementById(`+js(id)+`).getAttribute("aria-invalid")`); inv != "true" {
		t.Errorf("#%s aria-invalid = %q with an error, want true", id, inv)
	}
	if d := describedBy(t, ctx, id); !strings.Contains(d, text) {
		t.Errorf("#%s is described by %q, want its error %q", id, d, text)
	}
	if !liveRegion(t, ctx, id+"-error") {
		t.Errorf("#%s-error is not announced (no role=alert or live region)", id)
	}
}

// checkFormAlert asserts that the form-level error is announced and that
// the focus moved to it (or stays on the control that retries).
func checkFormAlert(t *testing.T, ctx context.Context, lang string) {
	t.Helper()
	if !liveRegion(t, ctx, "form-error") {
		t.Error("#form-error is not announced (no role=alert or live region)")
	}
	waitJS(t, ctx, `document.activeElement && document.activeElement.id === "form-error"`, "the focus to move to the form's error")
}

// checkCountdownAnnounced asserts that a rate-limit countdown is spoken: a
// live region (id) says how long to wait.
func checkCountdownAnnounced(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	waitJS(t, ctx, `/\d/.test(document.getElementById(`+js(id)+`).textContent)`, "#"+id+" to announce the countdown")
	if !liveRegion(t, ctx, id) {
		t.Errorf("#%s (the countdown) is not a live region", id)
	}
}
