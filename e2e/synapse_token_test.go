package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Scenario 2, registration_requires_token on Synapse: a token made with the
// admin API for one use is prefilled from ?token= and submitted with
// /register (no validity check first: Synapse's 401 for a wrong token comes
// back to the field); a wrong token is refused on the stage, and the
// used-up token is refused for a second user.
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
	})

	clearInput(t, sc.ctx, "token")
	do(t, sc.ctx, chromedp.SendKeys(chromedp.ID("token"), tok))
	do(t, sc.ctx, clickStable("token-continue"))
	sc.waitSignedUp(t, "tina", synapsePassword)
	for _, e := range sc.rec.Exchanges() {
		if strings.HasSuffix(e.Path, "/validity") {
			t.Errorf("the widget asked %s: the token goes straight to /register", e.Path)
		}
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
