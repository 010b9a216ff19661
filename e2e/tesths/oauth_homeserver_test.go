package tesths

import (
	"net/http"
	"testing"
)

// TestOAuthHomeserver checks the homeserver's side of the delegation, as
// Synapse with MAS answers it.
func TestOAuthHomeserver(t *testing.T) {
	f := newOAuthFixture(t, OAuthConfig{Patch: map[string]any{"account_management_uri": nil, "op_tos_uri": "https://example.org/tos"}})
	s := f.s

	t.Run("register answers only application services", func(t *testing.T) {
		for _, c := range []struct {
			path string
			body map[string]any
			code int
			want string
		}{
			{register, map[string]any{}, 403, `{"errcode":"M_FORBIDDEN","error":"Registration has been disabled. Only m.login.application_service registrations are allowed."}`},
			{register + "?kind=guest", map[string]any{}, 403, `{"errcode":"M_FORBIDDEN","error":"Registration has been disabled. Only m.login.application_service registrations are allowed."}`},
			{register, map[string]any{"type": "m.login.application_service", "username": "x"}, 400, `{"errcode":"M_APPSERVICE_LOGIN_UNSUPPORTED","error":"This server uses OAuth2, so the inhibit_login parameter must be set to true for appservice registrations."}`},
			{register, map[string]any{"type": "m.login.application_service", "username": "x", "inhibit_login": true}, 400, `{"errcode":"M_UNKNOWN","error":"Appservice token must be provided when using a type of m.login.application_service"}`},
		} {
			code, _, b := call(t, s, "POST", c.path, c.body)
			expect(t, code, b, c.code, c.want)
		}
	})
	t.Run("the registration helpers are gone", func(t *testing.T) {
		for _, p := range []string{"/_matrix/client/v3/register/available?username=x", validity + "?token=x"} {
			code, b := get(t, s, p)
			expect(t, code, b, 404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)
		}
		code, _, b := call(t, s, "POST", emailTok, map[string]any{"client_secret": "a", "email": "a@example.org", "send_attempt": 1})
		expect(t, code, b, 404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)
	})
	t.Run("login flows are MAS's", func(t *testing.T) {
		code, b := get(t, s, pathLogin)
		expect(t, code, b, 200, `{"flows":[{"type":"m.login.password"},{"type":"m.login.sso","oauth_aware_preferred":true,"org.matrix.msc3824.delegated_oidc_compatibility":true},{"type":"m.login.token"}]}`)
	})
	t.Run("Patch changes the metadata", func(t *testing.T) {
		_, b := get(t, s, pathAuthMetadata)
		md := decode(t, b)
		if _, ok := md["account_management_uri"]; ok || md["op_tos_uri"] != "https://example.org/tos" {
			t.Fatalf("metadata %s", b)
		}
	})
	t.Run("logout refuses OAuth tokens, as MAS's compatibility layer", func(t *testing.T) {
		clientID := f.registerClient(t, f.meta())
		verifier, challenge := pkcePair()
		access := f.exchange(t, clientID, f.codeFor(t, clientID, challenge, "henry"), verifier)["access_token"].(string)
		req, _ := http.NewRequest("POST", s.URL+pathLogout, nil)
		req.Header.Set("Authorization", "Bearer "+access)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("logout with an OAuth token: %d", resp.StatusCode)
		}
		if code, _ := whoami(t, s, access); code != 200 {
			t.Fatalf("logout ended the OAuth token: %d", code)
		}
		code, _, b := call(t, s, "POST", pathLogout, map[string]any{})
		expect(t, code, b, 401, `{"errcode":"M_MISSING_TOKEN","error":"Missing access token"}`)

		code, _, b = call(t, s, "POST", pathLogin, map[string]any{"type": "m.login.password", "user": "henry", "password": "correct horse"})
		if code != 200 {
			t.Fatalf("login: %d %s", code, b)
		}
		tok := decode(t, b)["access_token"].(string)
		if code, b := whoami(t, s, tok); code != 200 {
			t.Fatalf("whoami with the password login's token: %d %s", code, b)
		}
		req, _ = http.NewRequest("POST", s.URL+pathLogout, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err = client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if code, _ := whoami(t, s, tok); resp.StatusCode != 200 || code != 401 {
			t.Fatalf("logout %d, then whoami %d", resp.StatusCode, code)
		}
	})
	t.Run("the old AuthMetadata knob is untouched", func(t *testing.T) {
		plain := Start(t, Config{AuthMetadata: map[string]any{"issuer": "https://auth.example.org/"}})
		code, b := get(t, plain, pathAuthMetadata)
		expect(t, code, b, 200, `{"issuer":"https://auth.example.org/"}`)
		code, _, b = call(t, plain, "POST", PathOAuthRegistration, map[string]any{})
		expect(t, code, b, 404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)
	})
}
