package registration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"signup/app/config"
	"signup/app/matrix"
)

// script is a conversation in testdata/conversations: the user's events,
// the requests the engine must send and the server's answers to them,
// and what the user must see, in order.
type script struct {
	Doc      string          `json:"doc"`
	Page     string          `json:"page"`
	Operator json.RawMessage `json:"operator"`
	Steps    []step          `json:"steps"`
}

// step is one line of a script; exactly one of its groups is set.
type step struct {
	// A user event.
	Type   string `json:"type"` // the field typed into, with Value
	Value  string `json:"value"`
	Act    string `json:"act"`
	Accept string `json:"accept"`
	Switch string `json:"switch"`
	Pick   *int   `json:"pick"`
	// Captcha is a reCAPTCHA response from the widget the engine drew
	// last.
	Captcha string `json:"captcha"`
	// Expect names the request the engine must have in flight ("POST
	// /_matrix/client/v3/register"), with Body a subset of its JSON body
	// (null: absent) and Query of its query; it is answered with Status,
	// Response and Headers, or NetworkError (Offline: the browser
	// believes it is offline).
	Expect       string            `json:"expect"`
	Host         string            `json:"host"` // with Expect, Sent, None: the server's host
	Body         map[string]any    `json:"body"`
	Query        map[string]string `json:"query"`
	Status       int               `json:"status"`
	Response     json.RawMessage   `json:"response"`
	Headers      []string          `json:"headers"`
	NetworkError bool              `json:"network_error"`
	Offline      bool              `json:"offline"`
	// Sent asserts, like Expect, that such a request is in flight, and
	// leaves it unanswered.
	Sent string `json:"sent"`
	// None asserts that no such request is in flight.
	None string `json:"none"`
	// Wait lets time pass ("2s"), firing the timers that fall due.
	Wait string `json:"wait"`
	// Tab is a message from another tab; Hidden the tab's visibility;
	// Reload a reload of the page (a new engine, the saved progress);
	// Locked a cross-tab lock another tab holds.
	Tab    string `json:"tab"`
	Hidden *bool  `json:"hidden"`
	Reload bool   `json:"reload"`
	Locked string `json:"locked"`
	// View asserts what the user sees (see checkView).
	View map[string]any `json:"view"`
}

var fields = map[string]Field{
	"username": FieldUsername, "password": FieldPassword, "confirm": FieldConfirm,
	"email": FieldEmail, "country": FieldCountry, "phone": FieldPhone, "code": FieldCode,
	"token": FieldToken, "server": FieldServer, "password_again": FieldPasswordAgain,
}

var actions = map[string]Action{
	"submit": Submit, "guest": Guest, "back": Back, "use_suggestion": UseSuggestion,
	"terms": TermsContinue, "token": TokenContinue, "email_send": EmailSend,
	"email_resend": EmailResend, "email_other": EmailOther, "password_again": PasswordAgain,
	"phone_send": PhoneSend, "code_verify": CodeVerify, "fallback_open": FallbackOpen,
	"fallback_done": FallbackDone, "picker_open": PickerOpen, "picker_keep": PickerKeep,
	"picker_custom": PickerCustom, "cancel": Cancel,
}

// TestConversations plays every script of testdata/conversations.
func TestConversations(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "conversations", "*.json"))
	if len(files) == 0 {
		t.Fatal("no conversations")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var sc script
			if err := json.Unmarshal(b, &sc); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			playScript(t, sc)
		})
	}
}

func playScript(t *testing.T, sc script) {
	var s Settings
	if len(sc.Operator) > 0 {
		op, err := config.Parse(sc.Operator)
		if err != nil {
			t.Fatalf("operator: %v", err)
		}
		s.Operator = *op
	}
	c := newConv(t, s, Start{PageURL: sc.Page})
	for i, st := range sc.Steps {
		where := fmt.Sprintf("step %d", i+1)
		c.step(where, st, sc)
		c.checkInvariants(where)
	}
}

func (c *conv) step(where string, st step, sc script) {
	t := c.t
	t.Helper()
	switch {
	case st.Type != "":
		f, ok := fields[st.Type]
		if !ok {
			t.Fatalf("%s: unknown field %q", where, st.Type)
		}
		c.grant(c.do(Typed{Field: f, Value: st.Value}))
	case st.Act != "":
		a, ok := actions[st.Act]
		if !ok {
			t.Fatalf("%s: unknown action %q", where, st.Act)
		}
		c.grant(c.act(a))
	case st.Accept != "":
		c.do(Accept{Policy: st.Accept, Accepted: true})
	case st.Switch != "":
		c.grant(c.do(SwitchFlow{Stage: matrix.AuthType(st.Switch)}))
	case st.Pick != nil:
		c.do(Pick{Index: *st.Pick})
	case st.Captcha != "":
		c.grant(c.do(CaptchaSolved{Seq: c.lastCaptcha(where), Token: st.Captcha}))
	case st.Expect != "":
		s := c.expect(where, st.Expect, st.Host, st.Body, st.Query)
		var fx []Effect
		if st.NetworkError {
			fx = c.failNet(s, st.Offline)
		} else {
			fx = c.answer(s, st.Status, string(st.Response), st.Headers...)
		}
		c.grant(fx)
	case st.Sent != "":
		c.expect(where, st.Sent, st.Host, st.Body, st.Query)
	case st.None != "":
		for _, s := range c.inflight {
			if m, p, _, _ := httpOf(t, s.Req); m+" "+p == st.None && (st.Host == "" || toHost(s.Req) == st.Host) {
				t.Fatalf("%s: %s in flight", where, st.None)
			}
		}
	case st.Wait != "":
		d, err := time.ParseDuration(st.Wait)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		n := len(c.effects)
		c.advance(d)
		c.grant(c.effects[n:])
	case st.Tab != "":
		c.grant(c.do(TabMessage{Msg: st.Tab}))
	case st.Hidden != nil:
		c.grant(c.do(Visibility{Hidden: *st.Hidden}))
	case st.Reload:
		c.reload(sc.Page)
	case st.Locked != "":
		c.locks[st.Locked] = true
	case st.View != nil:
		c.checkView(where, st.View)
	default:
		t.Fatalf("%s: empty step", where)
	}
}

// lastCaptcha is the Seq of the last reCAPTCHA widget the engine drew.
func (c *conv) lastCaptcha(where string) int {
	c.t.Helper()
	for i := len(c.effects) - 1; i >= 0; i-- {
		if f, ok := c.effects[i].(Captcha); ok {
			return f.Seq
		}
	}
	c.t.Fatalf("%s: no reCAPTCHA drawn", where)
	return 0
}

// grant answers the claims among fx (see grantClaims).
func (c *conv) grant(fx []Effect) { c.t.Helper(); c.grantClaims(fx) }

// reload is a reload of the tab: a new engine that starts from the saved
// progress; requests in flight and timers die with the old page.
func (c *conv) reload(page string) {
	c.t.Helper()
	c.e = New(c.e.set)
	c.inflight, c.timers = nil, nil
	c.grant(c.do(Start{PageURL: page, Saved: c.saved}))
}

// expect returns the oldest request in flight to "METHOD /path" (on
// host, unless "") whose body and query hold what is asked.
func (c *conv) expect(where, want, host string, body map[string]any, query map[string]string) Send {
	c.t.Helper()
	var seen []string
	for _, s := range c.inflight {
		m, p, q, b := httpOf(c.t, s.Req)
		seen = append(seen, m+" "+p+" on "+toHost(s.Req))
		if m+" "+p != want || host != "" && toHost(s.Req) != host {
			continue
		}
		if err := subset(body, b); err != nil {
			c.t.Fatalf("%s: %s: body %v: %v", where, want, b, err)
		}
		for k, v := range query {
			if q.Get(k) != v {
				c.t.Fatalf("%s: %s: ?%s=%q, want %q", where, want, k, q.Get(k), v)
			}
		}
		return s
	}
	c.t.Fatalf("%s: no %s in flight; in flight: %q", where, want, seen)
	return Send{}
}

// toHost is the host a request goes to.
func toHost(r Request) string {
	if b := baseOf(r); len(b) > 0 {
		return hostOf(b[0])
	}
	return ""
}

// checkInvariants holds after every step of every conversation: at most
// one /register in flight (checked as they are sent), nothing sent after
// the welcome panel but the hand-off, every auth dict carrying the
// session of the server's latest 401, no password in storage or on the
// host page.
func (c *conv) checkInvariants(where string) {
	c.t.Helper()
	for _, f := range c.effects {
		switch f := f.(type) {
		case Save:
			b, _ := json.Marshal(f.Progress)
			if c.e.password != "" && strings.Contains(string(b), c.e.password) {
				c.t.Fatalf("%s: the password in the saved progress: %s", where, b)
			}
		case Notify:
			for _, v := range f.Detail {
				if c.e.password != "" && strings.Contains(v, c.e.password) {
					c.t.Fatalf("%s: the password to the host page", where)
				}
			}
		}
	}
	for _, s := range c.inflight {
		r, ok := s.Req.(Register)
		if !ok || r.Body.Auth == nil {
			continue
		}
		if c.e.auth != nil && r.Body.Auth.Session != c.e.auth.Session && c.e.inflight[s.Seq].epoch == c.e.epoch {
			c.t.Fatalf("%s: auth for session %q while the session is %q", where, r.Body.Auth.Session, c.e.auth.Session)
		}
	}
}

// checkView compares the view with want: screen, stage, step, steps,
// busy, wait, form_error, stage_error, user_error, pass_error,
// token_error, email_error, email_sent, email_offline, email_elsewhere,
// need_password, phone_error, phone_sent, phone_waiting, user_id,
// alternatives, picker_open, picker_error, username, user_status,
// policies (how many), terms_all, saved_session (the session a reload
// resumes, "<session> on <host>").
func (c *conv) checkView(where string, want map[string]any) {
	c.t.Helper()
	v := c.view()
	screens := map[Screen]string{ScreenForm: "form", ScreenStage: "stage", ScreenDone: "done",
		ScreenConfirmed: "confirmed", ScreenOAuth: "oauth"}
	got := map[string]any{
		"screen": screens[v.Screen], "stage": string(v.Stage.Stage),
		"step": float64(v.Stage.Step), "steps": float64(v.Stage.Steps),
		"busy": v.Busy, "wait": float64(v.WaitLeft),
		"form_error": v.FormError.Key, "form_detail": v.FormError.Detail,
		"stage_error": v.Stage.Error.Key, "stage_detail": v.Stage.Error.Detail,
		"user_error": v.Form.UserError.Key, "pass_error": v.Form.PassError.Key,
		"confirm_error": v.Form.ConfirmErr.Key, "user_status": v.Form.UserStatus.Key,
		"token_error": v.Stage.Token.Error.Key, "email_error": v.Stage.Email.Error.Key,
		"email_sent": v.Stage.Email.Sent, "email_offline": v.Stage.Email.Offline,
		"email_elsewhere": v.Stage.Email.Elsewhere, "need_password": v.Stage.Email.NeedPassword,
		"phone_error": v.Stage.Phone.Error.Key, "phone_sent": v.Stage.Phone.Sent,
		"phone_waiting": v.Stage.Phone.Waiting, "user_id": v.Done.UserID, "elsewhere": v.Done.Elsewhere,
		"picker_open": v.Picker.Open, "picker_error": v.Picker.Error.Key,
		"username": v.Form.Username, "password": v.Form.Password, "homeserver": v.Homeserver.BaseURL,
		"retryable": v.Retryable, "captcha_blocked": v.Stage.CaptchaBlocked,
		"policies": float64(len(v.Stage.Terms.Policies)), "terms_all": v.Stage.Terms.All,
	}
	var saved Progress
	if c.saved != "" {
		_ = json.Unmarshal([]byte(c.saved), &saved)
	}
	got["saved_session"] = ""
	if saved.Auth != nil {
		got["saved_session"] = saved.Auth.Session + " on " + hostOf(saved.Homeserver)
	}
	alts := []any{}
	for _, a := range v.Stage.Alternatives {
		alts = append(alts, string(a))
	}
	got["alternatives"] = alts
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		g, ok := got[k]
		if !ok {
			c.t.Fatalf("%s: unknown view field %q", where, k)
		}
		if fmt.Sprint(g) != fmt.Sprint(want[k]) {
			c.t.Errorf("%s: view %s = %v, want %v", where, k, g, want[k])
		}
	}
	if c.t.Failed() {
		c.t.FailNow()
	}
}
