package registration

// Defects found in review of the widget before the engine existed, each
// pinned by a test that failed on the old code's behaviour.

import (
	"testing"
	"time"

	"signup/app/config"
)

const (
	dummy401  = `{"flows":[{"stages":["m.login.dummy"]}],"session":"s1"}`
	token401  = `{"flows":[{"stages":["m.login.registration_token","m.login.dummy"]}],"session":"s1"}`
	email401  = `{"flows":[{"stages":["m.login.email.identity"]}],"session":"s1"}`
	phone401  = `{"flows":[{"stages":["m.login.msisdn"]}],"session":"s1"}`
	unknown   = `{"errcode":"M_UNRECOGNIZED"}`
	available = `{"available":true}`
)

// started is a conversation whose form is filled and submitted, with the
// first 401 answered by first.
func started(t *testing.T, s Settings, first string) *conv {
	t.Helper()
	c := newConv(t, s, Start{PageURL: "https://widget.example/"})
	c.fill("alice", "a good long password")
	c.act(Submit)
	c.reply(401, first)
	return c
}

// Defect 3, the phone: a code check answered after Back is dropped.
func TestLateCodeCheckIsDropped(t *testing.T) {
	c := started(t, Settings{}, phone401)
	c.typeIn(FieldCountry, "GB")
	c.typeIn(FieldPhone, "07700900123")
	c.act(PhoneSend)
	s, _ := pendingOf[PhoneToken](c)
	c.answer(s, 200, `{"sid":"p1","submit_url":"https://hs.example.org/submit"}`)
	c.typeIn(FieldCode, "123456")
	c.act(CodeVerify)
	code, _ := pendingOf[SubmitCode](c)
	c.act(Back)
	before := c.sentReg
	c.answer(code, 200, `{"success":true}`)
	if c.sentReg != before {
		t.Fatal("a code check answered after Back sent a /register from the form")
	}
}

// Defect 4: picking another homeserver while a /register is in flight on
// the first: the first server's answer is not applied to the second.
func TestPickDuringRegisterDropsTheOldAnswer(t *testing.T) {
	op := config.Config{Homeserver: config.Homeserver{Choices: []config.Choice{
		{Name: "B", URL: "https://b.example.net", ServerName: "b.example.net"}}}}
	c := newConv(t, Settings{Operator: op}, Start{PageURL: "https://widget.example/"})
	c.fill("alice", "a good long password")
	c.act(Submit)
	onA, _ := pendingOf[Register](c)
	c.act(PickerOpen)
	c.do(Pick{Index: 1}) // [0] is the current server
	d, _ := pendingOf[Discover](c)
	c.answer(d, 200, `{"versions":["v1.11"]}`)
	if v := c.view(); v.Homeserver.BaseURL != "https://b.example.net" {
		t.Fatalf("homeserver %+v", v.Homeserver)
	}
	c.answer(onA, 401, email401)
	if v := c.view(); v.Screen != ScreenForm || v.Stage.Stage != "" {
		t.Fatalf("server A's 401 was applied to server B: %+v", v)
	}
	c.act(Submit)
	_, r := pendingOf[Register](c)
	if r.Base != "https://b.example.net" || r.Body.Auth != nil {
		t.Fatalf("the submit on B went to %s with auth %+v", r.Base, r.Body.Auth)
	}
}

// Defect 5: a listed homeserver that cannot be reached keeps the user on
// the picker with the error there, the current server listed, and no
// account is made anywhere until the user chooses.
func TestUnreachableChoiceStaysOnThePicker(t *testing.T) {
	op := config.Config{Homeserver: config.Homeserver{Choices: []config.Choice{
		{Name: "Beta", URL: "https://beta.example.net", ServerName: "beta.example.net"}}}}
	c := newConv(t, Settings{Operator: op}, Start{PageURL: "https://widget.example/"})
	c.act(PickerOpen)
	v := c.view()
	if len(v.Picker.Choices) != 2 || v.Picker.Choices[0].URL != testHS.BaseURL {
		t.Fatalf("the current server is not listed first: %+v", v.Picker.Choices)
	}
	c.do(Pick{Index: 1})
	d, _ := pendingOf[Discover](c)
	fx := c.failNet(d, false)
	v = c.view()
	if !v.Picker.Open || v.Picker.Error.Key != "server.bad" || v.Picker.Error.Args[0] != "Beta" {
		t.Fatalf("picker %+v", v.Picker)
	}
	if v.Homeserver != testHS {
		t.Fatalf("homeserver %+v", v.Homeserver)
	}
	if !focused(fx, "server-error") {
		t.Errorf("the focus did not go to the error: %v", fx)
	}
	c.do(Pick{Index: 0})
	if v := c.view(); v.Picker.Open || hasPending[Discover](c) {
		t.Fatalf("choosing the current server again did not close the picker: %+v", v.Picker)
	}
}

func focused(fx []Effect, id string) bool {
	for _, f := range fx {
		if f, ok := f.(Focus); ok && f.ID == id {
			return true
		}
	}
	return false
}

// Defect 7: when the browser does not answer the cross-tab lock, the
// poll neither registers nor says "finished elsewhere": it asks again
// later (the old code took the lock as granted after 2 s).
func TestUnansweredLockFailsSafe(t *testing.T) {
	c := emailSent(t)
	n := len(c.effects)
	c.advance(minPoll)
	var claim Claim
	for _, f := range c.effects[n:] {
		if cl, ok := f.(Claim); ok {
			claim = cl
		}
	}
	if claim.Key == "" {
		t.Fatal("the poll did not claim the session")
	}
	c.do(Claimed{Seq: claim.Seq, Key: claim.Key, Err: true})
	if hasPending[Register](c) {
		t.Fatal("polled without the lock")
	}
	if v := c.view(); v.Stage.Email.Elsewhere {
		t.Fatal("an unanswered lock reads as another tab")
	}
	n = len(c.effects)
	c.advance(maxPoll)
	c.grant(c.effects[n:])
	if !hasPending[Register](c) {
		t.Fatal("the poll did not try again")
	}
}

// Defect 7: Dendrite's 403 M_FORBIDDEN for kind=guest says guests are
// refused, not that registration is closed.
func TestDendriteGuestsRefused(t *testing.T) {
	op := config.Config{Registration: config.Registration{Guests: true}}
	c := newConv(t, Settings{Operator: op}, Start{PageURL: "https://widget.example/"})
	c.act(Guest)
	c.reply(403, `{"errcode":"M_FORBIDDEN","error":"Guest registration is disabled on \"localhost\""}`)
	if v := c.view(); v.FormError.Key != "guest.refused" || v.Retryable || v.Contact != "" {
		t.Fatalf("form error %+v, retryable %v", v.FormError, v.Retryable)
	}
}

// Defect 1: after the server starts a new UIAA session, the old email
// validation is not polled any more, and a new email is asked for.
func TestNewSessionDropsTheValidation(t *testing.T) {
	c := emailSent(t)
	c.advance(minPoll)
	c.grant(c.effects)
	c.reply(401, `{"flows":[{"stages":["m.login.email.identity"]}],"session":"s2"}`)
	v := c.view()
	if v.Stage.Email.Sent {
		t.Fatal("the old session's sid is still on show")
	}
	n := len(c.effects)
	c.advance(time.Minute)
	for _, f := range c.effects[n:] {
		if s, ok := f.(Send); ok {
			if r, ok := s.Req.(Register); ok && r.Body.Auth != nil && r.Body.Auth.ThreepidCreds != nil {
				t.Fatalf("polled sid %q of the old session", r.Body.Auth.ThreepidCreds.SID)
			}
		}
	}
}

// Defect 2: a JSON 5xx during the email poll keeps polling (slower).
func TestPollSurvivesServerErrors(t *testing.T) {
	c := emailSent(t)
	for i := 0; i < 3; i++ {
		n := len(c.effects)
		c.advance(maxPoll)
		c.grant(c.effects[n:])
		c.reply(502, `{"errcode":"M_UNKNOWN","error":"bad gateway"}`)
		if v := c.view(); v.Screen != ScreenStage || !v.Stage.Email.Offline || v.Stage.Error.Key != "" {
			t.Fatalf("after a 502: %+v", v.Stage)
		}
	}
	n := len(c.effects)
	c.advance(maxPoll)
	c.grant(c.effects[n:])
	c.reply(200, `{"user_id":"@alice:example.org"}`)
	if v := c.view(); v.Screen != ScreenDone {
		t.Fatalf("screen %v", v.Screen)
	}
}

// The WASM never gets the answer of the check for an old name: typing
// on makes the earlier answer stale, and a name the server refused is
// not sent to /register.
func TestAvailability(t *testing.T) {
	c := newConv(t, Settings{}, Start{PageURL: "https://widget.example/"})
	c.typeIn(FieldUsername, "tess")
	c.advance(checkDelay)
	s, r := pendingOf[Available](c)
	if r.Name != "tess" {
		t.Fatalf("checked %q", r.Name)
	}
	c.answer(s, 400, `{"errcode":"M_USER_IN_USE","error":"taken"}`)
	if v := c.view(); v.Form.UserError.Key != "username.taken" {
		t.Fatalf("user error %+v", v.Form.UserError)
	}
	c.typeIn(FieldPassword, "a good long password")
	c.typeIn(FieldConfirm, "a good long password")
	c.act(Submit)
	if hasPending[Register](c) {
		t.Fatal("a taken name was sent to /register")
	}
	c.typeIn(FieldUsername, "tara")
	c.typeIn(FieldUsername, "tarb")
	c.advance(checkDelay)
	s, r = pendingOf[Available](c)
	if r.Name != "tarb" {
		t.Fatalf("checked %q (no debounce)", r.Name)
	}
	c.typeIn(FieldUsername, "tarc")
	c.answer(s, 200, available)
	if v := c.view(); v.Form.UserStatus.Key != "" {
		t.Fatalf("the answer for tarb shows for tarc: %+v", v.Form.UserStatus)
	}
	c.typeIn(FieldUsername, "tess")
	if v := c.view(); v.Form.UserError.Key != "username.taken" || hasPending[Available](c) {
		t.Fatal("tess asked about twice")
	}
}
