package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Sign-up through Synapse's identity provider, in the widget: "Continue
// with Test IdP" beside the form, the provider's login, Synapse's own
// username picker, and back on the widget's page with a loginToken, which
// the widget trades for the user ID (m.login.token) and shows on the
// welcome panel; it then logs its own device out, and the new account
// signs in through the provider again (no picker: Synapse knows it).
func TestSynapseSSOSignUpInWidget(t *testing.T) {
	hs, idp := StartSynapseSSO(t, SynapseSSOOptions{
		// The widget's page, on a loopback port chosen later (Synapse
		// matches a plain prefix).
		ClientWhitelist: []string{"http://127.0.0.1:"},
	})
	idp.AddUser("tess", "the provider's password")
	ctx, sig := startWidget(t, hs.BaseURL)
	waitText(t, ctx, "#sso-"+SSOIdPID, "Continue with "+SSOIdPName)
	if !eval[bool](t, ctx, `document.getElementById("username") !== null`) {
		t.Error("a server with passwords too lost its form")
	}
	do(t, ctx, chromedp.Click(chromedp.ID("sso-"+SSOIdPID)))
	signInAtTestIdP(t, ctx, "tess", "the provider's password")
	pickSynapseUsername(t, ctx, "tessa")
	waitAfterNavigation(t, ctx, `document.getElementById("success") !== null`, "the welcome panel after SSO")
	waitText(t, ctx, "#success", "@tessa:"+hs.ServerName)
	if loc := eval[string](t, ctx, `location.href`); strings.Contains(loc, "loginToken") {
		t.Errorf("the address keeps the login token: %s", loc)
	}
	waitFor(t, 10e9, func() bool { return len(devicesOf(t, hs, "@tessa:"+hs.ServerName)) == 0 })

	// The account signs in through the provider again.
	do(t, ctx, chromedp.Navigate(hs.SSORedirectURL(sig.URL+"/again")))
	signInAtTestIdP(t, ctx, "tess", "the provider's password")
	back := waitSSOReturn(t, ctx, sig.URL+"/again")
	if got := ssoTokenLogin(t, hs, back.Query().Get("loginToken")); got != "@tessa:"+hs.ServerName {
		t.Errorf("the second sign-in is %q", got)
	}
}
