package registration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"signup/app/config"
)

// The phone stage: the number is checked before anything is sent, the
// code goes only to a submit_url on the homeserver's origin or one the
// operator trusts, a wrong code is said on the field, a right one
// completes the stage with the validation's sid.
func TestPhoneStage(t *testing.T) {
	op := config.Config{Homeserver: config.Homeserver{TrustedOrigins: []string{"https://id.example.org/"}}}
	send := func(t *testing.T, submit string) *conv {
		t.Helper()
		c := started(t, Settings{Operator: op}, phone401)
		c.typeIn(FieldCountry, "g")
		c.typeIn(FieldPhone, "12")
		c.act(PhoneSend)
		if v := c.view(); v.Stage.Phone.Error.Key != "msisdn.bad" || hasPending[PhoneToken](c) {
			t.Fatalf("a bad number: %+v", v.Stage.Phone)
		}
		c.typeIn(FieldCountry, " gb ")
		c.typeIn(FieldPhone, "07700 900123")
		c.act(PhoneSend)
		s, r := pendingOf[PhoneToken](c)
		if r.Body.Country != "GB" || r.Body.PhoneNumber != "07700 900123" || r.Body.SendAttempt != 1 || r.Body.ClientSecret == "" {
			t.Fatalf("requestToken %+v", r.Body)
		}
		c.answer(s, 200, `{"sid":"p1","submit_url":"`+submit+`"}`)
		return c
	}
	t.Run("a submit_url elsewhere is refused", func(t *testing.T) {
		c := send(t, "https://evil.example/submit")
		if v := c.view(); v.Stage.Phone.Error.Key != "msisdn.untrusted" || v.Stage.Phone.Sent {
			t.Fatalf("%+v", v.Stage.Phone)
		}
	})
	t.Run("a trusted origin takes the code; a wrong code, then the right one", func(t *testing.T) {
		c := send(t, "https://ID.example.org:443/_matrix/identity/submit")
		if v := c.view(); !v.Stage.Phone.Sent || v.Stage.Phone.Waiting || v.Stage.Key != "m.login.msisdn/code" {
			t.Fatalf("%+v", v.Stage)
		}
		c.typeIn(FieldCode, "000000")
		c.act(CodeVerify)
		s, r := pendingOf[SubmitCode](c)
		if r.URL != "https://ID.example.org:443/_matrix/identity/submit" || r.SID != "p1" || r.Code != "000000" {
			t.Fatalf("%+v", r)
		}
		c.answer(s, 200, `{"success":false}`)
		if v := c.view(); v.Stage.Phone.Error.Key != "msisdn.wrong" {
			t.Fatalf("%+v", v.Stage.Phone)
		}
		c.typeIn(FieldCode, "123456")
		c.act(CodeVerify)
		s, _ = pendingOf[SubmitCode](c)
		c.answer(s, 200, `{"success":true}`)
		_, reg := pendingOf[Register](c)
		if a := reg.Body.Auth; a == nil || a.Type != "m.login.msisdn" || a.ThreepidCreds == nil || a.ThreepidCreds.SID != "p1" || a.Session != "s1" {
			t.Fatalf("auth %+v", reg.Body.Auth)
		}
	})
	t.Run("the homeserver's own origin; a number in use", func(t *testing.T) {
		c := started(t, Settings{}, phone401)
		c.typeIn(FieldCountry, "GB")
		c.typeIn(FieldPhone, "07700900123")
		c.act(PhoneSend)
		s, _ := pendingOf[PhoneToken](c)
		c.answer(s, 400, `{"errcode":"M_THREEPID_IN_USE"}`)
		if v := c.view(); v.Stage.Phone.Error.Key != "msisdn.inuse" {
			t.Fatalf("%+v", v.Stage.Phone)
		}
		c.act(PhoneSend)
		s, r := pendingOf[PhoneToken](c)
		if r.Body.SendAttempt != 2 {
			t.Fatalf("send_attempt %d", r.Body.SendAttempt)
		}
		c.answer(s, 200, `{"sid":"p2","submit_url":"https://hs.example.org/_matrix/client/unstable/add_threepid/msisdn/submit_token"}`)
		if v := c.view(); !v.Stage.Phone.Sent {
			t.Fatalf("%+v", v.Stage.Phone)
		}
	})
}

// The registration token stage: an empty or overlong token is said on the
// field without a request; any other goes straight to /register (no
// validity check first: the stage itself says whether the token passes,
// and the check would cost a round trip), and a refusal comes back to the
// field; a second click while it is in flight sends nothing.
func TestTokenStage(t *testing.T) {
	c := started(t, Settings{}, token401)
	c.act(TokenContinue)
	if v := c.view(); v.Stage.Token.Error.Key != "token.empty" {
		t.Fatalf("%+v", v.Stage.Token)
	}
	c.typeIn(FieldToken, strings.Repeat("x", 65))
	before := c.sentReg
	c.act(TokenContinue)
	if v := c.view(); v.Stage.Token.Error.Key != "token.invalid" || c.sentReg != before {
		t.Fatalf("%+v", v.Stage.Token)
	}
	c.typeIn(FieldToken, " bad ")
	c.act(TokenContinue)
	_, reg := pendingOf[Register](c)
	if a := reg.Body.Auth; a == nil || a.Type != "m.login.registration_token" || a.Token != "bad" {
		t.Fatalf("auth %+v", reg.Body.Auth)
	}
	c.act(TokenContinue) // a second click while it is in flight does nothing
	c.reply(401, `{"errcode":"M_UNAUTHORIZED","error":"Invalid token","flows":[{"stages":["m.login.registration_token"]}],"session":"s1"}`)
	if v := c.view(); v.Stage.Token.Error.Key != "token.invalid" || v.Screen != ScreenStage || hasPending[Register](c) {
		t.Fatalf("after a refused token: %+v", v.Stage.Token)
	}
	c.typeIn(FieldToken, "good")
	if c.view().Stage.Token.Error.Key != "" {
		t.Error("the error stays while the user types another token")
	}
	c.act(TokenContinue)
	_, reg = pendingOf[Register](c)
	if a := reg.Body.Auth; a == nil || a.Token != "good" || a.Session != "s1" {
		t.Fatalf("auth %+v", reg.Body.Auth)
	}
	c.reply(200, `{"user_id":"@alice:example.org"}`)
	if c.view().Screen != ScreenDone {
		t.Fatalf("screen %v", c.view().Screen)
	}
}

// The email stage's buttons: a bad address is said before sending,
// Resend asks again with a higher send_attempt, another address drops
// the validation.
func TestEmailButtons(t *testing.T) {
	c := started(t, Settings{}, email401)
	c.act(EmailSend)
	if c.view().Stage.Email.Error.Key != "email.empty" {
		t.Fatal("no error for an empty address")
	}
	c.typeIn(FieldEmail, "not an address")
	c.act(EmailSend)
	if c.view().Stage.Email.Error.Key != "email.bad" || hasPending[EmailToken](c) {
		t.Fatal("no error for a bad address")
	}
	c.typeIn(FieldEmail, " alice@example.org ")
	c.act(EmailSend)
	s, r := pendingOf[EmailToken](c)
	if r.Body.Email != "alice@example.org" || r.Body.SendAttempt != 1 {
		t.Fatalf("%+v", r.Body)
	}
	c.answer(s, 200, `{"sid":"e1"}`)
	c.act(EmailResend)
	s, r2 := pendingOf[EmailToken](c)
	if r2.Body.SendAttempt != 2 || r2.Body.ClientSecret != r.Body.ClientSecret {
		t.Fatalf("resend %+v", r2.Body)
	}
	c.answer(s, 200, `{"sid":"e1"}`)
	if v := c.view(); v.Stage.Email.Status.Key != "email.resent" {
		t.Fatalf("%+v", v.Stage.Email)
	}
	c.act(EmailOther)
	v := c.view()
	if v.Stage.Email.Sent || v.Stage.Email.Address != "alice@example.org" {
		t.Fatalf("%+v", v.Stage.Email)
	}
	c.sendsNothing(time.Minute, "polled the dropped validation")
}

// Polling waits while the tab is hidden and polls at once when it shows.
func TestPollingFollowsVisibility(t *testing.T) {
	c := emailSent(t)
	c.do(Visibility{Hidden: true})
	n := len(c.effects)
	c.advance(time.Minute)
	c.grant(c.effects[n:])
	if hasPending[Register](c) {
		t.Fatal("polled while hidden")
	}
	c.grant(c.do(Visibility{Hidden: false}))
	if !hasPending[Register](c) {
		t.Fatal("no poll when the tab showed again")
	}
}

// Saved progress resumes only on a server the user could have picked.
func TestRestoreOnlyKnownServers(t *testing.T) {
	saved := func(hs string) string {
		return `{"hs":"` + hs + `","username":"alice","auth":{"flows":[{"stages":["m.login.terms","m.login.dummy"]}],"session":"s1"},"stages":["m.login.terms","m.login.dummy"]}`
	}
	op := config.Config{Homeserver: config.Homeserver{Choices: []config.Choice{{Name: "B", URL: "https://b.example.net/"}}}}
	for _, tc := range []struct {
		hs      string
		op      config.Config
		resumes bool
	}{
		{testHS.BaseURL, config.Config{}, true},
		{"https://b.example.net", op, true},
		{"https://evil.example", op, false},
		{"https://evil.example", config.Config{Homeserver: config.Homeserver{AllowCustom: true}}, true},
		{"javascript:alert(1)", config.Config{Homeserver: config.Homeserver{AllowCustom: true}}, false},
	} {
		c := newConv(t, Settings{Operator: tc.op}, Start{Saved: saved(tc.hs)})
		v := c.view()
		if got := v.Screen == ScreenStage; got != tc.resumes {
			t.Errorf("%s: resumed %v, want %v", tc.hs, got, tc.resumes)
		}
		if !tc.resumes && (c.saved != "" || v.Homeserver != testHS) {
			t.Errorf("%s: the progress stays (%q) or the server changed (%+v)", tc.hs, c.saved, v.Homeserver)
		}
	}
}

// Characters the grammar refuses are listed, quoted, the space named,
// the capitals mentioned, and the fixed form offered; the limit of a
// name too long is said.
func TestUsernameMessages(t *testing.T) {
	cases := []struct {
		in, key, args, then, suggestion string
	}{
		{"Bad Name!", "username.space.chars", "[“!”]", "username.upper.too", "badname"},
		{"a b", "username.space", "[]", "", "ab"},
		{"a!b", "username.chars", "[“!”]", "", "ab"},
		{"Alice", "username.upper", "[alice]", "", "alice"},
		{strings.Repeat("a", 250), "username.long", "[242]", "", ""},
	}
	for _, tc := range cases {
		c := newConv(t, Settings{}, Start{})
		c.typeIn(FieldUsername, tc.in)
		f := c.view().Form
		then := ""
		if f.UserError.Then != nil {
			then = f.UserError.Then.Key
		}
		if f.UserError.Key != tc.key || fmt.Sprint(f.UserError.Args) != tc.args || then != tc.then || f.Suggestion != tc.suggestion {
			t.Errorf("%q: %+v then %q suggestion %q", tc.in, f.UserError, then, f.Suggestion)
		}
		if tc.suggestion != "" {
			c.act(UseSuggestion)
			if f := c.view().Form; f.Username != tc.suggestion || f.UserError.Key != "" {
				t.Errorf("%q: after the suggestion %+v", tc.in, f)
			}
		}
	}
}

// A full Matrix ID pasted into the username is understood: its localpart
// when it is on this homeserver, a clear note when it is on another.
func TestPastedUserID(t *testing.T) {
	c := newConv(t, Settings{}, Start{})
	c.typeIn(FieldUsername, " @erin:Example.org ")
	if f := c.view().Form; f.Username != "erin" || f.UserError.Key != "" || f.Preview != "@erin:example.org" {
		t.Fatalf("%+v", f)
	}
	c.typeIn(FieldUsername, "@erin:other.example")
	f := c.view().Form
	if f.UserError.Key != "username.elsewhere" || fmt.Sprint(f.UserError.Args) != "[other.example example.org]" || f.Suggestion != "erin" {
		t.Fatalf("%+v", f)
	}
	c.act(UseSuggestion)
	if f := c.view().Form; f.Username != "erin" || f.UserError.Key != "" {
		t.Fatalf("%+v", f)
	}
}
