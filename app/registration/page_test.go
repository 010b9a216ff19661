package registration

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"signup/app/config"
	"signup/app/matrix"
)

// The page's ?homeserver= as the started engine reads it: an unlisted
// server changes nothing requests go to (nor the homeserver of the links
// after sign-up); it only opens the picker, prefilled, with a note. A
// listed one is taken, after the engine checked it answers.
func TestFollowPageHomeserver(t *testing.T) {
	beta := config.Choice{Name: "Beta", URL: "https://beta.example.net", ServerName: "beta.example.net"}
	op := config.Config{Homeserver: config.Homeserver{Choices: []config.Choice{beta}}}
	start := func(op config.Config, page string) *conv {
		return newConv(t, Settings{Operator: op}, Start{PageURL: page})
	}
	requestsGoTo := func(c *conv, want string) {
		t.Helper()
		for _, s := range c.inflight {
			for _, b := range baseOf(s.Req) {
				if b != want {
					t.Errorf("%T to %s", s.Req, b)
				}
			}
		}
	}

	t.Run("an unlisted server with allow_custom opens the picker, prefilled, with a note", func(t *testing.T) {
		o := op
		o.Homeserver.AllowCustom = true
		c := start(o, "https://widget.example/?homeserver=examp1e.org")
		v := c.view()
		if v.Homeserver != testHS || !v.Picker.Open || v.Picker.Custom != "examp1e.org" || v.Picker.Unlisted != "examp1e.org" {
			t.Fatalf("homeserver %+v picker %+v", v.Homeserver, v.Picker)
		}
		requestsGoTo(c, testHS.BaseURL)
		c.act(PickerKeep)
		if v := c.view(); v.Picker.Open || v.Picker.Unlisted != "" {
			t.Fatalf("keeping the configured server: %+v", v.Picker)
		}
	})
	t.Run("an unlisted server without allow_custom is ignored, with a note", func(t *testing.T) {
		c := start(op, "https://widget.example/?homeserver=examp1e.org")
		if v := c.view(); v.Picker.Open || v.Picker.Ignored != "examp1e.org" || v.Homeserver != testHS {
			t.Fatalf("%+v", v.Picker)
		}
		requestsGoTo(c, testHS.BaseURL)
	})
	t.Run("a listed server is taken once it answers", func(t *testing.T) {
		c := start(op, "https://widget.example/?homeserver=https://beta.example.net/")
		d, r := pendingOf[Discover](c)
		if r.Input != beta.URL {
			t.Fatalf("resolving %q", r.Input)
		}
		c.answer(d, 200, `{"versions":["v1.11"]}`)
		v := c.view()
		if v.Homeserver.BaseURL != beta.URL || v.Homeserver.ServerName != "beta.example.net" || v.Picker.Open {
			t.Fatalf("%+v %+v", v.Homeserver, v.Picker)
		}
		if !hasPending[Metadata](c) {
			t.Error("no delegation check on the new server")
		}
	})
	t.Run("a listed server that fails is said, and the configured one stays", func(t *testing.T) {
		c := start(op, "https://widget.example/?homeserver=beta.example.net")
		d, _ := pendingOf[Discover](c)
		c.failNet(d, false)
		v := c.view()
		if v.Homeserver != testHS || !v.Picker.Open || v.Picker.Error.Key != "server.bad" {
			t.Fatalf("%+v %+v", v.Homeserver, v.Picker)
		}
	})
	t.Run("a typed server", func(t *testing.T) {
		o := op
		o.Homeserver.AllowCustom = true
		c := start(o, "https://widget.example/")
		c.act(PickerOpen)
		c.typeIn(FieldServer, "  other.example.com ")
		c.act(PickerCustom)
		d, r := pendingOf[Discover](c)
		if r.Input != "other.example.com" {
			t.Fatalf("%q", r.Input)
		}
		c.failNet(d, false)
		if v := c.view(); v.Picker.Error.Key != "server.bad" || v.Picker.Error.Args[0] != "other.example.com" {
			t.Fatalf("%+v", v.Picker)
		}
	})
}

// After sign-up: the host page learns the user ID and homeserver (never a
// token), a client that takes a login token gets one, the widget's
// device is logged out, and the operator's redirect follows.
func TestAfterSignUp(t *testing.T) {
	op := config.Config{After: config.After{Redirect: "https://example.org/welcome",
		Clients: []config.Client{{Name: "Web", URL: "https://web.example/?t={login_token}", LoginToken: true}}}}
	c := started(t, Settings{Operator: op}, dummy401)
	fx := c.reply(200, `{"user_id":"@alice:example.org","access_token":"secret-access"}`)
	var notified map[string]string
	for _, f := range fx {
		if n, ok := f.(Notify); ok && n.Event == "signup:registered" {
			notified = n.Detail
		}
	}
	if notified["user_id"] != "@alice:example.org" || notified["homeserver"] != testHS.BaseURL || len(notified) != 2 {
		t.Fatalf("signup:registered %v", notified)
	}
	h, r := pendingOf[HandOff](c)
	if r.AccessToken != "secret-access" || r.Password != "a good long password" {
		t.Fatalf("hand-off %+v", r)
	}
	if v := c.view(); v.Form.Password != "" || !v.Done.Redirecting {
		t.Fatalf("%+v", v)
	}
	// get_token answers 200 straight away here (no UIA); then the logout.
	seq := &sequence{answers: []string{`{"login_token":"lt","expires_in_ms":120000}`, `{}`}}
	v, err := Do(t.Context(), seq, h.Req)
	c.deliver(h, v, err, false)
	if got := c.view().Done.LoginToken; got != "lt" {
		t.Fatalf("login token %q (%v)", got, err)
	}
	if len(seq.got) != 2 || !strings.HasSuffix(seq.got[1], "/_matrix/client/v3/logout") {
		t.Errorf("requests %q: the widget's device is not logged out", seq.got)
	}
	n := len(c.effects)
	c.advance(redirectDelay)
	var went string
	for _, f := range c.effects[n:] {
		if nav, ok := f.(Navigate); ok {
			went = nav.URL
		}
	}
	if went != "https://example.org/welcome" {
		t.Fatalf("redirect %q", went)
	}
}

// sequence answers requests in turn with 200 and the given bodies.
type sequence struct {
	answers []string
	got     []string
}

func (s *sequence) Do(ctx context.Context, req *matrix.Request) (*matrix.Response, error) {
	s.got = append(s.got, req.URL)
	if len(s.answers) == 0 {
		return nil, errors.New("nothing more to answer")
	}
	b := s.answers[0]
	s.answers = s.answers[1:]
	return &matrix.Response{Status: 200, Header: matrix.Header{"content-type": "application/json"}, Body: []byte(b)}, nil
}

// Another tab finished the session: this one stops and says so.
func TestFinishedInAnotherTab(t *testing.T) {
	c := started(t, Settings{}, email401)
	c.do(TabMessage{Msg: "done:other"})
	if c.view().Screen != ScreenStage {
		t.Fatal("another session's done ended this one")
	}
	c.do(TabMessage{Msg: "done:s1"})
	v := c.view()
	if v.Screen != ScreenDone || !v.Done.Elsewhere || c.saved != "" {
		t.Fatalf("%+v saved %q", v, c.saved)
	}
	c.sendsNothing(time.Minute, "sent after another tab finished")
}

// The email link opens the widget with ?email_confirmed=: that tab tells
// the waiting one, which polls at once.
func TestConfirmedLanding(t *testing.T) {
	c := started(t, Settings{}, email401)
	c.typeIn(FieldEmail, "alice@example.org")
	c.act(EmailSend)
	s, r := pendingOf[EmailToken](c)
	if !strings.HasPrefix(r.Body.NextLink, "https://widget.example/?email_confirmed=") {
		t.Fatalf("next_link %q", r.Body.NextLink)
	}
	c.answer(s, 200, `{"sid":"e1"}`)
	nonce, _ := ConfirmedNonce(r.Body.NextLink)

	other := newConv(t, Settings{}, Start{PageURL: r.Body.NextLink})
	if other.view().Screen != ScreenConfirmed {
		t.Fatal("the landing tab is not the confirmation")
	}
	var told string
	for _, f := range other.effects {
		if b, ok := f.(Broadcast); ok {
			told = b.Msg
		}
	}
	if told != "confirmed:"+nonce {
		t.Fatalf("broadcast %q", told)
	}
	c.grant(c.do(TabMessage{Msg: told}))
	if !hasPending[Register](c) {
		t.Fatal("the waiting tab did not poll at once")
	}
}
