package registration

import (
	"net/url"
	"strings"
	"testing"
)

const ssoFlows = `{"flows":[{"type":"m.login.password"},{"type":"m.login.sso","identity_providers":[
	{"id":"oidc-test","name":"Test IdP","icon":"mxc://example.org/abc"},{"id":"","name":"no id"},{"id":"x","name":""}]},
	{"type":"m.login.token"}]}`

// ssoStarted is a conversation on the form of a server that lists
// identity providers and does not delegate to OAuth.
func ssoStarted(t *testing.T, st Start, flows string) *conv {
	t.Helper()
	if st.PageURL == "" {
		st.PageURL = oauthPage
	}
	c := newConv(t, Settings{}, st)
	md, _ := pendingOf[Metadata](c)
	c.answer(md, 404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)
	lf, _ := pendingOf[LoginFlows](c)
	c.answer(lf, 200, flows)
	return c
}

// "Continue with <provider>" sends the browser to the homeserver's SSO
// redirect with action=register and a redirect back to this page with a
// nonce; the page's reload with the loginToken logs in (m.login.token),
// shows the welcome panel, tells the host page and logs the widget's
// device out.
func TestSSORoundTrip(t *testing.T) {
	c := ssoStarted(t, Start{}, ssoFlows)
	v := c.view()
	if v.Screen != ScreenForm || len(v.SSO.Providers) != 1 || v.SSO.Providers[0].Name != "Test IdP" || v.SSO.Only {
		t.Fatalf("SSO view %+v", v.SSO)
	}
	c.do(ChooseProvider{Index: 0})
	nav, ok := lastOf[Navigate](c)
	if !ok {
		t.Fatal("no navigation")
	}
	u, _ := url.Parse(nav.URL)
	q := u.Query()
	if u.Host != "hs.example.org" || u.Path != "/_matrix/client/v3/login/sso/redirect/oidc-test" ||
		q.Get("action") != "register" || q.Get("org.matrix.msc3824.action") != "register" {
		t.Errorf("SSO redirect %s", nav.URL)
	}
	back, _ := url.Parse(q.Get("redirectUrl"))
	nonce := back.Query().Get(ssoParam)
	if back.Scheme+"://"+back.Host+back.Path != "https://signup.example.org/fr/" || len(nonce) < 22 {
		t.Errorf("redirectUrl %s", q.Get("redirectUrl"))
	}
	if !strings.Contains(c.flow, nonce) {
		t.Errorf("the nonce is not in the saved flow: %s", c.flow)
	}

	// Synapse appends loginToken to redirectUrl.
	page := q.Get("redirectUrl") + "&loginToken=lt-1"
	d := newConv(t, Settings{}, Start{PageURL: page, Flow: c.flow})
	if cu, ok := lastOf[CleanURL](d); !ok || strings.Contains(cu.URL, "lt-1") || strings.Contains(cu.URL, nonce) {
		t.Errorf("address after the callback: %+v", cu)
	}
	tl, r := pendingOf[TokenLogin](d)
	if r.Token != "lt-1" || r.Base != testHS.BaseURL {
		t.Errorf("login %+v", r)
	}
	if !d.view().SSO.Finishing {
		t.Error("no progress shown while logging in")
	}
	d.answer(tl, 200, `{"user_id":"@bob:example.org","access_token":"syt_1","device_id":"D1"}`)
	if v := d.view(); v.Screen != ScreenDone || v.Done.UserID != "@bob:example.org" {
		t.Fatalf("screen %v user %q", v.Screen, v.Done.UserID)
	}
	if n, ok := lastOf[Notify](d); !ok || n.Event != "signup:registered" {
		t.Errorf("host page told %+v", n)
	}
	if _, lo := pendingOf[Logout](d); lo.AccessToken != "syt_1" {
		t.Errorf("logout %+v", lo)
	}
	if d.flow != "" {
		t.Error("the flow outlives the sign-up")
	}
}

// A loginToken without this tab's nonce (a link someone else made, an
// old tab) is never used: logging in with it would show another account
// as the user's own.
func TestSSOCallbackRefused(t *testing.T) {
	c := ssoStarted(t, Start{}, ssoFlows)
	c.do(ChooseProvider{Index: 0})
	for name, tc := range map[string]struct{ page, flow string }{
		"another nonce": {"https://signup.example.org/fr/?" + ssoParam + "=forged&loginToken=lt", c.flow},
		"no flow":       {"https://signup.example.org/fr/?" + ssoParam + "=x&loginToken=lt", ""},
	} {
		t.Run(name, func(t *testing.T) {
			d := newConv(t, Settings{}, Start{PageURL: tc.page, Flow: tc.flow})
			if hasPending[TokenLogin](d) {
				t.Fatal("logged in with a token this tab did not ask for")
			}
			if v := d.view(); v.Screen != ScreenForm || v.SSO.Error.Key != "sso.state" {
				t.Errorf("screen %v, error %+v", v.Screen, v.SSO.Error)
			}
		})
	}
}

// A server without password sign-up shows its providers alone; one that
// prefers OAuth (MSC3824's oauth_aware_preferred) shows none; embedded,
// the provider opens in a popup whose callback page relays back.
func TestSSOVariants(t *testing.T) {
	only := ssoStarted(t, Start{}, `{"flows":[{"type":"m.login.sso","identity_providers":[{"id":"a","name":"A"}]}]}`)
	if v := only.view().SSO; !v.Only || len(v.Providers) != 1 {
		t.Errorf("SSO only: %+v", v)
	}
	aware := ssoStarted(t, Start{}, `{"flows":[{"type":"m.login.sso","oauth_aware_preferred":true,"identity_providers":[{"id":"a","name":"A"}]}]}`)
	if v := aware.view().SSO; len(v.Providers) != 0 {
		t.Errorf("OAuth-aware server: %+v", v)
	}
	cb := "https://signup.example.org/web/callback.html"
	emb := ssoStarted(t, Start{Embedded: true, CallbackURL: cb}, ssoFlows)
	emb.do(ChooseProvider{Index: 0})
	w, ok := lastOf[OpenWindow](emb)
	if !ok || w.Move || !strings.Contains(w.URL, url.QueryEscape(cb+"?"+ssoParam+"=")) {
		t.Fatalf("popup %+v", w)
	}
	if _, nav := lastOf[Navigate](emb); nav {
		t.Error("the embedded page navigated")
	}
	u, _ := url.Parse(w.URL)
	emb.do(Callback{URL: u.Query().Get("redirectUrl") + "&loginToken=lt-2"})
	if _, r := pendingOf[TokenLogin](emb); r.Token != "lt-2" {
		t.Errorf("login %+v", r)
	}
	blocked := ssoStarted(t, Start{Embedded: true, CallbackURL: cb}, ssoFlows)
	blocked.do(ChooseProvider{Index: 0})
	blocked.do(WindowOpened{OK: false})
	if v := blocked.view().SSO; v.Error.Key != "oauth.blocked" || blocked.flow != "" {
		t.Errorf("blocked: %+v, flow %q", v, blocked.flow)
	}
}
