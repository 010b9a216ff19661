package config_test

import (
	"strings"
	"testing"

	"signup/app/config"
)

// withAfter is a valid config with after_signup and registration set to
// the given JSON objects.
func withAfter(after, registration string) string {
	return `{"version": 1, "homeserver": {"url": "https://matrix.example.org"}, "after_signup": ` + after + `, "registration": ` + registration + `}`
}

// {login_token} reaches only the clients the operator chose to hand a
// login to: elsewhere it is a config error that says where and why.
func TestLoginTokenPlaceholder(t *testing.T) {
	t.Run("a client without login_token: true cannot carry {login_token}", func(t *testing.T) {
		_, err := config.Parse([]byte(withAfter(`{"clients": [
			{"name": "A", "url": "https://a.example/#/login?loginToken={login_token}", "login_token": true},
			{"name": "B", "url": "https://b.example/#/login?loginToken={login_token}"}]}`, `{}`)))
		if err == nil {
			t.Fatal("accepted")
		}
		msg := err.Error()
		for _, want := range []string{"after_signup.clients[1].url: {login_token} is filled in only for a client with login_token: true",
			"fragment", "server logs and Referer"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q lacks %q", msg, want)
			}
		}
		if strings.Contains(msg, "clients[0]") {
			t.Errorf("the login_token client is reported too: %q", msg)
		}
	})

	t.Run("login_token: true without the placeholder says to put it in the fragment", func(t *testing.T) {
		_, err := config.Parse([]byte(withAfter(`{"clients": [{"name": "A", "url": "https://a.example/", "login_token": true}]}`, `{}`)))
		if err == nil || !strings.Contains(err.Error(), "after_signup.clients[0].url: login_token needs {login_token} in the URL") ||
			!strings.Contains(err.Error(), "fragment") {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("the placeholder in the query of a login_token client is allowed (some clients read only the query)", func(t *testing.T) {
		if _, err := config.Parse([]byte(withAfter(`{"clients": [{"name": "A", "url": "https://a.example/?loginToken={login_token}", "login_token": true}]}`, `{}`))); err != nil {
			t.Fatal(err)
		}
	})
}

// By default a sign-up leaves no device behind: inhibit_login unless a
// client needs the login for get_token; an explicit false stays possible.
func TestShouldInhibitLogin(t *testing.T) {
	const tokenClient = `{"clients": [{"name": "A", "url": "https://a.example/#t={login_token}", "login_token": true}]}`
	const plainClient = `{"clients": [{"name": "A", "url": "https://a.example/"}]}`
	for _, tc := range []struct {
		name, after, registration string
		want                      bool
	}{
		{"unset, no login-token client: inhibit", plainClient, `{}`, true},
		{"unset, no clients at all: inhibit", `{}`, `{}`, true},
		{"explicit true: inhibit", plainClient, `{"inhibit_login": true}`, true},
		{"explicit false: a device is made, as the operator asked", plainClient, `{"inhibit_login": false}`, false},
		{"unset with a login-token client: log in, for get_token", tokenClient, `{}`, false},
		{"explicit true with a login-token client: get_token still needs the login", tokenClient, `{"inhibit_login": true}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Parse([]byte(withAfter(tc.after, tc.registration)))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.ShouldInhibitLogin(); got != tc.want {
				t.Errorf("ShouldInhibitLogin() = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("the zero Config inhibits", func(t *testing.T) {
		if !(&config.Config{}).ShouldInhibitLogin() {
			t.Error("false")
		}
	})
}
