package tesths

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Where the test homeserver once agreed with the widget and real servers
// did not: each case answers as Synapse 1.163 does (the files named in the
// handlers' doc comments).

// The username is checked on the first /register, before any stage, and
// numeric or underscore names are refused there and by /available.
func TestUsernameCheckedBeforeUIA(t *testing.T) {
	s := Start(t, Config{Flows: [][]string{{"m.login.terms", "m.login.dummy"}}})
	s.AddUser("taken", "password1")
	invalid := func(msg string) string { return `{"errcode":"M_INVALID_USERNAME","error":"` + msg + `"}` }
	cases := []struct {
		name, username string
		want           string
	}{
		{"in use (any case)", "Taken", `{"errcode":"M_USER_IN_USE","error":"User ID already taken."}`},
		{"outside the grammar", "no spaces", invalid("User ID can only contain characters a-z, 0-9, or '=_-./+'")},
		{"all digits", "12345", invalid("Numeric user IDs are reserved for guest users.")},
		{"a leading underscore", "_bridge", invalid("User ID may not begin with _")},
		{"empty", "", invalid("User ID cannot be empty")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(s.Sessions())
			code, b := post(t, s, register, map[string]any{"username": c.username, "password": "a long password"})
			expect(t, code, b, 400, c.want)
			if n := len(s.Sessions()); n != before {
				t.Errorf("a refused name started a session")
			}
			if c.username == "" || c.username == "Taken" {
				return
			}
			code, b = get(t, s, "/_matrix/client/v3/register/available?username="+url.QueryEscape(c.username))
			expect(t, code, b, 400, c.want)
		})
	}
	t.Run("digits or an underscore inside a name are fine", func(t *testing.T) {
		for _, name := range []string{"r2d2", "a_b", "2fast"} {
			code, b := get(t, s, "/_matrix/client/v3/register/available?username="+name)
			expect(t, code, b, 200, `{"available":true}`)
		}
	})
	t.Run("a generated (numeric) localpart is still made when no name is sent", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(map[string]any{"password": "a long password"}, map[string]any{"type": "m.login.dummy"}))
		if code != 401 {
			t.Fatalf("status %d: %s", code, b)
		}
	})
}

// A completed session answers a replay with 200 and the same account, so a
// retry after a lost answer succeeds; inhibit_login holds for the replay.
func TestCompletedSessionReplay(t *testing.T) {
	s := Start(t, Config{})
	body := map[string]any{"username": "rita", "password": "a long password", "inhibit_login": true}
	sess := startSession(t, s, body)
	final := withAuth(body, map[string]any{"type": "m.login.dummy", "session": sess})
	for i := range 2 {
		code, b := post(t, s, register, final)
		expect(t, code, b, 200, `{"user_id":"@rita:localhost","home_server":"localhost"}`)
		if u := s.Users(); !slices.Equal(u, []string{"@rita:localhost"}) {
			t.Fatalf("answer %d: users %v", i+1, u)
		}
	}
	if s.AccessTokens() != 0 {
		t.Errorf("inhibit_login replays logged in %d devices", s.AccessTokens())
	}
	t.Run("the session cannot authenticate get_token", func(t *testing.T) {
		s := Start(t, Config{LoginTokens: true})
		body := map[string]any{"username": "sam", "password": "a long password"}
		sess := startSession(t, s, body)
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy", "session": sess}))
		tok, _ := checkSuccess(t, code, b, "@sam:localhost")["access_token"].(string)
		code, b = getToken(t, s, tok, map[string]any{"auth": map[string]any{"type": "m.login.password", "session": sess,
			"identifier": map[string]any{"type": "m.id.user", "user": "sam"}, "password": "a long password"}})
		expect(t, code, b, 403, `{"errcode":"M_FORBIDDEN","error":"Requested operation has changed during the UI authentication session."}`)
	})
}

// getToken posts body to get_token with the access token tok.
func getToken(t *testing.T, s *Server, tok string, body map[string]any) (int, []byte) {
	t.Helper()
	j, err := marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", s.URL+pathGetToken, strings.NewReader(string(j)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// get_token re-prompts for the password through UIA every time, as the
// spec requires and Synapse does.
func TestGetTokenRequiresUIA(t *testing.T) {
	s := Start(t, Config{LoginTokens: true})
	s.AddUser("other", "other password")
	body := map[string]any{"username": "tess", "password": "a long password"}
	code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy"}))
	tok, _ := checkSuccess(t, code, b, "@tess:localhost")["access_token"].(string)
	password := func(sess, user, pw string) map[string]any {
		return map[string]any{"auth": map[string]any{"type": "m.login.password", "session": sess,
			"identifier": map[string]any{"type": "m.id.user", "user": user}, "password": pw}}
	}

	code, b = getToken(t, s, tok, map[string]any{})
	sess, _ := decode(t, b)["session"].(string)
	t.Run("without auth: 401 with the one flow [m.login.password]", func(t *testing.T) {
		expect(t, code, b, 401, `{"flows":[{"stages":["m.login.password"]}],"params":{},"session":"`+sess+`"}`)
		if len(s.LoginTokensIssued()) != 0 {
			t.Fatal("a token without the password")
		}
	})
	t.Run("a wrong password: 401 with M_FORBIDDEN merged in", func(t *testing.T) {
		code, b := getToken(t, s, tok, password(sess, "tess", "wrong password"))
		expect(t, code, b, 401, `{"completed":[],"errcode":"M_FORBIDDEN","error":"Invalid username or password","flows":[{"stages":["m.login.password"]}],"params":{},"session":"`+sess+`"}`)
	})
	t.Run("another user's password: 403 Invalid auth", func(t *testing.T) {
		code, b := getToken(t, s, tok, map[string]any{})
		other, _ := decode(t, b)["session"].(string)
		code, b = getToken(t, s, tok, password(other, "other", "other password"))
		expect(t, code, b, 403, `{"errcode":"M_FORBIDDEN","error":"Invalid auth"}`)
	})
	t.Run("the password (user ID or localpart) gives the token", func(t *testing.T) {
		code, b := getToken(t, s, tok, password(sess, "@tess:localhost", "a long password"))
		m := decode(t, b)
		lt, _ := m["login_token"].(string)
		if code != 200 || !strings.HasPrefix(lt, "lt_") || m["expires_in_ms"] != float64(300000) {
			t.Fatalf("status %d: %s", code, b)
		}
		if issued := s.LoginTokensIssued(); !slices.Equal(issued, []string{lt}) {
			t.Fatalf("issued %v", issued)
		}
	})
	t.Run("the next token asks again: the session is spent", func(t *testing.T) {
		code, b := getToken(t, s, tok, password(sess, "tess", "a long password"))
		expect(t, code, b, 400, `{"errcode":"M_UNKNOWN","error":"Unknown session ID: `+sess+`"}`)
	})
	t.Run("a get_token session cannot finish a registration", func(t *testing.T) {
		code, b := getToken(t, s, tok, map[string]any{})
		gs, _ := decode(t, b)["session"].(string)
		code, b = post(t, s, register, map[string]any{"password": "a long password", "auth": map[string]any{"type": "m.login.dummy", "session": gs}})
		expect(t, code, b, 403, `{"errcode":"M_FORBIDDEN","error":"Requested operation has changed during the UI authentication session."}`)
	})
	t.Run("the access token comes first", func(t *testing.T) {
		code, b := getToken(t, s, "syt_unknown", password(sess, "tess", "a long password"))
		expect(t, code, b, 401, `{"errcode":"M_UNKNOWN_TOKEN","error":"Unknown access token"}`)
	})
}
