package registration

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"signup/app/config"
	"signup/app/matrix"
)

// The widget's page and the authorization server of these tests.
const (
	oauthPage   = "https://signup.example.org/fr/?homeserver=example.org"
	oauthIssuer = "https://hs.example.org/"
)

// oauthMetadata is auth_metadata as matrix-authentication-service serves
// it, on the homeserver's origin; patch overrides fields (a nil deletes).
func oauthMetadata(patch map[string]any) string {
	md := map[string]any{
		"issuer":                           oauthIssuer,
		"authorization_endpoint":           "https://hs.example.org/oauth2/authorize",
		"token_endpoint":                   "https://hs.example.org/oauth2/token",
		"registration_endpoint":            "https://hs.example.org/oauth2/registration",
		"revocation_endpoint":              "https://hs.example.org/oauth2/revoke",
		"account_management_uri":           "https://hs.example.org/account/",
		"response_types_supported":         []string{"code"},
		"response_modes_supported":         []string{"query", "fragment"},
		"grant_types_supported":            []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported": []string{"S256"},
		"prompt_values_supported":          []string{"create"},
	}
	for k, v := range patch {
		if v == nil {
			delete(md, k)
		} else {
			md[k] = v
		}
	}
	b, _ := json.Marshal(md)
	return string(b)
}

// oauthStarted is a conversation on the OAuth screen of a delegating
// server, the login flows answered with password only.
func oauthStarted(t *testing.T, s Settings, st Start, patch map[string]any) *conv {
	t.Helper()
	if st.PageURL == "" {
		st.PageURL = oauthPage
	}
	c := newConv(t, s, st)
	md, _ := pendingOf[Metadata](c)
	c.answer(md, 200, oauthMetadata(patch))
	if hasPending[LoginFlows](c) {
		lf, _ := pendingOf[LoginFlows](c)
		c.answer(lf, 200, `{"flows":[{"type":"m.login.password"}]}`)
	}
	return c
}

func lastOf[E Effect](c *conv) (E, bool) {
	for i := len(c.effects) - 1; i >= 0; i-- {
		if e, ok := c.effects[i].(E); ok {
			return e, true
		}
	}
	var zero E
	return zero, false
}

// unreserved is RFC 3986's unreserved set, as RFC 7636 wants the verifier.
var unreserved = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// The whole round trip on a page of its own: the widget registers as a
// client, sends the browser to the authorization endpoint with PKCE, a
// state, one device scope and prompt=create, and, on the page's reload
// with the code, exchanges it, asks whoami, shows the welcome panel,
// tells the host page and revokes both tokens. The flow is kept in
// sessionStorage only until then, and holds no token.
func TestOAuthRoundTrip(t *testing.T) {
	s := Settings{Operator: config.Config{Brand: config.Brand{Name: "Example Chat", Logo: "/web/logo.svg"},
		Texts: config.Texts{Footer: []config.Link{
			{URL: "https://signup.example.org/privacy", Kind: "privacy"},
			{URL: "https://elsewhere.example.com/terms", Kind: "terms"},
		}}}}
	c := oauthStarted(t, s, Start{}, nil)
	v := c.view()
	if v.Screen != ScreenOAuth || !v.OAuth.InWidget || v.OAuth.Issuer != "hs.example.org" {
		t.Fatalf("view %+v", v.OAuth)
	}
	c.act(OAuthContinue)
	reg, r := pendingOf[ClientRegistration](c)
	if r.Endpoint != "https://hs.example.org/oauth2/registration" {
		t.Errorf("registration endpoint %q", r.Endpoint)
	}
	m := r.Metadata
	if m.ClientURI != "https://signup.example.org/" || !slices.Equal(m.RedirectURIs, []string{"https://signup.example.org/fr/"}) ||
		m.ApplicationType != "web" || m.TokenEndpointAuthMethod != "none" || m.ClientName != "Example Chat" ||
		!slices.Equal(m.GrantTypes, []string{"authorization_code", "refresh_token"}) || !slices.Equal(m.ResponseTypes, []string{"code"}) {
		t.Errorf("client metadata %+v", m)
	}
	if m.LogoURI != "https://signup.example.org/web/logo.svg" || m.PolicyURI != "https://signup.example.org/privacy" || m.TOSURI != "" {
		t.Errorf("logo %q, policy %q, tos %q (another host's terms must be left out)", m.LogoURI, m.PolicyURI, m.TOSURI)
	}
	if c.flow != "" {
		t.Errorf("flow saved before the client is registered: %s", c.flow)
	}
	c.answer(reg, 201, `{"client_id":"client-1","client_id_issued_at":1}`)
	nav, ok := lastOf[Navigate](c)
	if !ok {
		t.Fatal("no navigation to the authorization endpoint")
	}
	u, _ := url.Parse(nav.URL)
	q := u.Query()
	var f Flow
	if err := json.Unmarshal([]byte(c.flow), &f); err != nil {
		t.Fatalf("saved flow %q: %v", c.flow, err)
	}
	if u.Host != "hs.example.org" || u.Path != "/oauth2/authorize" {
		t.Errorf("authorization URL %s", nav.URL)
	}
	scopes := strings.Fields(q.Get("scope"))
	devices := 0
	for _, sc := range scopes {
		if strings.HasPrefix(sc, "urn:matrix:client:device:") && len(sc) > len("urn:matrix:client:device:")+9 {
			devices++
		}
	}
	if !slices.Contains(scopes, "urn:matrix:client:api:*") || devices != 1 || len(scopes) != 2 {
		t.Errorf("scope %q", q.Get("scope"))
	}
	for k, want := range map[string]string{"response_type": "code", "client_id": "client-1",
		"redirect_uri": "https://signup.example.org/fr/", "state": f.State, "code_challenge_method": "S256",
		"code_challenge": matrix.S256(f.Verifier), "prompt": "create", "response_mode": "fragment"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	if !unreserved.MatchString(f.Verifier) || len(f.State) < 22 || f.ClientID != "client-1" {
		t.Errorf("flow %+v", f)
	}
	if strings.Contains(nav.URL, f.Verifier) {
		t.Error("the verifier left for the authorization server")
	}

	// The authorization server sends the browser back: a new page load.
	back := newConv(t, s, Start{PageURL: "https://signup.example.org/fr/#code=code-1&state=" + f.State, Flow: c.flow})
	back.flow = c.flow
	if cu, ok := lastOf[CleanURL](back); !ok || strings.Contains(cu.URL, "code") || cu.URL != "https://signup.example.org/fr/" {
		t.Errorf("address after the callback: %+v", cu)
	}
	tok, tr := pendingOf[CodeToken](back)
	if x := tr.X; x.Endpoint != "https://hs.example.org/oauth2/token" || x.ClientID != "client-1" || x.Code != "code-1" ||
		x.Verifier != f.Verifier || x.Redirect != "https://signup.example.org/fr/" {
		t.Errorf("token request %+v", tr.X)
	}
	if v := back.view(); v.Screen != ScreenOAuth || v.OAuth.Step != OAuthFinishing {
		t.Errorf("while exchanging: screen %v step %v", v.Screen, v.OAuth.Step)
	}
	back.answer(tok, 200, `{"access_token":"at-1","token_type":"Bearer","expires_in":300,"refresh_token":"rt-1","scope":"x"}`)
	who, wr := pendingOf[WhoAmI](back)
	if wr.AccessToken != "at-1" || wr.Base != testHS.BaseURL {
		t.Errorf("whoami %+v", wr)
	}
	back.answer(who, 200, `{"user_id":"@alice:example.org","device_id":"DEV"}`)
	if v := back.view(); v.Screen != ScreenDone || v.Done.UserID != "@alice:example.org" {
		t.Fatalf("after whoami: screen %v, user %q", v.Screen, v.Done.UserID)
	}
	if n, ok := lastOf[Notify](back); !ok || n.Event != "signup:registered" || n.Detail["user_id"] != "@alice:example.org" {
		t.Errorf("host page told %+v", n)
	}
	var revoked []string
	for _, s := range back.inflight {
		if r, ok := s.Req.(Revoke); ok {
			revoked = append(revoked, r.Hint+"="+r.Token+"@"+r.Endpoint+"/"+r.ClientID)
		}
	}
	if want := []string{"access_token=at-1@https://hs.example.org/oauth2/revoke/client-1",
		"refresh_token=rt-1@https://hs.example.org/oauth2/revoke/client-1"}; !slices.Equal(revoked, want) {
		t.Errorf("revoked %v, want %v", revoked, want)
	}
	if back.flow != "" {
		t.Errorf("the flow outlives the sign-up: %s", back.flow)
	}
	for _, conv := range []*conv{c, back} {
		for _, e := range conv.effects {
			b, _ := json.Marshal(e)
			switch e.(type) {
			case Send:
				continue
			}
			if strings.Contains(string(b), "at-1") || strings.Contains(string(b), "rt-1") {
				t.Errorf("a token in %T: %s", e, b)
			}
		}
	}
}

// callbackOf is the saved flow of a conversation that went to the
// authorization endpoint, and the state it sent.
func toAuthorization(t *testing.T, s Settings, st Start) (*conv, Flow) {
	t.Helper()
	c := oauthStarted(t, s, st, nil)
	c.act(OAuthContinue)
	reg, _ := pendingOf[ClientRegistration](c)
	c.answer(reg, 201, `{"client_id":"client-1"}`)
	var f Flow
	if err := json.Unmarshal([]byte(c.flow), &f); err != nil {
		t.Fatalf("flow %q: %v", c.flow, err)
	}
	return c, f
}

// Embedded, the flow runs in a popup: the window opens from the click
// (about:blank, before any request), goes to the authorization endpoint
// once the client is registered, and its callback page hands the result
// back (Callback); the redirect URI is that callback page.
func TestOAuthPopupWhenEmbedded(t *testing.T) {
	st := Start{PageURL: oauthPage, Embedded: true, CallbackURL: "https://signup.example.org/web/callback.html"}
	c := oauthStarted(t, Settings{}, st, nil)
	n := len(c.effects)
	c.act(OAuthContinue)
	if len(c.effects) <= n {
		t.Fatal("no effect")
	}
	if w, ok := c.effects[n].(OpenWindow); !ok || w.URL != "" || w.Move {
		t.Fatalf("first effect %#v, want the blank window", c.effects[n])
	}
	c.do(WindowOpened{OK: true})
	reg, r := pendingOf[ClientRegistration](c)
	if !slices.Equal(r.Metadata.RedirectURIs, []string{st.CallbackURL}) {
		t.Errorf("redirect_uris %v", r.Metadata.RedirectURIs)
	}
	c.answer(reg, 201, `{"client_id":"client-1"}`)
	w, ok := lastOf[OpenWindow](c)
	if !ok || !w.Move || !strings.HasPrefix(w.URL, "https://hs.example.org/oauth2/authorize?") {
		t.Fatalf("the window was not sent on: %+v", w)
	}
	if _, navigated := lastOf[Navigate](c); navigated {
		t.Error("the embedded page itself navigated away")
	}
	if v := c.view(); v.OAuth.Step != OAuthAway || !v.OAuth.Popup {
		t.Errorf("while away: %+v", v.OAuth)
	}
	u, _ := url.Parse(w.URL)
	c.do(Callback{URL: st.CallbackURL + "?code=code-1&state=" + u.Query().Get("state")})
	if _, ok := lastOf[CloseWindow](c); !ok {
		t.Error("the popup was not closed")
	}
	tok, tr := pendingOf[CodeToken](c)
	if tr.X.Redirect != st.CallbackURL || tr.X.Code != "code-1" {
		t.Errorf("token request %+v", tr.X)
	}
	c.answer(tok, 200, `{"access_token":"at-1","token_type":"bearer"}`)
	who, _ := pendingOf[WhoAmI](c)
	c.answer(who, 200, `{"user_id":"@alice:example.org"}`)
	if v := c.view(); v.Screen != ScreenDone {
		t.Fatalf("screen %v", v.Screen)
	}
	if _, r := pendingOf[Revoke](c); r.Token != "at-1" {
		t.Errorf("revoked %q", r.Token)
	}
}

// A popup the browser blocks ends the flow with a plain message; the
// client registration in flight no longer matters. Cancel while away
// closes the window and forgets the flow. A relayed callback of another
// state is refused.
func TestOAuthPopupBlockedCancelledForged(t *testing.T) {
	st := Start{PageURL: oauthPage, Embedded: true, CallbackURL: "https://signup.example.org/web/callback.html"}
	c := oauthStarted(t, Settings{}, st, nil)
	c.act(OAuthContinue)
	c.do(WindowOpened{OK: false})
	if v := c.view(); v.OAuth.Error.Key != "oauth.blocked" || !v.OAuth.Blocked || v.OAuth.Step != OAuthIdle {
		t.Errorf("blocked: %+v", v.OAuth)
	}
	reg, _ := pendingOf[ClientRegistration](c)
	c.answer(reg, 201, `{"client_id":"client-1"}`)
	if _, ok := lastOf[OpenWindow](c); ok && c.view().OAuth.Step == OAuthAway {
		t.Error("a blocked flow went on")
	}

	c = oauthStarted(t, Settings{}, st, nil)
	c.act(OAuthContinue)
	c.do(WindowOpened{OK: true})
	reg, _ = pendingOf[ClientRegistration](c)
	c.answer(reg, 201, `{"client_id":"client-1"}`)
	c.do(Callback{URL: st.CallbackURL + "?code=forged&state=someone-elses"})
	if hasPending[CodeToken](c) || c.view().OAuth.Error.Key != "oauth.state" {
		t.Errorf("a forged callback: %+v", c.view().OAuth)
	}

	c = oauthStarted(t, Settings{}, st, nil)
	c.act(OAuthContinue)
	c.do(WindowOpened{OK: true})
	reg, _ = pendingOf[ClientRegistration](c)
	c.answer(reg, 201, `{"client_id":"client-1"}`)
	c.act(OAuthCancel)
	if _, ok := lastOf[CloseWindow](c); !ok || c.flow != "" || c.view().OAuth.Step != OAuthIdle {
		t.Errorf("cancel: closed %v, flow %q, step %v", ok, c.flow, c.view().OAuth.Step)
	}
}
