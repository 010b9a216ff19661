package ui

import (
	"testing"

	"signup/app/config"
	"signup/app/matrix"
	"signup/app/registration"
)

// The "Open in …" links: the one-time login token goes only to a client
// the operator marked login_token: true, never to another client whose URL
// happens to carry the placeholder (a config that skipped validation).
func TestClientLinkLoginToken(t *testing.T) {
	asked := config.Client{Name: "Asked", URL: "https://asked.example/#/login?loginToken={login_token}&hs={homeserver}", LoginToken: true}
	other := config.Client{Name: "Other", URL: "https://other.example/#/login?loginToken={login_token}&u={user_id}"}
	r := &Register{
		Config: Config{Operator: config.Config{After: config.After{Clients: []config.Client{asked, other}}}},
		view: registration.View{Homeserver: matrix.Homeserver{BaseURL: "https://hs.example"},
			Done: registration.DoneView{UserID: "@lena:example.org"}},
	}

	t.Run("before the token arrives, both are plain links", func(t *testing.T) {
		if got, want := r.clientLink(asked), "https://asked.example/#/login?hs=https%3A%2F%2Fhs.example"; got != want {
			t.Errorf("asked: got %q, want %q", got, want)
		}
		if got, want := r.clientLink(other), "https://other.example/#/login?u=%40lena%3Aexample.org"; got != want {
			t.Errorf("other: got %q, want %q", got, want)
		}
	})

	r.view.Done.LoginToken = "lt_secret/+&"
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

func TestDropParam(t *testing.T) {
	for in, want := range map[string]string{
		"https://c.example/#/login?loginToken={login_token}&hs=x": "https://c.example/#/login?hs=x",
		"https://c.example/?hs=x&loginToken={login_token}":        "https://c.example/?hs=x",
		"https://c.example/?loginToken={login_token}":             "https://c.example/?",
		"https://c.example/?a=1&t={login_token}&b=2":              "https://c.example/?a=1&b=2",
		"https://c.example/":                                      "https://c.example/",
	} {
		if got := dropParam(in, "{login_token}"); got != want {
			t.Errorf("dropParam(%q) = %q, want %q", in, got, want)
		}
	}
}
