package matrix_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"signup/app/matrix"
)

// sequence answers the nth request with the nth reply, the last one after.
func sequence(replies ...http.HandlerFunc) http.HandlerFunc {
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		h := replies[min(n, len(replies)-1)]
		n++
		h(w, r)
	}
}

// Synapse's answers to get_token (synapse/rest/client/login_token_request.py
// with validate_user_via_ui_auth in synapse/handlers/auth.py).
const (
	uiaPassword   = `{"session":"sess1","flows":[{"stages":["m.login.password"]}],"params":{}}`
	wrongPassword = `{"session":"sess1","flows":[{"stages":["m.login.password"]}],"params":{},"completed":[],"errcode":"M_FORBIDDEN","error":"Invalid username or password"}`
	tokenAnswer   = `{"login_token":"lt_abc","expires_in":300,"expires_in_ms":300000}`
)

func TestLoginTokenWithPassword(t *testing.T) {
	t.Run("the 401 asks for the password: the second call answers it in the session, then 200", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(sequence(respond(401, uiaPassword), respond(200, tokenAnswer))))
		tok, err := c.LoginTokenWithPassword(ctx, "syt_secret", "@lena:example.org", "typed password")
		if err != nil || tok != "lt_abc" {
			t.Fatalf("got %q, %v", tok, err)
		}
		if len(rec.reqs) != 2 {
			t.Fatalf("%d requests", len(rec.reqs))
		}
		first, second := rec.reqs[0], rec.reqs[1]
		if first.Method != "POST" || first.Path != "/_matrix/client/v1/login/get_token" || string(first.Body) != "{}" {
			t.Errorf("first request %s %s %q: want {} without the password", first.Method, first.Path, first.Body)
		}
		var body struct {
			Auth map[string]any `json:"auth"`
		}
		if err := json.Unmarshal(second.Body, &body); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"type": "m.login.password", "session": "sess1", "password": "typed password",
			"identifier": map[string]any{"type": "m.id.user", "user": "@lena:example.org"}}
		if got, _ := json.Marshal(body.Auth); string(got) != string(must(json.Marshal(want))) {
			t.Errorf("auth = %s, want %s", got, must(json.Marshal(want)))
		}
		for i, r := range rec.reqs {
			if r.Header.Get("Authorization") != "Bearer syt_secret" || strings.Contains(r.RawQuery, "syt_") || strings.Contains(r.RawQuery, "password") {
				t.Errorf("request %d: Authorization %q, query %q", i+1, r.Header.Get("Authorization"), r.RawQuery)
			}
		}
	})

	t.Run("a server that gives the token at once never sees the password", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, tokenAnswer)))
		tok, err := c.LoginTokenWithPassword(ctx, "syt_secret", "@lena:example.org", "typed password")
		if err != nil || tok != "lt_abc" || len(rec.reqs) != 1 || strings.Contains(string(rec.reqs[0].Body), "typed") {
			t.Fatalf("got %q, %v after %d requests", tok, err, len(rec.reqs))
		}
	})

	t.Run("a wrong password is the error, with no third call", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(sequence(respond(401, uiaPassword), respond(401, wrongPassword))))
		tok, err := c.LoginTokenWithPassword(ctx, "syt_secret", "@lena:example.org", "typed password")
		info, ok := matrix.AuthRequired(err)
		if tok != "" || !ok || info.Errcode != "M_FORBIDDEN" || len(rec.reqs) != 2 {
			t.Fatalf("got %q, %v (%+v) after %d requests", tok, err, info, len(rec.reqs))
		}
	})

	t.Run("flows without the password alone get no second call", func(t *testing.T) {
		for _, flows := range []string{`[{"stages":["m.login.sso"]}]`, `[{"stages":["m.login.password","m.login.email.identity"]}]`} {
			rec := &recorder{}
			c, _ := newClient(t, rec.wrap(respond(401, `{"session":"s","flows":`+flows+`,"params":{}}`)))
			_, err := c.LoginTokenWithPassword(ctx, "syt_secret", "@lena:example.org", "typed password")
			if _, ok := matrix.AuthRequired(err); !ok || len(rec.reqs) != 1 {
				t.Errorf("flows %s: %v after %d requests", flows, err, len(rec.reqs))
			}
		}
	})

	t.Run("no password, no second call", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(401, uiaPassword)))
		if _, err := c.LoginTokenWithPassword(ctx, "syt_secret", "@lena:example.org", ""); err == nil || len(rec.reqs) != 1 {
			t.Fatalf("%v after %d requests", err, len(rec.reqs))
		}
	})

	t.Run("404 (Dendrite v0.13.8) is a Matrix error", func(t *testing.T) {
		c, _ := newClient(t, respond(404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`))
		_, err := c.LoginTokenWithPassword(ctx, "syt_secret", "@lena:example.org", "typed password")
		if !errors.Is(err, matrix.ErrUnrecognized) {
			t.Fatalf("got %T %v", err, err)
		}
	})
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
