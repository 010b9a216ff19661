package tesths

import (
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestOAuthRegistrationRefusals sends the widget's client metadata with
// one thing wrong at a time.
func TestOAuthRegistrationRefusals(t *testing.T) {
	f := newOAuthFixture(t, OAuthConfig{})
	site := f.site.URL // http://127.0.0.1:port
	cases := []struct {
		name    string
		change  map[string]any // nil value: delete
		wantErr string
		desc    string // in error_description
	}{
		// As MAS: its redirect URI then matches no client_uri either.
		{"no client_uri", map[string]any{"client_uri": nil}, "invalid_redirect_uri", "missing client_uri"},
		{"no client_uri nor redirect URI", map[string]any{"client_uri": nil, "redirect_uris": []any{}, "grant_types": []any{"refresh_token"}}, "invalid_client_metadata", "missing client_uri"},
		{"an http client_uri off loopback", map[string]any{"client_uri": "http://example.org/", "redirect_uris": []any{"https://example.org/cb"}}, "invalid_client_metadata", "invalid client_uri"},
		{"a client_uri with a password", map[string]any{"client_uri": "https://u:p@example.org/", "redirect_uris": []any{"https://example.org/cb"}}, "invalid_client_metadata", "invalid client_uri"},
		{"no redirect_uris", map[string]any{"redirect_uris": nil}, "invalid_redirect_uri", "missing redirect_uris"},
		{"empty redirect_uris", map[string]any{"redirect_uris": []any{}}, "invalid_redirect_uri", "at least one redirect_uri"},
		{"a redirect URI with a fragment", map[string]any{"redirect_uris": []any{site + "/cb#x"}}, "invalid_redirect_uri", "fragment"},
		{"a redirect URI on another host", map[string]any{"redirect_uris": []any{"https://example.org/cb"}}, "invalid_redirect_uri", "invalid redirect_uri https://example.org/cb"},
		{"an http redirect URI off loopback", map[string]any{"client_uri": "https://example.org/", "redirect_uris": []any{"http://example.org/cb"}}, "invalid_redirect_uri", "invalid redirect_uri"},
		{"a redirect URI on a parent domain", map[string]any{"client_uri": "https://app.example.org/", "redirect_uris": []any{"https://example.org/cb"}}, "invalid_redirect_uri", "invalid redirect_uri"},
		{"a redirect URI on a look-alike host", map[string]any{"client_uri": "https://example.org/", "redirect_uris": []any{"https://badexample.org/cb"}}, "invalid_redirect_uri", "invalid redirect_uri"},
		{"a logo_uri on another host", map[string]any{"logo_uri": "https://example.org/logo.png"}, "invalid_client_metadata", "logo_uri not on the same host"},
		{"an http tos_uri", map[string]any{"client_uri": "https://example.org/", "redirect_uris": []any{"https://example.org/cb"}, "tos_uri": "http://example.org/tos"}, "invalid_client_metadata", "invalid tos_uri"},
		{"a localised policy_uri on another host", map[string]any{"policy_uri#fr": "https://example.org/fr"}, "invalid_client_metadata", "policy_uri#fr not on the same host"},
		{"a client_secret method", map[string]any{"token_endpoint_auth_method": "client_secret_basic"}, "invalid_client_metadata", "token_endpoint_auth_method"},
		{"response_types without code", map[string]any{"response_types": []any{"none"}}, "invalid_client_metadata", "must include code"},
		{"response_types with a token", map[string]any{"response_types": []any{"code token"}}, "invalid_client_metadata", "incoherent"},
		{"an unknown application_type", map[string]any{"application_type": "desktop"}, "invalid_client_metadata", "application_type"},
		{"redirect_uris not a list", map[string]any{"redirect_uris": site + "/cb"}, "invalid_client_metadata", "redirect_uris"},
		{"a native client's loopback URI with a port", map[string]any{"application_type": "native", "client_uri": "https://example.org/", "redirect_uris": []any{"http://localhost:1234/cb"}}, "invalid_redirect_uri", "invalid redirect_uri"},
		{"a native client's scheme of another domain", map[string]any{"application_type": "native", "client_uri": "https://example.org/", "redirect_uris": []any{"com.other.app:/cb"}}, "invalid_redirect_uri", "invalid redirect_uri"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			md := f.meta()
			for k, v := range c.change {
				if v == nil {
					delete(md, k)
				} else {
					md[k] = v
				}
			}
			code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthRegistration, md)
			wantOAuthError(t, code, b, 400, c.wantErr)
			if d, _ := decode(t, b)["error_description"].(string); !strings.Contains(d, c.desc) {
				t.Fatalf("error_description %q lacks %q", d, c.desc)
			}
		})
	}

	t.Run("what passes", func(t *testing.T) {
		for name, change := range map[string]map[string]any{
			"the widget's metadata": {},
			"a subdomain and another port": {"client_uri": "https://example.org/", "redirect_uris": []any{"https://app.example.org:8443/cb?x=1"},
				"logo_uri": "https://cdn.example.org/l.png", "tos_uri": "https://example.org/tos", "policy_uri#fr": "https://example.org/fr"},
			"a native client":               {"application_type": "native", "client_uri": "https://example.org/", "redirect_uris": []any{"org.example.app:/cb", "http://127.0.0.1/cb"}},
			"no token_endpoint_auth_method": {"token_endpoint_auth_method": nil},
		} {
			md := f.meta()
			maps.Copy(md, change)
			for k, v := range md {
				if v == nil {
					delete(md, k)
				}
			}
			code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthRegistration, md)
			if code != 201 {
				t.Fatalf("%s: %d %s", name, code, b)
			}
		}
	})
	t.Run("https is required without AllowInsecureURIs", func(t *testing.T) {
		s := Start(t, Config{OAuth: &OAuthConfig{}})
		code, _, b := call(t, s, "POST", s.AuthURL+PathOAuthRegistration, f.meta())
		wantOAuthError(t, code, b, 400, "invalid_redirect_uri")
		if d, _ := decode(t, b)["error_description"].(string); !strings.Contains(d, "invalid client_uri") {
			t.Fatalf("error_description %q", d)
		}
	})
	t.Run("JSON only", func(t *testing.T) {
		code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthRegistration, "client_uri=x")
		wantOAuthError(t, code, b, 400, "invalid_request")
	})
	t.Run("RefuseRegistration", func(t *testing.T) {
		s := Start(t, Config{OAuth: &OAuthConfig{AllowInsecureURIs: true, RefuseRegistration: "invalid_client_metadata"}})
		code, _, b := call(t, s, "POST", s.AuthURL+PathOAuthRegistration, f.meta())
		wantOAuthError(t, code, b, 400, "invalid_client_metadata")
		if len(s.OAuthClients()) != 1 {
			t.Fatal("the refused request was not recorded")
		}
	})
}

// TestOAuthAuthorizeRefusals sends the authorization request with one
// thing wrong at a time: what cannot go back to the client is a page, the
// rest a redirect with the error and the state.
func TestOAuthAuthorizeRefusals(t *testing.T) {
	f := newOAuthFixture(t, OAuthConfig{ResponseModes: []string{"query", "fragment"}})
	clientID := f.registerClient(t, f.meta())
	md := f.meta()
	md["grant_types"] = []any{"refresh_token"}
	noCodeClient := f.registerClient(t, md)
	_, challenge := pkcePair()
	const dev = "urn:matrix:client:device:"
	for _, c := range []struct {
		name    string
		change  map[string]string // "": delete
		wantErr string            // "" for the error page
	}{
		{"an unknown client", map[string]string{"client_id": "nope"}, ""},
		{"an unregistered redirect_uri", map[string]string{"redirect_uri": f.site.URL + "/other"}, ""},
		{"a redirect_uri with another query", map[string]string{"redirect_uri": f.site.URL + "/callback?from=evil"}, ""},
		{"response_type token", map[string]string{"response_type": "token"}, "unsupported_response_type"},
		{"no response_type", map[string]string{"response_type": ""}, "invalid_request"},
		{"no code_challenge", map[string]string{"code_challenge": ""}, "invalid_request"},
		{"code_challenge_method plain", map[string]string{"code_challenge_method": "plain"}, "invalid_request"},
		{"no code_challenge_method", map[string]string{"code_challenge_method": ""}, "invalid_request"},
		{"a response_mode not offered", map[string]string{"response_mode": "form_post"}, "invalid_request"},
		{"no API scope", map[string]string{"scope": dev + "DEVICE0123"}, "invalid_scope"},
		{"no device scope", map[string]string{"scope": "urn:matrix:client:api:*"}, "invalid_scope"},
		{"two device scopes", map[string]string{"scope": "urn:matrix:client:api:* " + dev + "DEVICE0123 " + dev + "DEVICE4567"}, "invalid_scope"},
		{"a short device ID", map[string]string{"scope": "urn:matrix:client:api:* " + dev + "ABC"}, "invalid_scope"},
		{"a device ID with a space-like character", map[string]string{"scope": "urn:matrix:client:api:* " + dev + "DEVICE0123\"x"}, "invalid_scope"},
		{"mixed stable and unstable", map[string]string{"scope": "urn:matrix:client:api:* urn:matrix:org.matrix.msc2967.client:device:DEVICE0123"}, "invalid_scope"},
		{"an unknown scope", map[string]string{"scope": "urn:matrix:client:api:* " + dev + "DEVICE0123 urn:synapse:admin:*"}, "invalid_scope"},
		{"a client without the code grant", map[string]string{"client_id": noCodeClient}, "unauthorized_client"},
		{"prompt=none", map[string]string{"prompt": "none"}, "login_required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := f.authParams(clientID, challenge, "query")
			for k, v := range c.change {
				if v == "" {
					q.Del(k)
				} else {
					q.Set(k, v)
				}
			}
			status, loc, page := f.authorize(t, q)
			if c.wantErr == "" {
				if status != 400 || loc != "" || !hasID(page, "as-error") || grantRE.MatchString(page) {
					t.Fatalf("want an error page, got %d %q %s", status, loc, page)
				}
				return
			}
			if status != http.StatusSeeOther || !strings.HasPrefix(loc, f.redirect) {
				t.Fatalf("want a redirect, got %d %q %s", status, loc, page)
			}
			p := callbackParams(t, loc, "query")
			if p.Get("error") != c.wantErr || p.Get("state") != "st&te=1" || p.Get("error_description") == "" || p.Has("code") {
				t.Fatalf("callback %q, want error %s", loc, c.wantErr)
			}
		})
	}
	t.Run("errors use the fragment in fragment mode", func(t *testing.T) {
		q := f.authParams(clientID, challenge, "fragment")
		q.Set("response_type", "token")
		_, loc, _ := f.authorize(t, q)
		if p := callbackParams(t, loc, "fragment"); p.Get("error") != "unsupported_response_type" || strings.Contains(loc, "?from=widget&") {
			t.Fatalf("callback %q", loc)
		}
	})
	t.Run("a mode left out of ResponseModes", func(t *testing.T) {
		g := newOAuthFixture(t, OAuthConfig{ResponseModes: []string{"query"}})
		id := g.registerClient(t, g.meta())
		_, loc, _ := g.authorize(t, g.authParams(id, challenge, "fragment"))
		if p := callbackParams(t, loc, "query"); p.Get("error") != "invalid_request" {
			t.Fatalf("callback %q", loc)
		}
		_, b := get(t, g.s, PathAuthMetadataUnstable)
		if m := anyStrings(decode(t, b)["response_modes_supported"]); len(m) != 1 || m[0] != "query" {
			t.Fatalf("metadata %s", b)
		}
	})
	t.Run("no state, no state back", func(t *testing.T) {
		q := f.authParams(clientID, challenge, "query")
		q.Del("state")
		q.Set("response_type", "token")
		_, loc, _ := f.authorize(t, q)
		if p := callbackParams(t, loc, "query"); p.Has("state") || p.Get("error") == "" {
			t.Fatalf("callback %q", loc)
		}
	})
}

// TestOAuthTokenRefusals breaks the token request one part at a time.
func TestOAuthTokenRefusals(t *testing.T) {
	f := newOAuthFixture(t, OAuthConfig{})
	clientID := f.registerClient(t, f.meta())
	other := f.registerClient(t, f.meta())
	md := f.meta()
	delete(md, "token_endpoint_auth_method")
	noMethod := f.registerClient(t, md)
	verifier, challenge := pkcePair()
	n := 0
	good := func() url.Values {
		n++
		code := f.codeFor(t, clientID, challenge, "user"+strings.Repeat("x", n))
		return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {f.redirect},
			"client_id": {clientID}, "code_verifier": {verifier}}
	}
	for _, c := range []struct {
		name       string
		change     map[string]string
		wantStatus int
		wantErr    string
	}{
		{"a wrong code_verifier", map[string]string{"code_verifier": strings.Repeat("a", 43)}, 400, "invalid_grant"},
		{"a code_verifier too short", map[string]string{"code_verifier": verifier[:42]}, 400, "invalid_grant"},
		{"no code_verifier", map[string]string{"code_verifier": ""}, 400, "invalid_request"},
		{"another redirect_uri", map[string]string{"redirect_uri": f.site.URL + "/other"}, 400, "invalid_grant"},
		{"no redirect_uri", map[string]string{"redirect_uri": ""}, 400, "invalid_grant"},
		{"another client's code", map[string]string{"client_id": other}, 400, "invalid_grant"},
		{"an unknown code", map[string]string{"code": "nope"}, 400, "invalid_grant"},
		{"an unknown client", map[string]string{"client_id": "nope"}, 401, "invalid_client"},
		{"a client without token_endpoint_auth_method", map[string]string{"client_id": noMethod}, 401, "unauthorized_client"},
		{"no grant_type", map[string]string{"grant_type": ""}, 400, "invalid_request"},
		{"an unknown grant_type", map[string]string{"grant_type": "password"}, 400, "unsupported_grant_type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := good()
			for k, v := range c.change {
				if v == "" {
					form.Del(k)
				} else {
					form.Set(k, v)
				}
			}
			code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthToken, form.Encode())
			wantOAuthError(t, code, b, c.wantStatus, c.wantErr)
		})
	}
	t.Run("a code_verifier under 43 characters, though its S256 is the challenge", func(t *testing.T) {
		short := verifier[:42]
		sum := sha256.Sum256([]byte(short))
		n++
		code := f.codeFor(t, clientID, base64.RawURLEncoding.EncodeToString(sum[:]), "short"+strings.Repeat("x", n))
		status, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthToken, url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {f.redirect}, "client_id": {clientID}, "code_verifier": {short}}.Encode())
		wantOAuthError(t, status, b, 400, "invalid_grant")
	})
	t.Run("JSON is refused", func(t *testing.T) {
		form := good()
		body := map[string]any{}
		for k := range form {
			body[k] = form.Get(k)
		}
		code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthToken, body)
		wantOAuthError(t, code, b, 400, "invalid_request")
	})
	t.Run("a code works once", func(t *testing.T) {
		form := good()
		code, h, _ := f.token(t, form)
		if code != 200 || h.Get("Cache-Control") != "no-store" {
			t.Fatalf("first use: %d %v", code, h)
		}
		code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthToken, form.Encode())
		wantOAuthError(t, code, b, 400, "invalid_grant")
	})
	t.Run("a code used again after 20 seconds ends its session", func(t *testing.T) {
		form := good()
		_, _, tok := f.token(t, form)
		f.s.mu.Lock()
		g := f.s.oauth.codes[form.Get("code")]
		g.exchanged = g.exchanged.Add(-codeReuseKill - 1)
		f.s.mu.Unlock()
		code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthToken, form.Encode())
		wantOAuthError(t, code, b, 400, "invalid_grant")
		if code, _ := whoami(t, f.s, tok["access_token"].(string)); code != 401 {
			t.Fatalf("the session of the reused code lives on: %d", code)
		}
	})
	t.Run("an expired code", func(t *testing.T) {
		form := good()
		f.s.mu.Lock()
		f.s.oauth.codes[form.Get("code")].fulfilled = f.s.oauth.codes[form.Get("code")].fulfilled.Add(-codeTTL - 1)
		f.s.mu.Unlock()
		code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthToken, form.Encode())
		wantOAuthError(t, code, b, 400, "invalid_grant")
	})
	t.Run("TokenError", func(t *testing.T) {
		g := newOAuthFixture(t, OAuthConfig{TokenError: "invalid_grant"})
		code, _, b := call(t, g.s, "POST", g.s.AuthURL+PathOAuthToken, "grant_type=authorization_code")
		wantOAuthError(t, code, b, 400, "invalid_grant")
	})
}

// TestOAuthRevokeRefusals breaks the revocation request one part at a time.
func TestOAuthRevokeRefusals(t *testing.T) {
	f := newOAuthFixture(t, OAuthConfig{})
	clientID := f.registerClient(t, f.meta())
	other := f.registerClient(t, f.meta())
	verifier, challenge := pkcePair()
	tok := f.exchange(t, clientID, f.codeFor(t, clientID, challenge, "bob"), verifier)
	access := tok["access_token"].(string)
	for _, c := range []struct {
		name       string
		form       url.Values
		wantStatus int
		wantErr    string // "": 200 and the token still works
	}{
		{"no token", url.Values{"client_id": {clientID}}, 400, "invalid_request"},
		{"no client_id", url.Values{"token": {access}}, 401, "invalid_client"},
		{"another client", url.Values{"token": {access}, "client_id": {other}}, 401, "unauthorized_client"},
		{"an unknown hint", url.Values{"token": {access}, "client_id": {clientID}, "token_type_hint": {"id_token"}}, 400, "unsupported_token_type"},
		{"an unknown token", url.Values{"token": {"mat_nope"}, "client_id": {clientID}}, 200, ""},
		{"the hint of the other type", url.Values{"token": {access}, "client_id": {clientID}, "token_type_hint": {"refresh_token"}}, 200, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthRevoke, c.form.Encode())
			if c.wantErr != "" {
				wantOAuthError(t, code, b, c.wantStatus, c.wantErr)
			} else if code != 200 || len(b) != 0 {
				t.Fatalf("%d %s", code, b)
			}
			if code, b := whoami(t, f.s, access); code != 200 {
				t.Fatalf("the token was revoked: %d %s", code, b)
			}
		})
	}
	t.Run("JSON is refused", func(t *testing.T) {
		code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthRevoke, map[string]any{"token": access, "client_id": clientID})
		wantOAuthError(t, code, b, 400, "invalid_request")
	})
	t.Run("the refresh token ends the session", func(t *testing.T) {
		code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthRevoke, url.Values{"token": {tok["refresh_token"].(string)}, "client_id": {clientID}}.Encode())
		if code != 200 {
			t.Fatalf("%d %s", code, b)
		}
		if code, _ := whoami(t, f.s, access); code != 401 {
			t.Fatalf("the access token still works: %d", code)
		}
		status, _, m := f.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}, "client_id": {clientID}})
		if status != 400 || m["error"] != "invalid_grant" {
			t.Fatalf("refresh after revocation: %d %v", status, m)
		}
	})
}
