package e2e

import (
	"net/url"
	"testing"
	"time"
)

// In Firefox and in WebKit, a new user registers on a real Synapse that
// requires both consent to its policy (m.login.terms, user_consent with
// require_at_registration) and a registration token (made with the admin
// API, prefilled from ?token=): the user ticks the policy box, continues
// with the prefilled token, sees the user ID and can log in; Synapse
// recorded the consent.
func TestEnginesSynapseTermsToken(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engineTab) {
		hs := StartSynapse(t, SynapseOptions{RequireToken: true, Consent: true})
		tok := hs.NewRegistrationToken(t, 1)
		s := StartSignup(t, "-homeserver", hs.BaseURL, "-server-name", "localhost")
		e.open(s.URL + "/?token=" + url.QueryEscape(tok))

		user := "tara" + e.b.Engine()
		e.fill(user, synapsePassword)
		e.click("#submit")
		// The two stages come in the order of Synapse's flow (the token
		// first, in 1.163); each is done once.
		done := map[string]bool{}
		deadline := time.Now().Add(engineStep)
		for {
			if time.Now().After(deadline) {
				t.Fatalf("the widget stayed on a stage (done: %v); page text: %s", done, e.pageText())
			}
			var stage string
			e.wait(`document.getElementById("success") || document.getElementById("terms-continue") || document.getElementById("token-continue")`, "a stage or the welcome panel")
			e.eval(`document.getElementById("success") ? "success" : document.getElementById("terms-continue") ? "terms" : "token"`, &stage)
			if stage == "success" {
				break
			}
			if done[stage] {
				time.Sleep(100 * time.Millisecond) // the stage is still being left
				continue
			}
			done[stage] = true
			switch stage {
			case "terms":
				e.waitText("#stage-title", "Accept the terms")
				var href string
				e.eval(`document.querySelector("#terms a").href`, &href)
				if href != hs.ConsentURL() {
					t.Errorf("policy link = %q, want %s", href, hs.ConsentURL())
				}
				e.click(`#terms input[type=checkbox]`)
				e.wait(`!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
				e.click("#terms-continue")
			case "token":
				e.waitText("#stage-title", "registration token")
				var v string
				e.eval(`document.getElementById("token").value`, &v)
				if v != tok {
					t.Errorf("token field = %q, want the ?token= value %q", v, tok)
				}
				e.click("#token-continue")
			}
		}
		if !done["terms"] || !done["token"] {
			t.Errorf("stages shown = %v, want terms and token", done)
		}
		e.wait(`document.getElementById("success") !== null`, "the welcome panel")
		if got := e.text("#user-id"); got != "@"+user+":localhost" {
			t.Errorf("user ID shown = %q, want @%s:localhost", got, user)
		}
		if err := hs.Login(t, user, synapsePassword); err != nil {
			t.Errorf("the account does not log in with its password: %v", err)
		}
		var u struct {
			ConsentVersion *string `json:"consent_version"`
		}
		if code, resp := hs.Admin(t, "GET", "/_synapse/admin/v2/users/@"+user+":localhost", nil, &u); code != 200 ||
			u.ConsentVersion == nil || *u.ConsentVersion != SynapseConsentVersion {
			t.Errorf("Synapse's record of the user = %d %s, want consent_version %s", code, resp, SynapseConsentVersion)
		}
		e.noConsoleErrors()
	})
}
