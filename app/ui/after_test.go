package ui

import (
	"testing"

	"signup/app/config"
	"signup/app/matrix"
)

// The "Open in …" links: the one-time login token goes only to a client
// the operator marked login_token: true, never to another client whose URL
// happens to carry the placeholder (a config that skipped validation).
func TestClientLinkLoginToken(t *testing.T) {
	asked := config.Client{Name: "Asked", URL: "https://asked.example/#/login?loginToken={login_token}&hs={homeserver}", LoginToken: true}
	other := config.Client{Name: "Other", URL: "https://other.example/#/login?loginToken={login_token}&u={user_id}"}
	r := &Register{
		Config: Config{Operator: config.Config{After: config.After{Clients: []config.Client{asked, other}}}},
		hs:     matrix.Homeserver{BaseURL: "https://hs.example"},
		result: &matrix.RegisterResponse{UserID: "@lena:example.org"},
	}

	t.Run("before the token arrives, both are plain links", func(t *testing.T) {
		if got, want := r.clientLink(asked), "https://asked.example/#/login?hs=https%3A%2F%2Fhs.example"; got != want {
			t.Errorf("asked: got %q, want %q", got, want)
		}
		if got, want := r.clientLink(other), "https://other.example/#/login?u=%40lena%3Aexample.org"; got != want {
			t.Errorf("other: got %q, want %q", got, want)
		}
	})

	r.loginToken = "lt_secret/+&"
	t.Run("the client that asked gets the token, escaped, in its fragment", func(t *testing.T) {
		if got, want := r.clientLink(asked), "https://asked.example/#/login?loginToken=lt_secret%2F%2B%26&hs=https%3A%2F%2Fhs.example"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("the other client does not", func(t *testing.T) {
		if got, want := r.clientLink(other), "https://other.example/#/login?u=%40lena%3Aexample.org"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}
