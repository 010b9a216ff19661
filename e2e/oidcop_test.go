package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/pkg/client/rp"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// The test OpenID provider alone, driven as a relying party would
// (OpenID Connect Core 1.0 §3.1, the code flow, with PKCE, RFC 7636):
// discovery, a refused redirect URI, the login page refusing a wrong
// password, the code exchanged only with the right code_verifier and
// client secret, and an ID token for the user's subject.
func TestOIDCProvider(t *testing.T) {
	p := StartOIDCProvider(t)
	sub := p.AddUser("alice", "idp password")
	rpPage := startSSOClientPage(t)
	callback := rpPage.URL + "/callback"
	p.AllowRedirectURI(callback)

	var meta struct {
		Issuer       string   `json:"issuer"`
		Token        string   `json:"token_endpoint"`
		JWKS         string   `json:"jwks_uri"`
		PKCE         []string `json:"code_challenge_methods_supported"`
		ClientAuth   []string `json:"token_endpoint_auth_methods_supported"`
		AuthEndpoint string   `json:"authorization_endpoint"`
	}
	b := newSSOBrowser(t)
	page := b.get(t, p.Issuer+"/.well-known/openid-configuration")
	if page.code != http.StatusOK || json.Unmarshal([]byte(page.body), &meta) != nil {
		t.Fatalf("discovery: %d %s", page.code, page.body)
	}
	if meta.Issuer != p.Issuer || !slices.Contains(meta.PKCE, "S256") || !slices.Contains(meta.ClientAuth, "client_secret_basic") {
		t.Fatalf("discovery: %+v", meta)
	}

	verifier := randomHex(32)
	authorize := func(redirect string) ssoPage {
		q := url.Values{"client_id": {p.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"},
			"scope": {"openid"}, "state": {"st"}, "nonce": {"nn"},
			"code_challenge": {oidc.NewSHACodeChallenge(verifier)}, "code_challenge_method": {"S256"}}
		return b.get(t, meta.AuthEndpoint+"?"+q.Encode())
	}
	if page := authorize(rpPage.URL + "/not-registered"); strings.Contains(page.body, OIDCLoginFormID) {
		t.Fatalf("an unregistered redirect URI got the login page: %s", page.url)
	}
	page = authorize(callback)
	if page = b.login(t, page, "alice", "wrong"); page.code != http.StatusUnauthorized || !strings.Contains(page.body, OIDCLoginErrorID) {
		t.Fatalf("a wrong password: %d %s", page.code, page.body)
	}
	page = b.login(t, page, "alice", "idp password")
	code := page.url.Query().Get("code")
	if page.url.Path != "/callback" || code == "" || page.url.Query().Get("state") != "st" {
		t.Fatalf("after the login: %s", page.url)
	}

	exchange := func(secret, verifier string) (int, map[string]any) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback},
			"code_verifier": {verifier}}
		req, _ := http.NewRequest(http.MethodPost, meta.Token, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(p.ClientID, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	if status, out := exchange("wrong", verifier); status == http.StatusOK {
		t.Fatalf("a wrong client secret got tokens: %v", out)
	}
	if status, out := exchange(p.ClientSecret, "not-the-verifier-"+verifier); status == http.StatusOK {
		t.Fatalf("a wrong code_verifier got tokens: %v", out)
	}
	status, out := exchange(p.ClientSecret, verifier)
	idToken, _ := out["id_token"].(string)
	if status != http.StatusOK || idToken == "" {
		t.Fatalf("token: %d %v", status, out)
	}
	v := rp.NewIDTokenVerifier(p.Issuer, p.ClientID, rp.NewRemoteKeySet(http.DefaultClient, meta.JWKS),
		rp.WithNonce(func(context.Context) string { return "nn" }))
	claims, err := rp.VerifyIDToken[*oidc.IDTokenClaims](context.Background(), idToken, v)
	if err != nil {
		t.Fatalf("the ID token does not verify: %v", err)
	}
	if claims.Subject != sub {
		t.Fatalf("ID token subject %q, want %q", claims.Subject, sub)
	}
	if got := p.Logins(); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("Logins() = %q", got)
	}
}
