package registration

// Fuzz test of the page's query parameters as the engine reads them:
// ?token= (prefills the registration token) and ?email_confirmed= (this
// tab was opened by the email's next_link). Nothing else in the page URL
// may change the conversation: not the homeserver, not the form.

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func FuzzPageQuery(f *testing.F) {
	f.Fuzz(func(t *testing.T, page string) {
		e := New(Settings{Homeserver: testHS})
		fx := e.Handle(Start{PageURL: page}, time.Unix(0, 0))
		q := url.Values{}
		if u, err := url.Parse(page); err == nil {
			q = u.Query()
		}
		if tok, ok := TokenFromPage(page); ok {
			if len(tok) > maxTokenLength || tok != strings.TrimSpace(tok) || tok != strings.TrimSpace(q.Get("token")) {
				t.Fatalf("token %q (%d bytes) read from %q", tok, len(tok), page)
			}
		} else if want := strings.TrimSpace(q.Get("token")); want != "" && len(want) <= maxTokenLength {
			t.Fatalf("?token=%q not read", want)
		}

		var sent []string
		for _, x := range fx {
			if b, ok := x.(Broadcast); ok {
				sent = append(sent, b.Msg)
			}
			if s, ok := x.(Send); ok {
				for _, base := range baseOf(s.Req) {
					if base != testHS.BaseURL {
						t.Fatalf("the page URL %q sent a request to %q", page, base)
					}
				}
			}
		}
		v := e.View(time.Unix(0, 0))
		nonce := q.Get("email_confirmed")
		if v.Screen == ScreenConfirmed {
			if nonce == "" || len(nonce) > 64 {
				t.Fatalf("landed on nonce %q", nonce)
			}
			if len(sent) != 1 || sent[0] != "confirmed:"+nonce {
				t.Fatalf("broadcast %q for nonce %q", sent, nonce)
			}
		} else {
			if v.Screen != ScreenForm {
				t.Fatalf("screen %v without landing", v.Screen)
			}
			if len(sent) != 0 {
				t.Fatalf("broadcast %q without landing", sent)
			}
		}
		if v.Homeserver != testHS {
			t.Fatalf("the page URL %q changed the homeserver to %+v", page, v.Homeserver)
		}
		if v.Form.Username != "" || v.Form.Password != "" || v.Form.Confirm != "" || e.auth != nil {
			t.Fatalf("the page URL %q filled the form or a session", page)
		}
	})
}
