package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Real sign-ups on Dendrite v0.13.8 through the widget, recorded for the
// native replay (app/uiaa): SIGNUP_RECORD=1 writes each to
// e2e/testdata/dendrite/<scenario>.json. Each test checks what the user
// sees and the statuses Dendrite answered, in order.

// Open registration: Dendrite's 401 offers the m.login.dummy flow alone;
// the widget does it on the same session and the account exists.
func TestDendriteRecordOpenDummy(t *testing.T) {
	sc := startDendriteScene(t, DendriteOptions{}, "open-dummy")
	fill(t, sc.ctx, "olga", dendritePassword)
	waitText(t, sc.ctx, "#username-status", "is available")
	do(t, sc.ctx, clickStable("submit"))
	sc.waitSignedUp(t, "olga", dendritePassword)
	ex := sc.posts("")
	wantStatuses(t, ex, 401, 200)
	if len(ex) == 2 {
		first := answerOf(t, ex[0])
		typ, session := authOfRequest(ex[1])
		if !strings.Contains(string(first.Flows), `"m.login.dummy"`) || typ != "m.login.dummy" || session != first.Session {
			t.Errorf("flows %s, then auth %q on session %q (Dendrite's %q)", first.Flows, typ, session, first.Session)
		}
	}
}

// reCAPTCHA: a wrong answer gets a plain 401 without flows from Dendrite
// (M_BAD_JSON, unlike Synapse's 401 with the UIAA state); the widget says
// it did not pass and draws the captcha again, and the right answer on the
// same session registers.
func TestDendriteRecordRecaptcha(t *testing.T) {
	captcha := startRecaptchaStandIn(t)
	sc := startDendriteScene(t, DendriteOptions{
		RecaptchaPublicKey: "public-site-key", RecaptchaPrivateKey: "private-secret",
		RecaptchaSiteVerifyURL: captcha.URL + "/siteverify",
	}, "recaptcha", "-recaptcha-script", captcha.URL+"/recaptcha/api.js")
	fill(t, sc.ctx, "rosa", dendritePassword)
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#stage-title", "not a robot")
	waitText(t, sc.ctx, "#captcha-solve", "public-site-key")
	do(t, sc.ctx, chromedp.Click(chromedp.ID("captcha-wrong")))
	waitText(t, sc.ctx, "#stage-error", "did not pass")
	waitJS(t, sc.ctx, `document.getElementById("captcha-solve") !== null`, "a fresh captcha")
	do(t, sc.ctx, chromedp.Click(chromedp.ID("captcha-solve")))
	sc.waitSignedUp(t, "rosa", dendritePassword)

	ex := sc.posts("")
	wantStatuses(t, ex, 401, 401, 200)
	if len(ex) == 3 {
		session := answerOf(t, ex[0]).Session
		wantError(t, ex[1], 401, "M_BAD_JSON")
		if a := answerOf(t, ex[1]); a.Flows != nil || a.Session != "" {
			t.Errorf("the wrong captcha's answer = %s, want no UIAA state", ex[1].Response)
		}
		for _, e := range ex[1:] {
			if typ, s := authOfRequest(e); typ != "m.login.recaptcha" || s != session {
				t.Errorf("auth %q on session %q, want m.login.recaptcha on %q", typ, s, session)
			}
		}
	}
}

// Guests off: Dendrite answers kind=guest with 403 M_FORBIDDEN "Guest
// registration is disabled on …"; the widget says this server takes no
// guests (not that registration is closed, nor to try again), and a
// normal account still signs up.
func TestDendriteRecordGuestRefused(t *testing.T) {
	sc := startDendriteScene(t, DendriteOptions{GuestsDisabled: true}, "guest-refused", "-guests")
	do(t, sc.ctx, chromedp.Click(chromedp.ID("guest")))
	waitText(t, sc.ctx, "#form-error", "does not accept guest accounts")
	text := eval[string](t, sc.ctx, `document.getElementById("form-error").textContent`)
	if !strings.Contains(text, "Guest registration is disabled") || strings.Contains(text, "closed") {
		t.Errorf("form error = %q, want the guest wording with Dendrite's words", text)
	}
	if label := eval[string](t, sc.ctx, `document.getElementById("submit").textContent`); strings.Contains(label, "Try again") {
		t.Errorf("submit label = %q: trying again cannot help", label)
	}
	guest := sc.posts("kind=guest")
	wantStatuses(t, guest, 403)
	if len(guest) == 1 {
		wantError(t, guest[0], 403, "M_FORBIDDEN")
	}
	fill(t, sc.ctx, "gail", dendritePassword)
	do(t, sc.ctx, clickStable("submit"))
	sc.waitSignedUp(t, "gail", dendritePassword)
	wantStatuses(t, sc.posts(""), 401, 200)
}

// Guests on: "Continue as guest" is one POST /register?kind=guest that
// Dendrite answers 200 with a numeric user ID, shown on the success panel.
func TestDendriteRecordGuestAllowed(t *testing.T) {
	sc := startDendriteScene(t, DendriteOptions{}, "guest-allowed", "-guests")
	do(t, sc.ctx, chromedp.Click(chromedp.ID("guest")))
	waitJS(t, sc.ctx, `document.getElementById("success") !== null`, "the success panel")
	waitText(t, sc.ctx, "#success", "guest")
	id := eval[string](t, sc.ctx, `document.getElementById("user-id").textContent`)
	guest := sc.posts("kind=guest")
	wantStatuses(t, guest, 200)
	if len(guest) == 1 && answerOf(t, guest[0]).UserID != id {
		t.Errorf("success panel shows %q, Dendrite answered %s", id, guest[0].Response)
	}
	if len(sc.posts("")) != 0 {
		t.Error("the guest sign-up sent a user registration")
	}
}

// Taken usernames: /register/available answers 400 M_USER_IN_USE, which
// the widget shows while typing. For a name taken after that check,
// Dendrite's first /register still answers 401 with the flows (it checks
// the name only when every stage is done): the widget does the dummy stage,
// gets 400 M_USER_IN_USE, and reports it on the username field, back on
// the form; the other account is untouched.
func TestDendriteRecordUsernameTaken(t *testing.T) {
	sc := startDendriteScene(t, DendriteOptions{}, "username-taken")
	sc.d.Register(t, "tess", dendritePassword)
	fill(t, sc.ctx, "tess", dendritePassword)
	waitText(t, sc.ctx, "#username-error", "already taken")

	tab := NewTab(t, sc.ctx)
	do(t, tab, chromedp.Navigate(sc.sig.URL+"/"))
	waitReady(t, tab)
	fill(t, tab, "tara", dendritePassword)
	waitText(t, tab, "#username-status", "is available")
	sc.d.Register(t, "tara", "someone else's password")
	do(t, tab, clickStable("submit"))
	waitText(t, tab, "#username-error", "already taken")
	noStage(t, tab)

	var available []Exchange
	for _, e := range sc.rec.Exchanges() {
		if e.Path == "/_matrix/client/v3/register/available" && e.Query == "username=tess" {
			available = append(available, e)
		}
	}
	if len(available) == 0 {
		t.Error("no availability check of tess was recorded")
	} else {
		wantError(t, available[len(available)-1], 400, "M_USER_IN_USE")
	}
	ex := sc.posts("")
	wantStatuses(t, ex, 401, 400)
	if len(ex) == 2 {
		wantError(t, ex[1], 400, "M_USER_IN_USE")
		if typ, _ := authOfRequest(ex[1]); typ != "m.login.dummy" {
			t.Errorf("the in-use answer came to auth %q, want m.login.dummy", typ)
		}
	}
	if err := sc.d.Login(t, "tara", "someone else's password"); err != nil {
		t.Errorf("the other tara's account broke: %v", err)
	}
}

// Dendrite's rate limit, keyed by X-Forwarded-For: while another client
// behind the same address floods Dendrite, the widget's submit gets 429
// M_LIMIT_EXCEEDED with retry_after_ms (and no Retry-After header); the
// widget counts down, and the retry after the wait signs up. The recorder,
// a reverse proxy, sends X-Forwarded-For: 127.0.0.1 for the widget; the
// flood goes to Dendrite directly with the same header, so that it stays
// out of the recording.
func TestDendriteRecordRateLimited(t *testing.T) {
	sc := startDendriteScene(t, DendriteOptions{RateLimit: true}, "rate-limited")
	fill(t, sc.ctx, "trent", dendritePassword)
	waitText(t, sc.ctx, "#username-status", "is available")

	stop := floodRegister(sc.d.BaseURL, "X-Forwarded-For: 127.0.0.1")
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#form-error", "too many requests")
	stop()
	waitJS(t, sc.ctx, `!document.getElementById("submit").disabled`, "the countdown to end")
	do(t, sc.ctx, clickStable("submit"))
	sc.waitSignedUp(t, "trent", dendritePassword)

	ex := sc.posts("")
	wantStatuses(t, ex, 429, 401, 200)
	if len(ex) == 3 {
		wantError(t, ex[0], 429, "M_LIMIT_EXCEEDED")
		if a := answerOf(t, ex[0]); a.RetryMS <= 0 || ex[0].Header["Retry-After"] != "" {
			t.Errorf("the 429 = %s %v, want retry_after_ms and no Retry-After", ex[0].Response, ex[0].Header)
		}
	}
}

// Registration disabled: /register/available still says available, and
// Dendrite answers the first /register with 403 M_FORBIDDEN "Registration
// is disabled on …"; the widget says
// registration is closed, with Dendrite's words, and no account exists.
func TestDendriteRecordRegistrationDisabled(t *testing.T) {
	sc := startDendriteScene(t, DendriteOptions{RegistrationDisabled: true}, "registration-disabled")
	fill(t, sc.ctx, "carl", dendritePassword)
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#form-error", "Registration is closed on this server.")
	waitText(t, sc.ctx, "#form-error", "Registration is disabled")
	ex := sc.posts("")
	wantStatuses(t, ex, 403)
	if len(ex) == 1 {
		wantError(t, ex[0], 403, "M_FORBIDDEN")
	}
	// Dendrite still says the name is free (the password policy it does
	// not publish answers 404 before that).
	var checks []Exchange
	for _, e := range sc.rec.Exchanges() {
		if e.Path == "/_matrix/client/v3/register/available" {
			checks = append(checks, e)
		}
	}
	if len(checks) == 0 || checks[0].Status != 200 {
		t.Errorf("availability checks = %v, want the first answered 200", checks)
	}
	if err := sc.d.Login(t, "carl", dendritePassword); err == nil {
		t.Error("carl has an account")
	}
}
