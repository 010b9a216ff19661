package tesths

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// authed sends method path with the access token tok and returns the
// status and body.
func authed(t *testing.T, s *Server, method, path, tok string) (int, []byte) {
	t.Helper()
	var body io.Reader
	if method == "POST" {
		body = strings.NewReader("{}")
	}
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// /logout invalidates the token at once, as the spec says: whoami,
// get_token and a second logout then answer 401 M_UNKNOWN_TOKEN.
func TestLogout(t *testing.T) {
	s := Start(t, Config{LoginTokens: true})
	sess := startSession(t, s, map[string]any{"username": "lena", "password": "a long password"})
	code, b := post(t, s, register, withAuth(map[string]any{"username": "lena", "password": "a long password"},
		map[string]any{"type": "m.login.dummy", "session": sess}))
	tok, _ := checkSuccess(t, code, b, "@lena:localhost")["access_token"].(string)
	if s.AccessTokens() != 1 {
		t.Fatalf("AccessTokens = %d after a registration", s.AccessTokens())
	}
	code, b = authed(t, s, "GET", pathWhoami, tok)
	expect(t, code, b, 200, `{"user_id":"@lena:localhost"}`)

	code, b = authed(t, s, "POST", pathLogout, tok)
	expect(t, code, b, 200, `{}`)
	if s.AccessTokens() != 0 {
		t.Errorf("AccessTokens = %d after the logout", s.AccessTokens())
	}
	const unknown = `{"errcode":"M_UNKNOWN_TOKEN","error":"Unknown access token"}`
	for _, c := range []struct{ method, path string }{{"GET", pathWhoami}, {"POST", pathGetToken}, {"POST", pathLogout}} {
		code, b = authed(t, s, c.method, c.path, tok)
		expect(t, code, b, 401, unknown)
	}
	code, b = authed(t, s, "POST", pathLogout, "")
	expect(t, code, b, 401, unknown)

	t.Run("a password login is a device too, ended by its own logout", func(t *testing.T) {
		code, b := post(t, s, pathLogin, map[string]any{"type": "m.login.password", "user": "lena", "password": "a long password"})
		if code != 200 {
			t.Fatalf("login: %d %s", code, b)
		}
		tok, _ := decode(t, b)["access_token"].(string)
		if code, b := authed(t, s, "GET", pathWhoami, tok); code != 200 {
			t.Fatalf("whoami: %d %s", code, b)
		}
		if s.AccessTokens() != 1 {
			t.Errorf("AccessTokens = %d", s.AccessTokens())
		}
	})
}
