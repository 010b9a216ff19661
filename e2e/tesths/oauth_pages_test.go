package tesths

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestOAuthPages drives the sign-up and sign-in pages as a user would.
func TestOAuthPages(t *testing.T) {
	f := newOAuthFixture(t, OAuthConfig{})
	f.s.AddUser("taken", "correct horse")
	clientID := f.registerClient(t, f.meta())
	_, challenge := pkcePair()
	page := func(t *testing.T, prompt string) string {
		q := f.authParams(clientID, challenge, "query")
		q.Set("prompt", prompt)
		status, _, p := f.authorize(t, q)
		if status != 200 {
			t.Fatalf("authorize: %d %s", status, p)
		}
		return p
	}

	t.Run("a taken or invalid username shows the page again with the reason", func(t *testing.T) {
		p := page(t, "create")
		for user, reason := range map[string]string{"taken": "User ID already taken.", "Bad Name": "User ID can only contain", "_x": "may not begin with _"} {
			status, loc, b := f.submit(t, p, url.Values{"username": {user}, "password": {"correct horse"}, "action": {"create"}})
			if status != 200 || loc != "" || !hasID(b, "as-error") || !strings.Contains(b, reason) || !hasID(b, "as-create") {
				t.Fatalf("%s: %d %q %s", user, status, loc, b)
			}
		}
		if len(f.s.Users()) != 1 {
			t.Fatalf("users %v", f.s.Users())
		}
	})
	t.Run("a short password shows the page again, the username kept", func(t *testing.T) {
		status, _, b := f.submit(t, page(t, "create"), url.Values{"username": {"carol"}, "password": {"short"}, "action": {"create"}})
		if status != 200 || !strings.Contains(b, "at least 8 characters") || !strings.Contains(b, `value="carol"`) {
			t.Fatalf("%d %s", status, b)
		}
	})
	t.Run("the page escapes what the user typed", func(t *testing.T) {
		_, _, b := f.submit(t, page(t, "create"), url.Values{"username": {`"><script>x</script>`}, "password": {"correct horse"}, "action": {"create"}})
		if strings.Contains(b, "<script>") || !strings.Contains(b, "&lt;script&gt;") {
			t.Fatalf("not escaped: %s", b)
		}
	})
	t.Run("without prompt=create the sign-in page", func(t *testing.T) {
		p := page(t, "")
		if !hasID(p, "as-signin") || hasID(p, "as-create") || !hasID(p, "as-cancel") {
			t.Fatalf("sign-in page: %s", p)
		}
		status, _, b := f.submit(t, p, url.Values{"username": {"taken"}, "password": {"wrong password"}, "action": {"signin"}})
		if status != 200 || !strings.Contains(b, "Invalid username or password") {
			t.Fatalf("wrong password: %d %s", status, b)
		}
		status, loc, _ := f.submit(t, p, url.Values{"username": {"taken"}, "password": {"correct horse"}, "action": {"signin"}})
		if status != http.StatusSeeOther || callbackParams(t, loc, "query").Get("code") == "" {
			t.Fatalf("sign-in: %d %q", status, loc)
		}
		status, _, b = f.submit(t, p, url.Values{"username": {"taken"}, "password": {"correct horse"}, "action": {"signin"}})
		if status != 400 || !hasID(b, "as-error") {
			t.Fatalf("a second answer to the same request: %d %s", status, b)
		}
	})
	t.Run("the sign-in page cannot create accounts", func(t *testing.T) {
		status, _, _ := f.submit(t, page(t, ""), url.Values{"username": {"dave"}, "password": {"correct horse"}, "action": {"create"}})
		if status != 400 || len(f.s.Users()) != 1 {
			t.Fatalf("%d, users %v", status, f.s.Users())
		}
	})
	t.Run("cancel returns access_denied with the state", func(t *testing.T) {
		status, loc, _ := f.submit(t, page(t, "create"), url.Values{"action": {"cancel"}})
		p := callbackParams(t, loc, "query")
		if status != http.StatusSeeOther || p.Get("error") != "access_denied" || p.Get("state") != "st&te=1" || p.Has("code") {
			t.Fatalf("%d %q", status, loc)
		}
	})
	t.Run("NoPromptCreate", func(t *testing.T) {
		g := newOAuthFixture(t, OAuthConfig{NoPromptCreate: true})
		_, b := get(t, g.s, pathAuthMetadata)
		if strings.Contains(string(b), `"create"`) {
			t.Fatalf("metadata offers create: %s", b)
		}
		_, _, p := g.authorize(t, g.authParams(g.registerClient(t, g.meta()), challenge, "query"))
		if !hasID(p, "as-signin") || hasID(p, "as-create") {
			t.Fatalf("page %s", p)
		}
	})
}

// TestOAuthRefresh refreshes a session: the old access token ends, a lost
// answer can be retried once, a replay after that is refused.
func TestOAuthRefresh(t *testing.T) {
	f := newOAuthFixture(t, OAuthConfig{})
	clientID := f.registerClient(t, f.meta())
	verifier, challenge := pkcePair()
	first := f.exchange(t, clientID, f.codeFor(t, clientID, challenge, "erin"), verifier)
	refresh := func(rt string) (int, map[string]any) {
		status, _, m := f.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {clientID}})
		return status, m
	}
	status, second := refresh(first["refresh_token"].(string))
	if status != 200 || second["access_token"] == first["access_token"] || second["refresh_token"] == first["refresh_token"] {
		t.Fatalf("refresh: %d %v", status, second)
	}
	if code, _ := whoami(t, f.s, first["access_token"].(string)); code != 401 {
		t.Fatalf("the old access token still works: %d", code)
	}
	// The answer was lost: the old refresh token works once more.
	status, third := refresh(first["refresh_token"].(string))
	if status != 200 {
		t.Fatalf("retry: %d %v", status, third)
	}
	if code, _ := whoami(t, f.s, second["access_token"].(string)); code != 401 {
		t.Fatalf("the lost access token still works: %d", code)
	}
	if code, b := whoami(t, f.s, third["access_token"].(string)); code != 200 {
		t.Fatalf("whoami: %d %s", code, b)
	}
	if status, m := refresh(first["refresh_token"].(string)); status != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("replay after use: %d %v", status, m)
	}
	if n := f.s.ActiveOAuthTokens(); n != 1 {
		t.Fatalf("%d active tokens", n)
	}

	t.Run("a client without the refresh_token grant", func(t *testing.T) {
		md := f.meta()
		delete(md, "grant_types")
		id := f.registerClient(t, md)
		tok := f.exchange(t, id, f.codeFor(t, id, challenge, "frank"), verifier)
		status, _, m := f.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}, "client_id": {id}})
		if status != 401 || m["error"] != "unauthorized_client" {
			t.Fatalf("%d %v", status, m)
		}
	})
	t.Run("an expired access token", func(t *testing.T) {
		g := newOAuthFixture(t, OAuthConfig{AccessTokenTTL: 1})
		id := g.registerClient(t, g.meta())
		tok := g.exchange(t, id, g.codeFor(t, id, challenge, "gina"), verifier)
		code, b := whoami(t, g.s, tok["access_token"].(string))
		expect(t, code, b, 401, `{"errcode":"M_UNKNOWN_TOKEN","error":"Token is not active","soft_logout":false}`)
		if tok["expires_in"] != 0.0 {
			t.Fatalf("expires_in %v", tok["expires_in"])
		}
	})
}
