package ui

// Fuzz test of the page's query parameters as the widget reads them:
// ?token= (prefills the registration token) and ?email_confirmed= (this
// tab was opened by the email's next_link). Nothing else in the page URL
// may change the widget: not its configuration (the operator's redirect
// after sign-up, the homeserver), not the form.
//
// The two readers are methods of Register (prefillToken,
// confirmedLanding); exported pure functions of the page URL would let
// this test drop its knowledge of Register's fields.

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func FuzzPageQuery(f *testing.F) {
	f.Fuzz(func(t *testing.T, page string) {
		var sent []string
		r := &Register{Services: &Services{
			PageURL:   func() string { return page },
			Broadcast: func(msg string) { sent = append(sent, msg) },
		}}
		cfg := r.Config

		r.prefillToken()
		q := url.Values{}
		if u, err := url.Parse(page); err == nil {
			q = u.Query()
		}
		if tok := r.tok.value; tok != "" {
			if len(tok) > maxTokenLength || tok != strings.TrimSpace(tok) {
				t.Fatalf("token %q (%d bytes) prefilled", tok, len(tok))
			}
			if tok != strings.TrimSpace(q.Get("token")) {
				t.Fatalf("token %q prefilled from %q", tok, page)
			}
		} else if want := strings.TrimSpace(q.Get("token")); want != "" && len(want) <= maxTokenLength {
			t.Fatalf("?token=%q not prefilled", want)
		}

		landed := r.confirmedLanding()
		nonce := q.Get("email_confirmed")
		if landed {
			if nonce == "" || len(nonce) > 64 || r.phase != phaseConfirmed {
				t.Fatalf("landed on nonce %q (phase %v)", nonce, r.phase)
			}
			if len(sent) != 1 || sent[0] != "confirmed:"+nonce {
				t.Fatalf("broadcast %q for nonce %q", sent, nonce)
			}
		} else {
			if r.phase != phaseForm {
				t.Fatalf("phase %v without landing", r.phase)
			}
			if len(sent) != 0 {
				t.Fatalf("broadcast %q without landing", sent)
			}
		}

		if !reflect.DeepEqual(r.Config, cfg) {
			t.Fatalf("the page URL %q changed the configuration", page)
		}
		if r.username != "" || r.password != "" || r.confirm != "" || r.auth != nil {
			t.Fatalf("the page URL %q filled the form or a session", page)
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
