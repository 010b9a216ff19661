package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// Phone: country and number, requestToken, the code sent to the
// homeserver's submit_url, then {type, threepid_creds, session}.
func TestStageMSISDN(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.msisdn"}}})
	ctx, _ := startWidget(t, hs.URL)
	fill(t, ctx, "yann", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "phone number")
	clearInput(t, ctx, "country")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("country"), "gb"),
		chromedp.SendKeys(chromedp.ID("phone"), "07700 900123"),
		chromedp.Click(chromedp.ID("msisdn-send")))
	waitText(t, ctx, "#msisdn-sent", "07700 900123")
	sms := hs.SMS()
	if len(sms) != 1 || sms[0].Country != "GB" {
		t.Fatalf("sms = %+v", sms)
	}
	t.Run("a wrong code is reported on the field", func(t *testing.T) {
		do(t, ctx, chromedp.SendKeys(chromedp.ID("code"), "000000"), chromedp.Click(chromedp.ID("msisdn-verify")))
		waitText(t, ctx, "#code-error", "not right")
	})
	clearInput(t, ctx, "code")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("code"), sms[0].Code), chromedp.Click(chromedp.ID("msisdn-verify")))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	auths := registerAuths(t, hs)
	last := auths[len(auths)-1]
	creds, _ := last["threepid_creds"].(map[string]any)
	if last["type"] != "m.login.msisdn" || creds["sid"] != sms[0].SID || creds["client_secret"] != sms[0].ClientSecret {
		t.Errorf("final auth = %v", last)
	}
}

// A stage the widget cannot draw: the homeserver's fallback page opens in a
// popup from the click; its authDone message makes the widget resubmit
// {session} and finish, without the user pressing "I've finished".
func TestStageFallbackPopup(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"org.example.pretend"}}})
	ctx, _ := startWidget(t, hs.URL)
	fill(t, ctx, "zoe", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("fallback-open") !== null`, "the fallback stage")

	opened := chromedp.WaitNewTarget(ctx, func(info *target.Info) bool {
		return strings.Contains(info.URL, "/fallback/web")
	})
	do(t, ctx, chromedp.Click(chromedp.ID("fallback-open")))
	popup, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(<-opened))
	defer cancel()
	do(t, popup, chromedp.WaitVisible(chromedp.ID("complete")), chromedp.Click(chromedp.ID("complete")))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel after authDone")
	auths := registerAuths(t, hs)
	last := auths[len(auths)-1]
	if len(last) != 1 || last["session"] == nil {
		t.Errorf("the resubmit after the fallback = %v, want {session} alone", last)
	}
}

// Several flows: the least effort is chosen, "Step n of m" follows it, and
// the user can switch ("Use an email address instead").
func TestStageFlowChoiceAndSwitch(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{
		Flows:              [][]string{{"m.login.email.identity", "m.login.dummy"}, {"m.login.terms", "m.login.registration_token"}},
		Params:             termsParams,
		RegistrationTokens: []string{"tok"},
	})
	ctx, _ := startWidget(t, hs.URL)
	fill(t, ctx, "abel", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "Accept the terms")
	waitText(t, ctx, "#stage-step", "Step 1 of 2")
	waitText(t, ctx, "#switch-m-login-email-identity", "Use an email address instead")
	do(t, ctx, chromedp.Click(chromedp.ID("switch-m-login-email-identity")))
	waitText(t, ctx, "#stage-title", "Verify your email")
	if eval[bool](t, ctx, `document.getElementById("stage-step") !== null`) {
		t.Error("a one-visible-step flow shows a step counter")
	}
	waitText(t, ctx, "#switch-m-login-registration-token", "I have a registration token")
	do(t, ctx, chromedp.Click(chromedp.ID("switch-m-login-registration-token")))
	waitText(t, ctx, "#stage-title", "Accept the terms")
}

// Terms in the user's language (French here), and malformed terms give a
// clear error with the fallback page instead of a crash.
func TestStageTermsLanguageAndMalformed(t *testing.T) {
	t.Run("French", func(t *testing.T) {
		hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.terms"}}, Params: termsParams})
		s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
		ctx := NewBrowser(t)
		if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent: "Mozilla/5.0 signup-test", AcceptLanguage: "fr-FR,fr",
		}); err != nil {
			t.Fatal(err)
		}
		do(t, ctx, chromedp.Navigate(s.URL+"/"))
		waitReady(t, ctx)
		fill(t, ctx, "bea", "a good long password")
		do(t, ctx, clickStable("submit"))
		waitText(t, ctx, "#terms", "Politique de confidentialité")
		waitText(t, ctx, "#terms", "Conditions d'utilisation")
		href := eval[string](t, ctx, `document.querySelector("#terms a").href`)
		if href != "https://example.org/privacy-1.2-fr.html" {
			t.Errorf("policy link = %q", href)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.terms"}},
			Params: map[string]any{"m.login.terms": map[string]any{"policies": "not an object"}}})
		ctx, _ := startWidget(t, hs.URL)
		fill(t, ctx, "cid", "a good long password")
		do(t, ctx, clickStable("submit"))
		defer func() {
			if t.Failed() {
				t.Logf("console: %q", ConsoleErrors(ctx))
			}
		}()
		waitText(t, ctx, "#terms-bad", "could not be read")
		waitJS(t, ctx, `document.getElementById("fallback-link") !== null`, "the fallback link")
		noDialogs(t, ctx)
	})
}

// The registration token goes straight to /register, whose failed-stage
// 401 is shown on the field ("not valid"), and the user retries; the
// validity endpoint is never asked (it would cost a round trip), whether
// the server has one or not (404 M_UNRECOGNIZED, as Dendrite v0.13.8).
func TestStageTokenValidity(t *testing.T) {
	for _, validity := range []bool{true, false} {
		name := "with the validity endpoint"
		if !validity {
			name = "without it (404 M_UNRECOGNIZED, as Dendrite v0.13.8)"
		}
		t.Run(name, func(t *testing.T) {
			hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.registration_token"}},
				RegistrationTokens: []string{"good-token"}, NoTokenValidity: !validity})
			ctx, _ := startWidget(t, hs.URL)
			fill(t, ctx, "dan", "a good long password")
			do(t, ctx, clickStable("submit"))
			waitText(t, ctx, "#stage-title", "registration token")
			do(t, ctx, chromedp.SendKeys(chromedp.ID("token"), "bad-token"), chromedp.Click(chromedp.ID("token-continue")))
			waitText(t, ctx, "#token-error", "not valid")
			if n := countType(registerAuths(t, hs), "m.login.registration_token"); n != 1 {
				t.Errorf("token submissions = %d, want 1", n)
			}
			if v := hs.RequestsTo("GET", "/_matrix/client/v1/register/m.login.registration_token/validity"); len(v) != 0 {
				t.Errorf("validity requests = %d, want none", len(v))
			}
			clearInput(t, ctx, "token")
			do(t, ctx, chromedp.SendKeys(chromedp.ID("token"), "good-token"), chromedp.Click(chromedp.ID("token-continue")))
			waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
		})
	}
}

// A server that delegates accounts to OAuth (auth_metadata answers) is
// never sent to /register: the widget sends the user to its sign-up page.
func TestOAuthDelegatedServer(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{
		Flows: [][]string{{"m.login.dummy"}},
		AuthMetadata: map[string]any{
			"issuer":                 "https://auth.example.org/",
			"authorization_endpoint": "https://auth.example.org/authorize",
			"account_management_uri": "https://auth.example.org/account/",
		},
	})
	ctx, _ := startWidget(t, hs.URL)
	waitText(t, ctx, "#oauth-title", "Create your account on auth.example.org")
	if href := eval[string](t, ctx, `document.getElementById("oauth-link").href`); href != "https://auth.example.org/account/" {
		t.Errorf("sign-up link = %q", href)
	}
	if n := len(hs.RequestsTo("POST", "/_matrix/client/v3/register")); n != 0 {
		t.Errorf("/register was called %d times", n)
	}
}
