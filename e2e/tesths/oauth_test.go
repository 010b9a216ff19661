package tesths

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestOAuthRoundTrip signs a user up the way the widget does on an
// OAuth-delegated server, in both response modes, with the authorization
// server on the homeserver's origin or its own, with the stable or the
// unstable discovery.
func TestOAuthRoundTrip(t *testing.T) {
	for _, mode := range []string{"query", "fragment"} {
		for _, separate := range []bool{false, true} {
			for _, unstable := range []bool{false, true} {
				name := fmt.Sprintf("%s mode, separate %v, unstable %v", mode, separate, unstable)
				t.Run(name, func(t *testing.T) { roundTrip(t, mode, separate, unstable) })
			}
		}
	}
}

func roundTrip(t *testing.T, mode string, separate, unstable bool) {
	f := newOAuthFixture(t, OAuthConfig{Separate: separate, Unstable: unstable})
	s := f.s
	if separate == (s.AuthURL == s.URL) {
		t.Fatalf("AuthURL %s, URL %s", s.AuthURL, s.URL)
	}

	// Discovery.
	stable, unstablePath := pathAuthMetadata, PathAuthMetadataUnstable
	code, b := get(t, s, unstablePath)
	if code != 200 {
		t.Fatalf("unstable auth_metadata: %d %s", code, b)
	}
	code, b = get(t, s, stable)
	if unstable {
		expect(t, code, b, 404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)
		_, b = get(t, s, unstablePath)
	} else if code != 200 {
		t.Fatalf("auth_metadata: %d %s", code, b)
	}
	md := decode(t, b)
	if md["issuer"] != s.AuthURL+"/" || md["token_endpoint"] != s.AuthURL+PathOAuthToken {
		t.Fatalf("metadata %s", b)
	}
	if !slices.Contains(anyStrings(md["prompt_values_supported"]), "create") ||
		!slices.Equal(anyStrings(md["response_modes_supported"]), []string{"query", "fragment"}) ||
		!slices.Equal(anyStrings(md["code_challenge_methods_supported"]), []string{"S256"}) {
		t.Fatalf("metadata %s", b)
	}
	_, wk := get(t, s, s.AuthURL+PathOAuthWellKnown)
	if string(wk) != string(b) {
		t.Fatalf("well-known %s\nauth_metadata %s", wk, b)
	}
	_, vb := get(t, s, pathVersions)
	if has := slices.Contains(anyStrings(decode(t, vb)["versions"]), "v1.15"); has == unstable {
		t.Fatalf("versions %s", vb)
	}
	code, _, b = call(t, s, "POST", register, map[string]any{"username": "alice", "password": "correct horse"})
	expect(t, code, b, 403, `{"errcode":"M_FORBIDDEN","error":"Registration has been disabled. Only m.login.application_service registrations are allowed."}`)

	// Registration, with the CORS preflight a browser sends first.
	req, _ := http.NewRequest("OPTIONS", md["registration_endpoint"].(string), nil)
	req.Header.Set("Origin", f.site.URL)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Content-Type") {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	clientID := f.registerClient(t, f.meta())

	// Authorization: the sign-up page.
	verifier, challenge := pkcePair()
	q := f.authParams(clientID, challenge, mode)
	status, loc, page := f.authorize(t, q)
	if status != 200 || loc != "" {
		t.Fatalf("authorize: %d %q %s", status, loc, page)
	}
	for _, id := range []string{"as-username", "as-password", "as-create", "as-cancel"} {
		if !hasID(page, id) {
			t.Fatalf("no #%s in the sign-up page: %s", id, page)
		}
	}
	if hasID(page, "as-signin") || !strings.Contains(page, "Create account") ||
		strings.Contains(page, "<widget>") || !strings.Contains(page, "Signup &lt;widget&gt;") {
		t.Fatalf("sign-up page: %s", page)
	}
	status, loc, b2 := f.submit(t, page, url.Values{"username": {"alice"}, "password": {"correct horse"}, "action": {"create"}})
	if status != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", status, b2)
	}
	if !strings.HasPrefix(loc, f.redirect) {
		t.Fatalf("Location %q does not go to %q", loc, f.redirect)
	}
	params := callbackParams(t, loc, mode)
	if params.Get("state") != "st&te=1" || params.Get("code") == "" {
		t.Fatalf("callback %q", loc)
	}
	if mode == "query" && (params.Get("from") != "widget" || !strings.HasSuffix(loc, "#")) {
		t.Fatalf("query callback %q lost the redirect URI's own query or the empty fragment", loc)
	}
	resp, err = client.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	f.mu.Lock()
	got := f.callbacks[len(f.callbacks)-1]
	f.mu.Unlock()
	if (got.Get("code") != "") != (mode == "query") || got.Get("from") != "widget" {
		t.Fatalf("the site got %v in %s mode", got, mode)
	}

	// Token, whoami, revocation.
	tok := f.exchange(t, clientID, params.Get("code"), verifier)
	if tok["token_type"] != "Bearer" || tok["refresh_token"] == "" || tok["expires_in"] != 300.0 ||
		tok["scope"] != "urn:matrix:client:api:* urn:matrix:client:device:DEVICE0123" {
		t.Fatalf("token answer %v", tok)
	}
	access := tok["access_token"].(string)
	code, b = whoami(t, s, access)
	expect(t, code, b, 200, `{"user_id":"@alice:localhost","is_guest":false,"device_id":"DEVICE0123"}`)
	if n := s.ActiveOAuthTokens(); n != 1 {
		t.Fatalf("%d active tokens", n)
	}
	code, _, b = call(t, s, "POST", md["revocation_endpoint"].(string), url.Values{
		"token": {access}, "token_type_hint": {"access_token"}, "client_id": {clientID}}.Encode())
	if code != 200 || len(b) != 0 {
		t.Fatalf("revoke: %d %s", code, b)
	}
	code, b = whoami(t, s, access)
	expect(t, code, b, 401, `{"errcode":"M_UNKNOWN_TOKEN","error":"Token is not active","soft_logout":false}`)
	if n := s.ActiveOAuthTokens(); n != 0 {
		t.Fatalf("%d active tokens after revocation", n)
	}

	// The account the page made logs in with its password.
	code, _, b = call(t, s, "POST", pathLogin, map[string]any{"type": "m.login.password",
		"identifier": map[string]any{"type": "m.id.user", "user": "alice"}, "password": "correct horse"})
	if code != 200 || decode(t, b)["user_id"] != "@alice:localhost" {
		t.Fatalf("login: %d %s", code, b)
	}

	// What was recorded.
	if cs := s.OAuthClients(); len(cs) != 1 || cs[0]["client_name"] != "Signup <widget>" {
		t.Fatalf("OAuthClients %v", cs)
	}
	authHost := strings.TrimPrefix(s.AuthURL, "http://")
	for _, p := range []string{PathOAuthRegistration, PathOAuthToken, PathOAuthRevoke} {
		rs := s.RequestsTo("POST", p)
		if len(rs) != 1 || rs[0].Host != authHost {
			t.Fatalf("requests to %s: %+v", p, rs)
		}
	}
	if separate {
		code, _ = get(t, s, PathOAuthToken)
		if code != 404 {
			t.Fatalf("the homeserver's origin serves the token endpoint: %d", code)
		}
		code, _ = get(t, s, s.AuthURL+pathVersions)
		if code != 404 {
			t.Fatalf("the authorization server's origin serves /versions: %d", code)
		}
	}
}

func anyStrings(v any) []string {
	var out []string
	arr, _ := v.([]any)
	for _, e := range arr {
		str, _ := e.(string)
		out = append(out, str)
	}
	return out
}
