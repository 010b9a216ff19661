package e2e

import (
	"context"
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
	checkAxe(t, ctx, "the form with an identity provider")
	ssoSignUp(t, ctx, hs, "tess", "tessa")
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

// A Synapse without password sign-up (password_config.enabled: false) and
// with an identity provider: the widget shows the provider's button alone,
// no username or password to type, and signs up through it.
func TestSynapseSSOOnly(t *testing.T) {
	hs, idp := StartSynapseSSO(t, SynapseSSOOptions{
		ClientWhitelist: []string{"http://127.0.0.1:"},
		Synapse:         SynapseOptions{Extra: map[string]any{"password_config": map[string]any{"enabled": false}}},
	})
	idp.AddUser("uma", "the provider's password")
	ctx, _ := startWidget(t, hs.BaseURL)
	waitText(t, ctx, "#sso-"+SSOIdPID, "Continue with "+SSOIdPName)
	if eval[bool](t, ctx, `document.getElementById("username") !== null || document.getElementById("password") !== null`) {
		t.Error("a server without passwords shows the password form")
	}
	checkAxe(t, ctx, "the identity providers alone")
	ssoSignUp(t, ctx, hs, "uma", "uma")
}

// An identity provider's icon is drawn where it loads without
// authentication, and hidden where it does not (Synapse's authenticated
// media, the default since 1.120, answers the unauthenticated thumbnail
// with 404): the button keeps its name, with no broken image.
func TestSynapseSSOIconHidden(t *testing.T) {
	hs, _ := StartSynapseSSO(t, SynapseSSOOptions{IdPIcon: "mxc://" + synapseServerName + "/NoSuchIcon"})
	ctx, _ := startWidget(t, hs.BaseURL)
	waitText(t, ctx, "#sso-"+SSOIdPID, "Continue with "+SSOIdPName)
	src := eval[string](t, ctx, `(document.querySelector("#sso-`+SSOIdPID+` img") || {}).src || ""`)
	if want := hs.BaseURL + "/_matrix/media/v3/thumbnail/" + synapseServerName + "/NoSuchIcon?"; !strings.HasPrefix(src, want) {
		t.Fatalf("icon src %q, want %s…", src, want)
	}
	waitJS(t, ctx, `document.querySelector("#sso-`+SSOIdPID+` img").hidden`, "the icon that did not load to be hidden")
	if w := eval[float64](t, ctx, `document.querySelector("#sso-`+SSOIdPID+` img").getBoundingClientRect().width`); w != 0 {
		t.Errorf("the hidden icon takes %vpx", w)
	}
}

// ssoSignUp clicks the provider's button, signs in at the provider as
// user, picks name at Synapse's username picker and waits for the
// widget's welcome panel with the new account.
func ssoSignUp(t *testing.T, ctx context.Context, hs *Synapse, user, name string) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.ID("sso-"+SSOIdPID)))
	signInAtTestIdP(t, ctx, user, "the provider's password")
	pickSynapseUsername(t, ctx, name)
	waitAfterNavigation(t, ctx, `document.getElementById("success") !== null`, "the welcome panel after SSO")
	waitText(t, ctx, "#success", "@"+name+":"+hs.ServerName)
}
