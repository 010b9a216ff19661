package e2e

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// Scenario 2, registration_requires_token on Synapse: a token made with the
// admin API for one use is prefilled from ?token=, checked with Synapse's
// validity endpoint before it is submitted; a wrong token is refused on the
// stage, and the used-up token is refused for a second user.
func TestSynapseRegistrationToken(t *testing.T) {
	sc := startSynapseScene(t, SynapseOptions{RequireToken: true}, "registration-token")
	tok := sc.hs.NewRegistrationToken(t, 1)
	page := sc.sig.URL + "/?token=" + url.QueryEscape(tok)
	do(t, sc.ctx, chromedp.Navigate(page))
	waitReady(t, sc.ctx)
	fill(t, sc.ctx, "tina", synapsePassword)
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#stage-title", "registration token")
	if v := eval[string](t, sc.ctx, `document.getElementById("token").value`); v != tok {
		t.Errorf("token field = %q, want the ?token= value %q", v, tok)
	}

	t.Run("a wrong token is refused on the stage", func(t *testing.T) {
		clearInput(t, sc.ctx, "token")
		do(t, sc.ctx, chromedp.SendKeys(chromedp.ID("token"), "not-the-token"))
		do(t, sc.ctx, clickStable("token-continue"))
		waitText(t, sc.ctx, "#token-error", "not valid")
		if v := sc.validity("not-the-token"); v == nil || *v {
			t.Errorf("Synapse's validity answer for a wrong token = %v, want false", v)
		}
	})

	clearInput(t, sc.ctx, "token")
	do(t, sc.ctx, chromedp.SendKeys(chromedp.ID("token"), tok))
	do(t, sc.ctx, clickStable("token-continue"))
	sc.waitSignedUp(t, "tina", synapsePassword)
	if v := sc.validity(tok); v == nil || !*v {
		t.Errorf("Synapse's validity answer for the token = %v, want true", v)
	}

	t.Run("the used token is refused for another user", func(t *testing.T) {
		tab := NewTab(t, sc.ctx)
		do(t, tab, chromedp.Navigate(page))
		waitReady(t, tab)
		fill(t, tab, "tom", synapsePassword)
		do(t, tab, clickStable("submit"))
		waitText(t, tab, "#stage-title", "registration token")
		do(t, tab, clickStable("token-continue"))
		waitText(t, tab, "#token-error", "not valid")
		if err := sc.hs.Login(t, "tom", synapsePassword); err == nil {
			t.Error("tom has an account")
		}
	})
}

// validity returns the last "valid" Synapse answered for token on
// GET /_matrix/client/v1/register/m.login.registration_token/validity, or
// nil when the widget never asked.
func (sc *synapseScene) validity(token string) *bool {
	var last *bool
	for _, e := range sc.rec.Exchanges() {
		q, _ := url.ParseQuery(e.Query)
		if e.Path != "/_matrix/client/v1/register/m.login.registration_token/validity" || q.Get("token") != token {
			continue
		}
		var v struct {
			Valid *bool `json:"valid"`
		}
		if json.Unmarshal(e.Response, &v) == nil && v.Valid != nil {
			last = v.Valid
		}
	}
	return last
}
