package registration

import (
	"testing"

	"signup/app/config"
)

// Each answer the form can get, as the user sees it: next to the field
// it is about, or as the form's alert, with the server's words as a
// detail, and whether a retry helps.
func TestErrorsOnTheForm(t *testing.T) {
	op := config.Config{Texts: config.Texts{Footer: []config.Link{
		{Label: config.Text("Contact"), URL: "javascript:alert(1)", Kind: "contact"},
		{Label: config.Text("Write to us"), URL: "mailto:admin@example.org", Kind: "contact"},
		{Label: config.Text("Help"), URL: "https://example.org/help", Kind: "contact"},
	}}}
	cases := []struct {
		name                  string
		status                int
		body                  string
		netErr, offline       bool
		user, pass, form      string
		detail, contact       string
		retryable, notifyCode string
	}{
		{name: "username taken", status: 400, body: `{"errcode":"M_USER_IN_USE","error":"taken"}`, user: "username.taken", notifyCode: "M_USER_IN_USE"},
		{name: "username invalid, with the server's words", status: 400, body: `{"errcode":"M_INVALID_USERNAME","error":"no dots"}`, user: "username.invalid", notifyCode: "M_INVALID_USERNAME"},
		{name: "exclusive to an appservice", status: 400, body: `{"errcode":"M_EXCLUSIVE"}`, user: "username.exclusive", notifyCode: "M_EXCLUSIVE"},
		{name: "weak password", status: 400, body: `{"errcode":"M_WEAK_PASSWORD","error":"too short"}`, pass: "password.weak", notifyCode: "M_WEAK_PASSWORD"},
		{name: "closed, with the first http(s) or mailto: contact link", status: 403, body: `{"errcode":"M_FORBIDDEN","error":"Registration is disabled"}`,
			form: "closed", detail: "Registration is disabled", contact: "mailto:admin@example.org", notifyCode: "M_FORBIDDEN"},
		{name: "rate limited", status: 429, body: `{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":3000}`, form: "ratelimited", retryable: "yes", notifyCode: "M_LIMIT_EXCEEDED"},
		{name: "a server error", status: 503, body: `{"errcode":"M_UNKNOWN"}`, form: "failed", retryable: "yes", notifyCode: "M_UNKNOWN"},
		{name: "unreachable", netErr: true, form: "unreachable", retryable: "yes", notifyCode: "network"},
		{name: "offline", netErr: true, offline: true, form: "offline", retryable: "yes", notifyCode: "network"},
		{name: "not JSON", status: 502, body: `<html>`, form: "badresponse", retryable: "yes", notifyCode: "bad_response"},
		{name: "anything else, with the server's words", status: 400, body: `{"errcode":"M_BAD_JSON","error":"oops"}`, form: "failed", detail: "oops", retryable: "yes", notifyCode: "M_BAD_JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newConv(t, Settings{Operator: op}, Start{PageURL: "https://widget.example/"})
			c.fill("alice", "a good long password")
			c.act(Submit)
			s, _ := pendingOf[Register](c)
			var fx []Effect
			if tc.netErr {
				fx = c.failNet(s, tc.offline)
			} else {
				fx = c.answer(s, tc.status, tc.body)
			}
			v := c.view()
			if v.Form.UserError.Key != tc.user || v.Form.PassError.Key != tc.pass || v.FormError.Key != tc.form {
				t.Fatalf("user %q pass %q form %q", v.Form.UserError.Key, v.Form.PassError.Key, v.FormError.Key)
			}
			if tc.detail != "" && v.FormError.Detail != tc.detail {
				t.Errorf("detail %q", v.FormError.Detail)
			}
			if v.Contact != tc.contact {
				t.Errorf("contact %q", v.Contact)
			}
			if v.Retryable != (tc.retryable != "") {
				t.Errorf("retryable %v", v.Retryable)
			}
			if v.Form.Username != "alice" || v.Form.Password != "a good long password" {
				t.Errorf("the form lost what was typed: %+v", v.Form)
			}
			code := ""
			for _, f := range fx {
				if n, ok := f.(Notify); ok && n.Event == "signup:error" {
					code = n.Detail["code"]
				}
			}
			if code != tc.notifyCode {
				t.Errorf("signup:error code %q, want %q", code, tc.notifyCode)
			}
		})
	}
}

// What the form checks before anything is sent.
func TestFormValidation(t *testing.T) {
	cases := []struct {
		user, pass, confirm string
		userErr, passErr    string
		confirmErr, focus   string
	}{
		{"", "pw", "pw", "username.empty", "", "", "username"},
		{"Alice", "pw", "pw", "", "", "", "username"},
		{"alice", "", "", "", "password.empty", "", "password"},
		{"alice", "pw", "pv", "", "", "confirm.mismatch", "confirm"},
		{"", "", "", "username.empty", "password.empty", "", "username"},
	}
	for _, tc := range cases {
		c := newConv(t, Settings{}, Start{})
		c.fill(tc.user, tc.pass)
		c.typeIn(FieldConfirm, tc.confirm)
		fx := c.act(Submit)
		v := c.view()
		if v.Form.UserError.Key != tc.userErr && tc.userErr != "" || v.Form.PassError.Key != tc.passErr || v.Form.ConfirmErr.Key != tc.confirmErr {
			t.Errorf("%+v: got user %q pass %q confirm %q", tc, v.Form.UserError.Key, v.Form.PassError.Key, v.Form.ConfirmErr.Key)
		}
		if !focused(fx, tc.focus) {
			t.Errorf("%+v: focus not on %s: %v", tc, tc.focus, fx)
		}
		if hasPending[Register](c) {
			t.Errorf("%+v: sent", tc)
		}
	}
	c := newConv(t, Settings{}, Start{})
	c.fill("Alice", "pw")
	if v := c.view(); v.Form.Suggestion != "alice" || v.Form.UserError.Key != "username.upper" {
		t.Fatalf("%+v", v.Form)
	}
	c.act(UseSuggestion)
	if v := c.view(); v.Form.Username != "alice" || v.Form.UserError.Key != "" || v.Form.Preview != "@alice:example.org" {
		t.Fatalf("%+v", v.Form)
	}
	c.typeIn(FieldConfirm, "pv")
	c.act(Submit)
	c.typeIn(FieldConfirm, "pw")
	if v := c.view(); v.Form.ConfirmErr.Key != "" {
		t.Fatal("the mismatch stays after the confirmation matches")
	}
}

// Before the page is live (the server's pre-render, a component not yet
// mounted) no event sends anything.
func TestNothingBeforeStart(t *testing.T) {
	events := []Event{Typed{Field: FieldUsername, Value: "alice"}, Act{Action: Submit}, Act{Action: Guest},
		Accept{}, SwitchFlow{}, Pick{}, Answer{Seq: 1}, Due{Timer: TimerPoll, Seq: 1}, Visibility{},
		TabMessage{Msg: "done:x"}, Claimed{Seq: 1}, CaptchaSolved{Seq: 1}, CaptchaFailed{}, PopupOpened{}, AuthDone{}}
	e := New(Settings{Homeserver: testHS, Operator: config.Config{Registration: config.Registration{Guests: true}}})
	for _, ev := range events {
		for _, f := range e.Handle(ev, t0) {
			if s, ok := f.(Send); ok {
				t.Errorf("%T before start sent %T", ev, s.Req)
			}
		}
	}
	if v := e.View(t0); v.Screen != ScreenForm || v.Homeserver != testHS {
		t.Fatalf("%+v", v)
	}
}
