package tesths

import (
	"maps"
	"strings"
	"testing"
)

// More answers where the test homeserver differed from Synapse 1.163.2, as
// a comparison with a real one found them; each case names Synapse's
// answer.

// Every 200 of /register (users, inhibit_login, guests) and /login carries
// the deprecated home_server: the server name.
func TestHomeServerInAnswers(t *testing.T) {
	s := Start(t, Config{ServerName: "example.org", GuestsEnabled: true})
	cases := []struct {
		name, path string
		body       map[string]any
	}{
		{"a user", register, withAuth(map[string]any{"username": "ann", "password": "a long password"}, map[string]any{"type": "m.login.dummy"})},
		{"inhibit_login", register, withAuth(map[string]any{"username": "bob", "password": "a long password", "inhibit_login": true}, map[string]any{"type": "m.login.dummy"})},
		{"a guest", register + "?kind=guest", map[string]any{}},
		{"a login", "/_matrix/client/v3/login", map[string]any{"type": "m.login.password", "identifier": map[string]any{"type": "m.id.user", "user": "ann"}, "password": "a long password"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, b := post(t, s, c.path, c.body)
			if m := decode(t, b); code != 200 || m["home_server"] != "example.org" {
				t.Fatalf("status %d: %s", code, b)
			}
		})
	}
}

// A request with auth that completes no flow answers "completed", an empty
// list when nothing is completed yet; one without auth leaves it out.
func TestCompletedListOnFailedStage(t *testing.T) {
	s := Start(t, Config{Flows: [][]string{{"m.login.registration_token", "m.login.dummy"}}, RegistrationTokens: []string{"good"}})
	body := map[string]any{"username": "cara", "password": "a long password"}
	code, b := post(t, s, register, body)
	sess, _ := decode(t, b)["session"].(string)
	flows := `"flows":[{"stages":["m.login.registration_token","m.login.dummy"]}],"params":{},"session":"` + sess + `"`
	expect(t, code, b, 401, `{`+flows+`}`)
	cases := []struct {
		name string
		auth map[string]any
		want string
	}{
		{"a wrong token", map[string]any{"type": "m.login.registration_token", "token": "bad", "session": sess},
			`{"completed":[],"errcode":"M_UNAUTHORIZED","error":"Invalid registration token",` + flows + `}`},
		{"no token field", map[string]any{"type": "m.login.registration_token", "session": sess},
			`{"completed":[],"errcode":"M_MISSING_PARAM","error":"Missing registration token",` + flows + `}`},
		{"the session alone", map[string]any{"session": sess}, `{"completed":[],` + flows + `}`},
		{"the right token", map[string]any{"type": "m.login.registration_token", "token": "good", "session": sess},
			`{"completed":["m.login.registration_token"],` + flows + `}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, b := post(t, s, register, withAuth(body, c.auth))
			expect(t, code, b, 401, c.want)
		})
	}
}

// A token counts as pending once its stage passed: with uses_allowed 1 it
// is no longer valid for anyone else, before and after the registration.
func TestTokenUsesAllowed(t *testing.T) {
	s := Start(t, Config{
		Flows:              [][]string{{"m.login.registration_token", "m.login.dummy"}},
		RegistrationTokens: []string{"once", "always"},
		TokenUsesAllowed:   map[string]int{"once": 1},
	})
	valid := func(t *testing.T, tok string, want bool) {
		t.Helper()
		code, b := get(t, s, validity+"?token="+tok)
		expect(t, code, b, 200, map[bool]string{true: `{"valid":true}`, false: `{"valid":false}`}[want])
	}
	uses := func(t *testing.T, tok string, want TokenUses) {
		t.Helper()
		if got, ok := s.RegistrationToken(tok); !ok || got != want {
			t.Fatalf("token %s: %+v %v, want %+v", tok, got, ok, want)
		}
	}
	tokenStage := func(sess, tok string) map[string]any {
		return map[string]any{"type": "m.login.registration_token", "token": tok, "session": sess}
	}
	first := map[string]any{"username": "dora", "password": "a long password"}
	other := map[string]any{"username": "ed", "password": "a long password"}

	valid(t, "once", true)
	sess := startSession(t, s, first)
	code, b := post(t, s, register, withAuth(first, tokenStage(sess, "once")))
	if code != 401 {
		t.Fatalf("token stage: %d %s", code, b)
	}
	t.Run("pending as soon as the stage passed", func(t *testing.T) {
		uses(t, "once", TokenUses{UsesAllowed: 1, Pending: 1})
		valid(t, "once", false)
	})
	t.Run("another session is refused the token", func(t *testing.T) {
		osess := startSession(t, s, other)
		code, b := post(t, s, register, withAuth(other, tokenStage(osess, "once")))
		expect(t, code, b, 401, `{"completed":[],"errcode":"M_UNAUTHORIZED","error":"Invalid registration token","flows":[{"stages":["m.login.registration_token","m.login.dummy"]}],"params":{},"session":"`+osess+`"}`)
	})
	t.Run("the same session may send it again, not another one", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(first, tokenStage(sess, "once")))
		if code != 401 || strings.Contains(string(b), "errcode") {
			t.Fatalf("resent token: %d %s", code, b)
		}
		code, b = post(t, s, register, withAuth(first, tokenStage(sess, "always")))
		if m := decode(t, b); code != 401 || m["errcode"] != "M_INVALID_PARAM" || m["error"] != "Registration token has changed" {
			t.Fatalf("changed token: %d %s", code, b)
		}
		uses(t, "once", TokenUses{UsesAllowed: 1, Pending: 1})
		uses(t, "always", TokenUses{})
	})
	t.Run("the registration completes the use", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(first, map[string]any{"type": "m.login.dummy", "session": sess}))
		checkSuccess(t, code, b, "@dora:localhost")
		uses(t, "once", TokenUses{UsesAllowed: 1, Completed: 1})
		valid(t, "once", false)
		// A replay of the session uses nothing more.
		post(t, s, register, withAuth(first, map[string]any{"type": "m.login.dummy", "session": sess}))
		uses(t, "once", TokenUses{UsesAllowed: 1, Completed: 1})
	})
	t.Run("an unlimited token stays valid", func(t *testing.T) {
		osess := startSession(t, s, other)
		post(t, s, register, withAuth(other, tokenStage(osess, "always")))
		code, b := post(t, s, register, withAuth(other, map[string]any{"type": "m.login.dummy", "session": osess}))
		checkSuccess(t, code, b, "@ed:localhost")
		uses(t, "always", TokenUses{Completed: 1})
		valid(t, "always", true)
	})
	t.Run("an expired session gives its pending use back", func(t *testing.T) {
		s.AddRegistrationToken("later", 1)
		body := map[string]any{"username": "fay", "password": "a long password"}
		fsess := startSession(t, s, body)
		post(t, s, register, withAuth(body, tokenStage(fsess, "later")))
		valid(t, "later", false)
		s.ExpireSessions()
		uses(t, "later", TokenUses{UsesAllowed: 1})
		valid(t, "later", true)
	})
	t.Run("a token stage without session is refused", func(t *testing.T) {
		body := map[string]any{"username": "gus", "password": "a long password"}
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.registration_token", "token": "always"}))
		if m := decode(t, b); code != 401 || m["errcode"] != "M_MISSING_PARAM" || m["error"] != "Missing UIA session" {
			t.Fatalf("status %d: %s", code, b)
		}
	})
}

// The validity endpoint is there whatever the configuration, as in
// Synapse; NoTokenValidity emulates a server without it (Dendrite v0.13.8).
func TestTokenValidityEndpoint(t *testing.T) {
	t.Run("no token required: an unknown token is not valid", func(t *testing.T) {
		s := Start(t, Config{})
		code, b := get(t, s, validity+"?token=whatever")
		expect(t, code, b, 200, `{"valid":false}`)
	})
	t.Run("registration disabled: 403", func(t *testing.T) {
		s := Start(t, Config{RegistrationDisabled: true})
		code, b := get(t, s, validity+"?token=whatever")
		expect(t, code, b, 403, `{"errcode":"M_FORBIDDEN","error":"Registration has been disabled"}`)
	})
	t.Run("NoTokenValidity: 404 M_UNRECOGNIZED, as Dendrite", func(t *testing.T) {
		s := Start(t, Config{NoTokenValidity: true, RegistrationTokens: []string{"tok"}})
		code, b := get(t, s, validity+"?token=tok")
		expect(t, code, b, 404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)
	})
}

// An auth type the server has no checker for ends in Synapse's /login
// checks: a plain 400 without the UIAA body.
func TestUnknownAuthType(t *testing.T) {
	s := Start(t, Config{Flows: [][]string{{"m.login.terms", "m.login.recaptcha"}}, LoginTokens: true})
	t.Run("no session, no identifier: 400 M_INVALID_PARAM", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"auth": map[string]any{"type": "m.login.bogus"}})
		expect(t, code, b, 400, `{"errcode":"M_INVALID_PARAM","error":"Invalid login submission"}`)
	})
	t.Run("an identifier: 400 Unknown login type", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"auth": map[string]any{"type": "m.login.bogus",
			"identifier": map[string]any{"type": "m.id.user", "user": "gil"}}})
		expect(t, code, b, 400, `{"errcode":"M_UNKNOWN","error":"Unknown login type m.login.bogus"}`)
	})
	t.Run("a known stage no flow offers: 400 as well", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"auth": map[string]any{"type": "m.login.registration_token", "token": "x"}})
		expect(t, code, b, 400, `{"errcode":"M_INVALID_PARAM","error":"Invalid login submission"}`)
	})
	t.Run("m.login.dummy is always checked: it completes outside the flows", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"auth": map[string]any{"type": "m.login.dummy"}})
		m := decode(t, b)
		if c, _ := m["completed"].([]any); code != 401 || len(c) != 1 || c[0] != "m.login.dummy" {
			t.Fatalf("status %d: %s", code, b)
		}
	})
	t.Run("get_token answers the same", func(t *testing.T) {
		tok := s.issueAccessLocked(s.AddUser("gil", "a long password"))
		code, b := getToken(t, s, tok, map[string]any{"auth": map[string]any{"type": "m.login.bogus"}})
		expect(t, code, b, 400, `{"errcode":"M_INVALID_PARAM","error":"Invalid login submission"}`)
	})
}

// issueAccessLocked is issueAccess for tests.
func (s *Server) issueAccessLocked(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueAccess(userID)
}

// With inhibit_user_in_use_error, a taken name looks available and goes
// through UIA; only the request that would create the account says so.
func TestInhibitUserInUseError(t *testing.T) {
	s := Start(t, Config{InhibitUserInUseError: true, Flows: [][]string{{"m.login.terms", "m.login.dummy"}}})
	s.AddUser("taken", "password1")
	code, b := get(t, s, "/_matrix/client/v3/register/available?username=taken")
	expect(t, code, b, 200, `{"available":true}`)
	body := map[string]any{"username": "Taken", "password": "a long password"}
	code, b = post(t, s, register, body)
	sess, _ := decode(t, b)["session"].(string)
	expect(t, code, b, 401, `{"flows":[{"stages":["m.login.terms","m.login.dummy"]}],"params":{},"session":"`+sess+`"}`)
	code, b = post(t, s, register, withAuth(body, map[string]any{"type": "m.login.terms", "session": sess}))
	if code != 401 {
		t.Fatalf("terms: %d %s", code, b)
	}
	code, b = post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy", "session": sess}))
	expect(t, code, b, 400, `{"errcode":"M_USER_IN_USE","error":"User ID already taken."}`)
	if n := len(s.Users()); n != 1 {
		t.Fatalf("%d users", n)
	}
	t.Run("an invalid name is still refused by /register", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"username": "_bridge", "password": "a long password"})
		expect(t, code, b, 400, `{"errcode":"M_INVALID_USERNAME","error":"User ID may not begin with _"}`)
	})
}

// Passing m.login.terms records the policy versions for the new user.
func TestConsentRecorded(t *testing.T) {
	s := Start(t, Config{Flows: [][]string{{"m.login.terms"}, {"m.login.dummy"}}, Params: map[string]any{"m.login.terms": termsParams}})
	code, b := post(t, s, register, withAuth(map[string]any{"username": "hana", "password": "a long password"}, map[string]any{"type": "m.login.terms"}))
	checkSuccess(t, code, b, "@hana:localhost")
	if got := s.Consents("@hana:localhost"); !maps.Equal(got, map[string]string{"privacy_policy": "1.0"}) {
		t.Fatalf("consents %v", got)
	}
	code, b = post(t, s, register, withAuth(map[string]any{"username": "ivo", "password": "a long password"}, map[string]any{"type": "m.login.dummy"}))
	checkSuccess(t, code, b, "@ivo:localhost")
	if got := s.Consents("@ivo:localhost"); got != nil {
		t.Fatalf("consents without terms %v", got)
	}
}
