package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// The full path: terms + registration token + email + dummy, on the
// spec-faithful test homeserver, with the exact requests the spec
// prescribes, each stage asked for only when it is reached.
func TestStagesTermsTokenEmailDummy(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{
		Flows:              [][]string{{"m.login.terms", "m.login.registration_token", "m.login.email.identity", "m.login.dummy"}},
		Params:             termsParams,
		RegistrationTokens: []string{"letmein-2026"},
	})
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	ctx := NewBrowser(t)
	do(t, ctx, chromedp.Navigate(s.URL+"/?token=letmein-2026"))
	waitReady(t, ctx)
	fill(t, ctx, "uma", "a good long password")
	do(t, ctx, clickStable("submit"))

	t.Run("terms: one box per policy, in English, Continue only when all are ticked", func(t *testing.T) {
		waitText(t, ctx, "#stage-title", "Accept the terms")
		waitText(t, ctx, "#stage-step", "Step 1 of 3")
		labels := eval[[]string](t, ctx, `[...document.querySelectorAll("#terms label")].map(l => l.textContent)`)
		if strings.Join(labels, "|") != "I accept the Privacy Policy|I accept the Terms of Service" {
			t.Errorf("policy labels = %q", labels)
		}
		links := eval[[]string](t, ctx, `[...document.querySelectorAll("#terms a")].map(a => a.href + " " + a.target + " " + a.rel)`)
		want := []string{"https://example.org/privacy-1.2-en.html _blank noopener noreferrer", "https://example.org/tos-en.html _blank noopener noreferrer"}
		if strings.Join(links, "|") != strings.Join(want, "|") {
			t.Errorf("policy links = %q", links)
		}
		if !eval[bool](t, ctx, `document.getElementById("terms-continue").disabled`) {
			t.Error("Continue is enabled before any box is ticked")
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`#terms input[type=checkbox]`)))
		if !eval[bool](t, ctx, `document.getElementById("terms-continue").disabled`) {
			t.Error("Continue is enabled with one box of two ticked")
		}
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#terms input[type=checkbox]")[1].click()`))
		waitJS(t, ctx, `!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
		if n := len(hs.RequestsTo("POST", "/_matrix/client/v3/register/email/requestToken")); n != 0 {
			t.Errorf("requestToken sent %d times before the email stage", n)
		}
		do(t, ctx, chromedp.Click(chromedp.ID("terms-continue")))
	})

	t.Run("token: prefilled from ?token=, then submitted (no validity check: the stage says)", func(t *testing.T) {
		waitText(t, ctx, "#stage-title", "registration token")
		waitText(t, ctx, "#stage-step", "Step 2 of 3")
		if v := eval[string](t, ctx, `document.getElementById("token").value`); v != "letmein-2026" {
			t.Errorf("token field = %q, want the ?token= value", v)
		}
		if f := eval[string](t, ctx, `document.activeElement.id`); f != "token" {
			t.Errorf("focus on the token stage = %q, want token", f)
		}
		if n := len(hs.RequestsTo("POST", "/_matrix/client/v3/register/email/requestToken")); n != 0 {
			t.Errorf("requestToken sent before the token stage passed")
		}
		do(t, ctx, chromedp.Click(chromedp.ID("token-continue")))
		waitText(t, ctx, "#stage-title", "Verify your email")
		if v := hs.RequestsTo("GET", "/_matrix/client/v1/register/m.login.registration_token/validity"); len(v) != 0 {
			t.Errorf("validity requests = %+v, want none: /register checks the token", v)
		}
	})

	var sid string
	t.Run("email: requestToken with a spec client_secret, then polling until the link is opened", func(t *testing.T) {
		waitText(t, ctx, "#stage-step", "Step 3 of 3")
		do(t, ctx, chromedp.SendKeys(chromedp.ID("email"), "uma@example.org"))
		do(t, ctx, chromedp.Click(chromedp.ID("email-send")))
		waitText(t, ctx, "#email-sent", msg(t, "en", "email.sent", "uma@example.org"))
		emails := hs.Emails()
		if len(emails) != 1 {
			t.Fatalf("emails sent = %d", len(emails))
		}
		e := emails[0]
		sid = e.SID
		if !regexp.MustCompile(`^[0-9a-zA-Z.=_-]{1,255}$`).MatchString(e.ClientSecret) || e.SendAttempt != 1 || e.To != "uma@example.org" {
			t.Errorf("requestToken = %+v", e)
		}
		// The widget resubmits the stage every few seconds; not yet done.
		deadline := time.Now().Add(20 * time.Second)
		for countType(registerAuths(t, hs), "m.login.email.identity") < 2 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if n := countType(registerAuths(t, hs), "m.login.email.identity"); n < 2 {
			t.Fatalf("email polls = %d, want at least 2", n)
		}
		if eval[bool](t, ctx, `document.getElementById("stage-error").textContent.length > 0`) {
			t.Errorf("a not-yet-validated poll showed an error: %q", eval[string](t, ctx, `document.getElementById("stage-error").textContent`))
		}
		if !hs.ValidateEmail(sid) {
			t.Fatal("validating the email failed")
		}
	})

	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	t.Run("the requests were exactly the spec's", func(t *testing.T) {
		auths := registerAuths(t, hs)
		types := authTypes(auths)
		var polls int
		compact := []string{}
		for _, ty := range types {
			if ty == "m.login.email.identity" {
				polls++
				if polls > 1 {
					continue
				}
			}
			compact = append(compact, ty)
		}
		want := "-|m.login.terms|m.login.registration_token|m.login.email.identity|m.login.dummy"
		if strings.Join(compact, "|") != want {
			t.Errorf("register auth types = %q, want %q (email polls merged)", types, want)
		}
		session, _ := auths[1]["session"].(string)
		for i, a := range auths[1:] {
			if a["session"] != session {
				t.Errorf("request %d has session %v, want %q", i+1, a["session"], session)
			}
			switch a["type"] {
			case "m.login.terms", "m.login.dummy":
				if len(a) != 2 {
					t.Errorf("%v auth has extra fields: %v", a["type"], a)
				}
			case "m.login.registration_token":
				if a["token"] != "letmein-2026" || len(a) != 3 {
					t.Errorf("token auth = %v", a)
				}
			case "m.login.email.identity":
				creds, _ := a["threepid_creds"].(map[string]any)
				if creds["sid"] != sid || creds["client_secret"] != hs.Emails()[0].ClientSecret || len(a) != 3 {
					t.Errorf("email auth = %v", a)
				}
			}
		}
		if users := hs.Users(); len(users) != 1 || users[0] != "@uma:localhost" {
			t.Errorf("users = %q", users)
		}
	})
	t.Run("nothing sensitive is left in storage", func(t *testing.T) {
		store := eval[string](t, ctx, `JSON.stringify(sessionStorage) + JSON.stringify(localStorage) + location.href`)
		if strings.Contains(store, "a good long password") || strings.Contains(store, "signup.progress") {
			t.Errorf("storage after success = %s", store)
		}
	})
}

func countType(auths []map[string]any, ty string) int {
	n := 0
	for _, a := range auths {
		if a != nil && a["type"] == ty {
			n++
		}
	}
	return n
}
