package registration

// A property-based test of the whole conversation: a model homeserver
// answers every request at random (flows, completed stages, errcodes, 429,
// 5xx, network failures, lost sessions, success) while a random user
// types, submits, switches flows and servers, goes back, reloads and lets
// time pass. Whatever happens, the invariants below hold. The seed
// corpus is in testdata/fuzz/FuzzConversation.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"signup/app/config"
	"signup/app/matrix"
)

// fuzzPassword is the password the random user types: no other field ever
// holds it, so finding it anywhere but a request to the homeserver is a
// leak.
const fuzzPassword = "pw-Secret-7331"

// bytesource reads choices from the fuzzer's bytes (zero when spent).
type bytesource struct {
	b []byte
	i int
}

func (s *bytesource) n(k int) int {
	if k <= 1 || s.i >= len(s.b) {
		return 0
	}
	v := int(s.b[s.i])
	s.i++
	return v % k
}

func (s *bytesource) done() bool { return s.i >= len(s.b) }

// model is the random homeserver, and what it has handed out.
type model struct {
	src      *bytesource
	sessions map[string]string // the latest session of each server
	sidOf    map[string]string // sid -> the session it was asked for in
	urlOf    map[string]string // submit_url -> the session
	next     int
	success  bool
}

var fuzzStages = []matrix.AuthType{matrix.AuthDummy, matrix.AuthTerms, matrix.AuthRegistrationToken,
	matrix.AuthEmail, matrix.AuthMSISDN, matrix.AuthRecaptcha, "org.example.custom"}

func (m *model) flows() string {
	var flows []string
	for range 1 + m.src.n(3) {
		var st []string
		for range 1 + m.src.n(3) {
			st = append(st, `"`+string(fuzzStages[m.src.n(len(fuzzStages))])+`"`)
		}
		flows = append(flows, `{"stages":[`+strings.Join(st, ",")+`]}`)
	}
	return "[" + strings.Join(flows, ",") + "]"
}

func (m *model) session(base string) string {
	m.next++
	s := fmt.Sprintf("s%d", m.next)
	m.sessions[base] = s
	return s
}

// guestSession is a session in the answer to a guest registration: a
// request body of its own, so not the user's latest session.
func (m *model) guestSession() string {
	m.next++
	return fmt.Sprintf("s%d", m.next)
}

// answer is the model's answer to one request: status, body, headers, or
// a network failure.
func (m *model) answer(r Request, c *conv) (status int, body string, headers []string, netErr bool) {
	switch r := r.(type) {
	case Register:
		base := r.Base
		if r.Body.Auth != nil && r.Body.Auth.Session != "" {
			if want := m.sessions[base]; r.Body.Auth.Session != want {
				c.t.Fatalf("auth for session %q, the server's latest is %q", r.Body.Auth.Session, want)
			}
			if tc := r.Body.Auth.ThreepidCreds; tc != nil && m.sidOf[tc.SID] != r.Body.Auth.Session {
				c.t.Fatalf("sid %q of session %q polled in session %q", tc.SID, m.sidOf[tc.SID], r.Body.Auth.Session)
			}
		}
		switch m.src.n(12) {
		case 0:
			return 429, `{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":` + fmt.Sprint(m.src.n(8)*700) + `}`, nil, false
		case 1:
			return 502, `{"errcode":"M_UNKNOWN","error":"bad gateway"}`, nil, false
		case 2:
			return 0, "", nil, true
		case 3:
			return 400, `{"errcode":"M_UNKNOWN","error":"Unknown session ID"}`, nil, false
		case 4:
			if r.Kind == matrix.KindGuest || r.Body.Auth != nil {
				m.success = true
				return 200, `{"user_id":"@alice:example.org","access_token":"tok"}`, nil, false
			}
		case 5:
			return 400, `{"errcode":"M_USER_IN_USE","error":"taken"}`, nil, false
		case 6:
			s := m.guestSession()
			if r.Kind != matrix.KindGuest {
				s = m.session(base)
			}
			return 401, `{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":1500,"flows":` + m.flows() + `,"session":"` + s + `"}`, nil, false
		case 7:
			return 401, `{"errcode":"M_BAD_JSON","error":"invalid captcha response"}`, nil, false
		}
		s := m.sessions[base]
		switch {
		case r.Kind == matrix.KindGuest:
			s = m.guestSession()
		case s == "" || m.src.n(4) == 0:
			s = m.session(base)
		}
		completed := `[]`
		if m.src.n(2) == 0 {
			completed = `["` + string(fuzzStages[m.src.n(len(fuzzStages))]) + `"]`
		}
		errcode := ""
		if m.src.n(3) == 0 {
			errcode = `"errcode":"M_UNAUTHORIZED","error":"no",`
		}
		return 401, `{` + errcode + `"flows":` + m.flows() + `,"params":{"m.login.terms":{"policies":{"p":{"version":"1","en":{"name":"P","url":"https://example.org/p"}}}},"m.login.recaptcha":{"public_key":"k"}},"completed":` + completed + `,"session":"` + s + `"}`, nil, false
	case EmailToken, PhoneToken:
		base := baseOf(r)[0]
		switch m.src.n(5) {
		case 0:
			return 400, `{"errcode":"M_THREEPID_IN_USE"}`, nil, false
		case 1:
			return 0, "", nil, true
		}
		m.next++
		sid := fmt.Sprintf("sid%d", m.next)
		m.sidOf[sid] = m.sessions[base]
		submit := ""
		if _, phone := r.(PhoneToken); phone && m.src.n(2) == 0 {
			u := base + "/submit/" + sid
			m.urlOf[u] = m.sessions[base]
			submit = `,"submit_url":"` + u + `"`
		}
		return 200, `{"sid":"` + sid + `"` + submit + `}`, nil, false
	case SubmitCode:
		if m.urlOf[r.URL] != m.sessions[r.Base] {
			c.t.Fatalf("code sent to %q of session %q, the server's latest is %q", r.URL, m.urlOf[r.URL], m.sessions[r.Base])
		}
		if m.sidOf[r.SID] != m.sessions[r.Base] {
			c.t.Fatalf("code for sid %q of another session", r.SID)
		}
		return 200, `{"success":` + fmt.Sprint(m.src.n(2) == 0) + `}`, nil, false
	case Available:
		return 200, `{"available":true}`, nil, false
	case Discover:
		if m.src.n(2) == 0 {
			return 0, "", nil, true
		}
		return 200, `{"versions":["v1.11"]}`, nil, false
	case Metadata:
		if m.src.n(3) == 0 {
			return 200, oauthMetadata(nil), nil, false
		}
		return 404, `{"errcode":"M_UNRECOGNIZED"}`, nil, false
	case LoginFlows:
		if m.src.n(2) == 0 {
			return 200, ssoFlows, nil, false
		}
		return 200, `{"flows":[{"type":"m.login.password"}]}`, nil, false
	case ClientRegistration:
		switch m.src.n(3) {
		case 0:
			return 400, `{"error":"invalid_client_metadata"}`, nil, false
		case 1:
			return 0, "", nil, true
		}
		return 201, `{"client_id":"c1"}`, nil, false
	case CodeToken:
		if r.X.Verifier == "" || strings.Contains(r.X.Verifier, fuzzPassword) {
			c.t.Fatalf("token request %+v", r.X)
		}
		if m.src.n(3) == 0 {
			return 400, `{"error":"invalid_grant"}`, nil, false
		}
		return 200, `{"access_token":"at","token_type":"Bearer","refresh_token":"rt"}`, nil, false
	case WhoAmI:
		m.success = true
		return 200, `{"user_id":"@alice:example.org"}`, nil, false
	case TokenLogin:
		m.success = true
		return 200, `{"user_id":"@alice:example.org","access_token":"syt"}`, nil, false
	case Revoke, Logout:
		return 200, `{}`, nil, false
	case HandOff:
		return 401, `{"flows":[{"stages":["m.login.password"]}],"session":"x"}`, nil, false
	}
	return 500, "", nil, false
}

func FuzzConversation(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte("submit, then whatever the server says"))
	f.Add([]byte{3, 9, 9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Fuzz(func(t *testing.T, data []byte) {
		src := &bytesource{b: data}
		op := config.Config{Version: config.CurrentVersion,
			Homeserver:   config.Homeserver{Choices: []config.Choice{{Name: "B", URL: "https://b.example.net", ServerName: "b.example.net"}}, AllowCustom: true},
			Registration: config.Registration{Guests: true}}
		c := newConv(t, Settings{Operator: op}, Start{PageURL: "https://widget.example/?token=abc",
			Embedded: src.n(2) == 0, CallbackURL: "https://widget.example/web/callback.html"})
		m := &model{src: src, sessions: map[string]string{}, sidOf: map[string]string{}, urlOf: map[string]string{}}
		c.fill("alice", fuzzPassword)
		doneAt := -1
		for steps := 0; !src.done() && steps < 400; steps++ {
			before := len(c.effects)
			switch k := src.n(16); {
			case k < 6 && len(c.inflight) > 0:
				s := c.inflight[src.n(len(c.inflight))]
				status, body, headers, netErr := m.answer(s.Req, c)
				if netErr {
					c.failNet(s, src.n(2) == 0)
				} else {
					c.answer(s, status, body, headers...)
				}
			case k == 6:
				c.advance(time.Duration(src.n(20)) * 500 * time.Millisecond)
			case k == 7:
				// Each field gets what belongs in it: the password only
				// in the password fields.
				f := Field(src.n(10))
				values := [][]string{{"alice", "Alice"}, {fuzzPassword, fuzzPassword}, {fuzzPassword, "other"},
					{"a@example.org", "b@"}, {"GB", "x"}, {"07700900123", "1"}, {"123456", ""}, {"tok", ""},
					{"b.example.net", "https://c.example.com"}, {fuzzPassword, ""}}
				c.do(Typed{Field: f, Value: values[f][src.n(2)]})
			case k == 8:
				c.do(Accept{Policy: "p", Accepted: true})
			case k == 9:
				v := c.view()
				if len(v.Stage.Alternatives) > 0 {
					c.do(SwitchFlow{Stage: v.Stage.Alternatives[src.n(len(v.Stage.Alternatives))]})
				}
			case k == 10:
				c.do(Pick{Index: src.n(3)})
			case k == 11:
				msgs := []string{"done:s1", "done:s2", "confirmed:x", "done:" + m.sessions[testHS.BaseURL]}
				c.do(TabMessage{Msg: msgs[src.n(len(msgs))]})
			case k == 12:
				c.do(Visibility{Hidden: src.n(2) == 0})
			case k == 13:
				c.do(CaptchaSolved{Seq: c.e.captcha.seq, Token: "ok"})
			case k == 14 && src.n(4) == 0:
				c.reload("https://widget.example/")
				doneAt = -1 // a new page
				if c.view().Form.Password == "" {
					c.do(Typed{Field: FieldPasswordAgain, Value: fuzzPassword})
				}
			case k == 15:
				// The other pages' flows: a provider, the popup's
				// answer, a callback (of this tab's flow, or forged).
				switch src.n(3) {
				case 0:
					c.do(ChooseProvider{Index: src.n(2)})
				case 1:
					c.do(WindowOpened{OK: src.n(2) == 0})
				default:
					state := "forged"
					if f, ok := lastOf[OpenWindow](c); ok && src.n(2) == 0 {
						if u, err := url.Parse(f.URL); err == nil {
							state = u.Query().Get("state")
						}
					}
					c.do(Callback{URL: "https://widget.example/web/callback.html?code=x&state=" + state})
				}
			default:
				c.act(Action(src.n(int(OAuthCancel) + 1)))
			}
			if fuzzTrace {
				t.Logf("step %d k=%d: screen %v effects %s", steps, -1, c.view().Screen, describeFx(c.effects[before:]))
			}
			fx := c.effects[before:]
			c.grantClaims(fx)
			fx = c.effects[before:]
			checkEffects(t, c, fx, doneAt >= 0)
			if c.view().Screen == ScreenDone && doneAt < 0 {
				doneAt = len(c.effects)
			}
		}
	})
}

// checkEffects holds for the effects of one event: a bounded number of
// requests, none after the welcome panel but the hand-off, and the
// password only ever in a request to the homeserver.
func checkEffects(t *testing.T, c *conv, fx []Effect, done bool) {
	t.Helper()
	sends := 0
	for _, f := range fx {
		switch f := f.(type) {
		case Send:
			sends++
			switch f.Req.(type) {
			case HandOff, Revoke, Logout:
				// What follows a sign-up: the hand-off, and the
				// widget's own session ended.
			default:
				if done {
					t.Fatalf("%T sent after the welcome panel", f.Req)
				}
			}
			if d, ok := f.Req.(Discover); ok && strings.Contains(d.Input, fuzzPassword) {
				t.Fatal("the password as a homeserver")
			}
			if e, ok := f.Req.(EmailToken); ok && strings.Contains(e.Body.NextLink, fuzzPassword) {
				t.Fatal("the password in next_link")
			}
		default:
			b, _ := json.Marshal(f)
			if strings.Contains(string(b), fuzzPassword) {
				t.Fatalf("the password in %T: %s", f, b)
			}
		}
	}
	if sends > 3 {
		t.Fatalf("%d requests for one event", sends)
	}
	if c.saved != "" && strings.Contains(c.saved, fuzzPassword) {
		t.Fatal("the password in sessionStorage")
	}
}

// fuzzTrace logs every step (for a failing input).
var fuzzTrace = false

func describeFx(fx []Effect) string {
	var out []string
	for _, f := range fx {
		if s, ok := f.(Send); ok {
			out = append(out, fmt.Sprintf("Send#%d %T", s.Seq, s.Req))
			continue
		}
		out = append(out, fmt.Sprintf("%T%v", f, f))
	}
	return strings.Join(out, " ")
}
