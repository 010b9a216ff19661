package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"signup/e2e/tesths"
)

// Every stage, its errors, the email waiting state and the success panel,
// each checked by axe-core in the light and the dark theme, in English and
// in Arabic (right to left); with a heading per stage, the page title
// following it, the focus on the stage's first field (or its heading when it
// has none) and on the error that stopped a submit, and the attributes
// password managers and phones use.
func TestA11yStageScreens(t *testing.T) {
	for _, l := range a11yLangs {
		t.Run(l.Name, func(t *testing.T) {
			lang := l.Lang
			hs := tesths.Start(t, tesths.Config{
				Flows:              [][]string{{"m.login.terms", "m.login.registration_token", "m.login.email.identity", "m.login.dummy"}},
				Params:             termsParams,
				RegistrationTokens: []string{"good-token"},
			})
			s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
			ctx := openWidget(t, s, l.Accept, "/")
			fill(t, ctx, "uma", "a good long password")
			click(t, ctx, "submit")

			t.Run("terms", func(t *testing.T) {
				checkStage(t, ctx, lang, "m.login.terms", "stage.terms")
				checkCheckboxesLabelled(t, ctx)
				checkAxe(t, ctx, "the terms stage")
				click(t, ctx, eval[string](t, ctx, `document.querySelectorAll("#terms input[type=checkbox]")[0].id`))
				click(t, ctx, eval[string](t, ctx, `document.querySelectorAll("#terms input[type=checkbox]")[1].id`))
				waitJS(t, ctx, `!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
				click(t, ctx, "terms-continue")
			})

			t.Run("token with an error", func(t *testing.T) {
				checkStage(t, ctx, lang, "m.login.registration_token", "stage.token")
				checkInputAttrs(t, ctx, "token", "text", "one-time-code", "", true)
				checkAxe(t, ctx, "the token stage")
				typeInto(t, ctx, "token", "bad-token\r")
				waitText(t, ctx, "#token-error", msg(t, lang, "token.invalid"))
				checkFieldError(t, ctx, "token", msg(t, lang, "token.invalid"))
				expectJS(t, ctx, `document.activeElement.id === "token"`, "the focus on the token after its error", 5*time.Second)
				checkAxe(t, ctx, "the token stage with an error")
				clearInput(t, ctx, "token")
				typeInto(t, ctx, "token", "good-token\r")
			})

			t.Run("email entry and its error", func(t *testing.T) {
				checkStage(t, ctx, lang, "m.login.email.identity", "stage.email")
				checkInputAttrs(t, ctx, "email", "email", "email", "email", true)
				checkAxe(t, ctx, "the email stage")
				typeInto(t, ctx, "email", "not-an-address\r")
				waitText(t, ctx, "#email-error", msg(t, lang, "email.bad"))
				checkFieldError(t, ctx, "email", msg(t, lang, "email.bad"))
				expectJS(t, ctx, `document.activeElement.id === "email"`, "the focus on the email after its error", 5*time.Second)
				checkAxe(t, ctx, "the email stage with an error")
				clearInput(t, ctx, "email")
				typeInto(t, ctx, "email", "uma@example.org\r")
			})

			t.Run("waiting for the email, with Resend", func(t *testing.T) {
				waitText(t, ctx, "#email-sent", msg(t, lang, "email.sent", "uma@example.org"))
				waitText(t, ctx, "#email-status", msg(t, lang, "email.waiting"))
				if !liveRegion(t, ctx, "email-status") {
					t.Error("#email-status (polling) is not a live region")
				}
				expectJS(t, ctx, `document.activeElement && document.activeElement.closest("#stage") !== null`,
					"the focus to stay in the stage once the email is sent (not lost to <body>)", 5*time.Second)
				checkAxe(t, ctx, "waiting for the email")
				click(t, ctx, "email-resend")
				waitText(t, ctx, "#email-status", msg(t, lang, "email.resent"))
				checkAxe(t, ctx, "waiting for the email after Resend")
				if !hs.ValidateEmail(hs.Emails()[0].SID) {
					t.Fatal("validating the email failed")
				}
			})

			t.Run("success with the client buttons", func(t *testing.T) {
				waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
				waitText(t, ctx, "#success-title", msg(t, lang, "success.title"))
				checkTitle(t, ctx, msg(t, lang, "success.title"))
				expectJS(t, ctx, `document.activeElement.id === "success-title"`, "the focus on the success heading", 5*time.Second)
				if n := eval[int](t, ctx, `document.querySelectorAll("#clients a[href]").length`); n < 2 {
					t.Errorf("client buttons = %d, want the default clients and 'any app'", n)
				}
				if !liveRegion(t, ctx, "success") {
					t.Error("the success panel is not announced")
				}
				checkAxe(t, ctx, "the success panel")
			})
			noDialogs(t, ctx)
		})
	}
}

// The phone stage (number, then code, then a wrong code), reCAPTCHA
// blocked (falls back to the server's page), a stage only the server's page
// can do (with the error of "I've finished" before it is done), and a server
// that delegates sign-up to OAuth.
func TestA11yMoreStages(t *testing.T) {
	for _, l := range a11yLangs {
		t.Run(l.Name, func(t *testing.T) {
			lang := l.Lang
			t.Run("msisdn number, code and wrong code", func(t *testing.T) {
				hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.msisdn"}}})
				s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
				ctx := openWidget(t, s, l.Accept, "/")
				fill(t, ctx, "yann", "a good long password")
				click(t, ctx, "submit")
				checkStage(t, ctx, lang, "m.login.msisdn", "stage.msisdn")
				checkInputAttrs(t, ctx, "country", "text", "country", "", true)
				checkInputAttrs(t, ctx, "phone", "tel", "tel", "tel", false)
				checkAxe(t, ctx, "the phone number stage")
				clearInput(t, ctx, "country")
				typeInto(t, ctx, "country", "GB")
				typeInto(t, ctx, "phone", "07700 900123\r")
				waitText(t, ctx, "#msisdn-sent", "07700 900123")
				expectJS(t, ctx, `document.activeElement.id === "code"`, "the focus on the code field", 5*time.Second)
				checkInputAttrs(t, ctx, "code", "text", "one-time-code", "numeric", false)
				if !liveRegion(t, ctx, "msisdn-sent") {
					t.Error("#msisdn-sent is not announced")
				}
				checkAxe(t, ctx, "the phone code stage")
				typeInto(t, ctx, "code", "000000\r")
				waitText(t, ctx, "#code-error", msg(t, lang, "msisdn.wrong"))
				checkFieldError(t, ctx, "code", msg(t, lang, "msisdn.wrong"))
				checkAxe(t, ctx, "the phone code stage with a wrong code")
			})

			t.Run("recaptcha blocked falls back", func(t *testing.T) {
				hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.recaptcha"}},
					Params: map[string]any{"m.login.recaptcha": map[string]any{"public_key": "public-site-key"}}})
				dead := "http://127.0.0.1:" + itoa(FreePort(t)) + "/recaptcha/api.js"
				s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost", "-recaptcha-script", dead)
				ctx := openWidget(t, s, l.Accept, "/")
				fill(t, ctx, "rae", "a good long password")
				click(t, ctx, "submit")
				checkStage(t, ctx, lang, "m.login.recaptcha", "stage.recaptcha")
				waitText(t, ctx, "#recaptcha-blocked", msg(t, lang, "recaptcha.blocked"))
				waitJS(t, ctx, `document.getElementById("fallback-link") !== null`, "the fallback link")
				if !liveRegion(t, ctx, "recaptcha-blocked") {
					t.Error("#recaptcha-blocked is not announced")
				}
				checkAxe(t, ctx, "reCAPTCHA blocked, with the fallback")
			})

			t.Run("fallback page stage and its error", func(t *testing.T) {
				hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"org.example.pretend"}}})
				s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
				ctx := openWidget(t, s, l.Accept, "/")
				fill(t, ctx, "zoe", "a good long password")
				click(t, ctx, "submit")
				checkStage(t, ctx, lang, "org.example.pretend", "stage.fallback")
				checkAxe(t, ctx, "the fallback stage")
				click(t, ctx, "fallback-done")
				waitText(t, ctx, "#stage-error", msg(t, lang, "stage.failed"))
				if !liveRegion(t, ctx, "stage-error") {
					t.Error("#stage-error is not announced")
				}
				expectJS(t, ctx, `document.activeElement.id === "stage-error"`, "the focus on the stage's error", 5*time.Second)
				checkAxe(t, ctx, "the fallback stage with an error")

				// A rate limit on a stage: the countdown is announced by
				// the stage button's live region, the error has the focus.
				hs.RateLimit("/_matrix/client/v3/register", 1, 3*time.Second)
				click(t, ctx, "fallback-done")
				waitText(t, ctx, "#stage-error", msg(t, lang, "ratelimited"))
				checkCountdownAnnounced(t, ctx, "fallback-done-status")
				expectJS(t, ctx, `document.activeElement.id === "stage-error"`, "the focus on the rate-limit error", 5*time.Second)
				checkAxe(t, ctx, "a stage during the rate-limit countdown")
			})

			t.Run("OAuth-delegated server", func(t *testing.T) {
				hs := tesths.Start(t, tesths.Config{
					AuthMetadata: map[string]any{
						"issuer":                 "https://auth.example.org/",
						"authorization_endpoint": "https://auth.example.org/authorize",
						"account_management_uri": "https://auth.example.org/account/",
					},
				})
				s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
				ctx := openWidget(t, s, l.Accept, "/")
				want := msg(t, lang, "oauth.title", "auth.example.org")
				waitText(t, ctx, "#oauth-title", want)
				checkTitle(t, ctx, want)
				checkLangDir(t, ctx, l.Lang, l.Dir)
				checkAxe(t, ctx, "the OAuth-delegated panel")
			})

			t.Run("OAuth sign-up in the widget", func(t *testing.T) {
				hs := tesths.Start(t, tesths.Config{OAuth: &tesths.OAuthConfig{AllowInsecureURIs: true}})
				s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
				ctx := openWidget(t, s, l.Accept, "/")
				host := strings.TrimPrefix(hs.URL, "http://") // the issuer's host, with its port
				want := msg(t, lang, "oauth.title", host)
				waitText(t, ctx, "#oauth-title", want)
				waitText(t, ctx, "#oauth-continue", msg(t, lang, "oauth.go", host))
				checkTitle(t, ctx, want)
				checkAxe(t, ctx, "the OAuth panel with its Continue button")
			})
		})
	}
}

// checkStage waits for stage to be on screen and asserts its heading, the
// page title, the step's live announcement and where the focus went: the
// stage's first field, or its heading when it has none.
func checkStage(t *testing.T, ctx context.Context, lang, stage, titleKey string) {
	t.Helper()
	waitJS(t, ctx, `document.querySelector('#stage[data-stage=`+js(stage)+`]') !== null`, "the "+stage+" stage")
	want := msg(t, lang, titleKey)
	waitText(t, ctx, "#stage-title", want)
	if tag := eval[string](t, ctx, `document.getElementById("stage-title").tagName`); tag != "H1" {
		t.Errorf("the stage heading is a %s, want H1", tag)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("h1").length`); n != 1 {
		t.Errorf("h1 count = %d, want 1", n)
	}
	checkTitle(t, ctx, want)
	expectJS(t, ctx, `(() => { const f = document.querySelector("#stage input:not([type=hidden]):not([disabled])");
		return document.activeElement === (f || document.getElementById("stage-title")); })()`,
		"the focus on the first field of the "+stage+" stage (or its heading)", 5*time.Second)
}

// checkTitle asserts that the page title follows the screen.
func checkTitle(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	expectJS(t, ctx, `document.title.includes(`+js(want)+`)`, "the page title to contain "+js(want), 5*time.Second)
}

// checkInputAttrs asserts an input's type, autocomplete (a prefix: "tel"
// accepts tel-national), inputmode, that it has a label, and for typed
// identifiers that phones do not capitalise or correct it.
func checkInputAttrs(t *testing.T, ctx context.Context, id, typ, autocomplete, inputmode string, verbatim bool) {
	t.Helper()
	got := eval[[6]string](t, ctx, `(() => { const e = document.getElementById(`+js(id)+`);
		return [e.type, e.getAttribute("autocomplete") || "", e.getAttribute("inputmode") || "",
			e.labels.length ? e.labels[0].textContent : "", e.getAttribute("autocapitalize") || "", e.getAttribute("aria-describedby") || ""]; })()`)
	if got[0] != typ || !strings.HasPrefix(got[1], autocomplete) || got[2] != inputmode {
		t.Errorf("#%s type=%q autocomplete=%q inputmode=%q, want %q %q* %q", id, got[0], got[1], got[2], typ, autocomplete, inputmode)
	}
	if got[3] == "" {
		t.Errorf("#%s has no label", id)
	}
	if got[5] == "" {
		t.Errorf("#%s has no aria-describedby", id)
	}
	if verbatim && got[4] != "none" {
		t.Errorf("#%s autocapitalize = %q, want none", id, got[4])
	}
}

// checkCheckboxesLabelled asserts each policy checkbox has its own label.
func checkCheckboxesLabelled(t *testing.T, ctx context.Context) {
	t.Helper()
	labels := eval[[]string](t, ctx, `[...document.querySelectorAll("#terms input[type=checkbox]")].map(b => b.labels.length ? b.labels[0].textContent : "")`)
	if len(labels) != 2 || labels[0] == "" || labels[1] == "" {
		t.Errorf("policy checkbox labels = %q", labels)
	}
}
