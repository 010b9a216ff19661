package registration

// The conversations recorded from real Synapse and Dendrite servers by
// the browser tests (e2e/testdata/<server>/*.json, see e2e/recorder.go),
// replayed through the engine: the user's part is read off the recorded
// requests (what was typed, which button), the engine must send the very
// requests the widget sent then (same endpoint, same auth stage and
// session), and it gets the server's recorded answers, through the same
// client parsing the browser uses.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"signup/app/config"
	"signup/app/matrix"
)

type recording struct {
	Server    string     `json:"server"`
	Scenario  string     `json:"scenario"`
	Exchanges []exchange `json:"exchanges"`
}

type exchange struct {
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Query    string            `json:"query"`
	Request  json.RawMessage   `json:"request"`
	Status   int               `json:"status"`
	Header   map[string]string `json:"header"`
	Response json.RawMessage   `json:"response"`
}

// body is the recorded request's JSON body.
func (x exchange) body() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(x.Request, &m)
	return m
}

func (x exchange) auth() map[string]any {
	a, _ := x.body()["auth"].(map[string]any)
	return a
}

func (x exchange) is(method, suffix string) bool {
	return x.Method == method && strings.HasSuffix(x.Path, suffix)
}

// tape is the recording as a Doer: each request must be the next one
// recorded (method and path), and gets its answer. Requests the recorder
// does not keep (the delegation check) get a 404.
type tape struct {
	t  *testing.T
	xs []exchange
}

func (tp *tape) Do(ctx context.Context, req *matrix.Request) (*matrix.Response, error) {
	tp.t.Helper()
	path := req.URL
	if i := strings.Index(path, "/_matrix/"); i >= 0 {
		path = path[i:]
	}
	path, query, _ := strings.Cut(path, "?")
	older := strings.HasSuffix(path, "/password_policy") && (len(tp.xs) == 0 || tp.xs[0].Path != path)
	if older || !strings.Contains(path, "/register") && !strings.Contains(path, "get_token") && !strings.Contains(path, "logout") && !strings.HasSuffix(path, "/password_policy") {
		// Not recorded (the delegation check), or a recording made before
		// the widget read the password policy.
		return &matrix.Response{Status: 404, Header: matrix.Header{"content-type": "application/json"}, Body: []byte(`{"errcode":"M_UNRECOGNIZED"}`)}, nil
	}
	if len(tp.xs) == 0 {
		tp.t.Fatalf("%s %s sent after the end of the recording", req.Method, path)
	}
	x := tp.xs[0]
	if x.Method != req.Method || x.Path != path {
		tp.t.Fatalf("the engine sent %s %s?%s, the widget sent %s %s?%s", req.Method, path, query, x.Method, x.Path, x.Query)
	}
	if a := x.auth(); a != nil {
		var got map[string]any
		_ = json.Unmarshal(req.Body, &got)
		ga, _ := got["auth"].(map[string]any)
		if ga == nil || ga["session"] != a["session"] || ga["type"] != a["type"] {
			tp.t.Fatalf("%s: auth %v, the widget sent %v", path, ga, a)
		}
		if tc, ok := a["threepid_creds"].(map[string]any); ok {
			gtc, _ := ga["threepid_creds"].(map[string]any)
			if gtc == nil || gtc["sid"] != tc["sid"] {
				tp.t.Fatalf("threepid_creds %v, the widget sent %v", gtc, tc)
			}
		}
	}
	tp.xs = tp.xs[1:]
	h := matrix.Header{"content-type": "application/json"}
	for k, v := range x.Header {
		h.Set(k, v)
	}
	return &matrix.Response{Status: x.Status, Header: h, Body: x.Response}, nil
}

func TestReplayRecordedConversations(t *testing.T) {
	var files []string
	for _, server := range []string{"synapse", "dendrite"} {
		fs, _ := filepath.Glob(filepath.Join("..", "..", "e2e", "testdata", server, "*.json"))
		if len(fs) == 0 {
			t.Fatalf("no %s recordings", server)
		}
		files = append(files, fs...)
	}
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f)) + "/" + strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			var rec recording
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &rec); err != nil {
				t.Fatal(err)
			}
			replay(t, rec)
		})
	}
}

// replay plays one recording through the engine.
func replay(t *testing.T, rec recording) {
	op := config.Config{Version: config.CurrentVersion, Registration: config.Registration{Guests: true}}
	if rec.Scenario == "login-token" {
		op.After.Clients = []config.Client{{Name: "Web", URL: "https://web.example/#/login?loginToken={login_token}", LoginToken: true}}
	}
	script := "https://www.google.com/recaptcha/api.js"
	if rec.Scenario == "recaptcha-fallback" {
		script = ""
	}
	tp := &tape{t: t, xs: rec.Exchanges}
	settings := Settings{Operator: op, RecaptchaScript: script}
	var c *conv
	page := func() {
		c = newConv(t, settings, Start{PageURL: "https://widget.example/"})
		if script == "" {
			c.e.set.RecaptchaScript = ""
		}
	}
	page()
	// answerAll answers what is in flight from the tape.
	answerAll := func() {
		for len(c.inflight) > 0 {
			s := c.inflight[0]
			if a, ok := s.Req.(Available); ok && (len(tp.xs) == 0 || !tp.xs[0].is("GET", "/register/available") ||
				!strings.Contains(tp.xs[0].Query, "username="+a.Name)) {
				// A check the widget of the recording did not make then.
				c.answer(s, 200, `{"available":true}`)
				continue
			}
			v, err := Do(context.Background(), tp, s.Req)
			c.grant(c.deliver(s, v, err, false))
		}
	}
	var lastUser string
	for steps := 0; len(tp.xs) > 0 && steps < 200; steps++ {
		answerAll()
		if len(tp.xs) == 0 {
			break
		}
		x := tp.xs[0]
		v := c.view()
		switch {
		case x.is("GET", "/password_policy"):
			// Read on every page load: the recording's tab loaded
			// the page again (another address, another tab).
			page()
		case x.is("GET", "/register/available"):
			name := strings.TrimPrefix(x.Query, "username=")
			if v.Screen == ScreenDone {
				page()
			}
			c.typeIn(FieldUsername, name)
			c.advance(checkDelay)
			if !hasPending[Available](c) {
				tp.xs = tp.xs[1:] // answered from the engine's cache
			}
		case x.is("POST", "/register") && strings.Contains(x.Query, "kind=guest"):
			if v.Screen == ScreenDone {
				page()
			}
			c.act(Guest)
		case x.is("POST", "/register") && x.auth() == nil:
			user, _ := x.body()["username"].(string)
			if v.Screen == ScreenDone || v.Screen == ScreenStage && user != lastUser {
				page()
			}
			lastUser = user
			if v.WaitLeft > 0 {
				c.advance(c.e.wait.until.Sub(c.now))
			}
			c.fill(user, "Recorded password 7") // meets any recorded policy
			c.act(Submit)
		case x.is("POST", "/register"):
			a := x.auth()
			switch a["type"] {
			case string(matrix.AuthTerms):
				for _, p := range v.Stage.Terms.Policies {
					c.do(Accept{Policy: p.ID, Accepted: true})
				}
				c.act(TermsContinue)
			case string(matrix.AuthRegistrationToken):
				c.typeIn(FieldToken, a["token"].(string))
				c.act(TokenContinue)
			case string(matrix.AuthRecaptcha):
				c.do(CaptchaSolved{Seq: c.e.captcha.seq, Token: a["response"].(string)})
			case string(matrix.AuthEmail), string(matrix.AuthMSISDN):
				for i := 0; i < 40 && !hasPending[Register](c); i++ {
					n := len(c.effects)
					c.advance(minPoll)
					c.grant(c.effects[n:])
				}
			case nil:
				c.act(FallbackDone)
			default:
				t.Fatalf("the engine did not send %v by itself", a["type"])
			}
		case x.is("GET", "/validity"):
			tok := strings.TrimPrefix(x.Query, "token=")
			if v.Stage.Token.Value != tok {
				c.typeIn(FieldToken, tok)
			}
			c.act(TokenContinue)
		case x.is("POST", "/email/requestToken"):
			var body struct{ Email string }
			_ = json.Unmarshal(x.Request, &body)
			if v.Stage.Email.Sent {
				c.act(EmailResend)
				break
			}
			c.typeIn(FieldEmail, body.Email)
			c.act(EmailSend)
		default:
			t.Fatalf("nothing the user did leads to %s %s", x.Method, x.Path)
		}
		if len(c.inflight) == 0 && len(tp.xs) > 0 && tp.xs[0].Path == x.Path && tp.xs[0].Query == x.Query && steps > 150 {
			t.Fatalf("stuck before %s %s", x.Method, x.Path)
		}
	}
	answerAll()
	if len(tp.xs) > 0 {
		t.Fatalf("%d exchanges not replayed, next %s %s", len(tp.xs), tp.xs[0].Method, tp.xs[0].Path)
	}
	// The last /register decides what the user sees.
	for i := len(rec.Exchanges) - 1; i >= 0; i-- {
		x := rec.Exchanges[i]
		if !x.is("POST", "/register") {
			continue
		}
		v := c.view()
		switch {
		case x.Status == 200:
			var ok struct {
				UserID string `json:"user_id"`
			}
			_ = json.Unmarshal(x.Response, &ok)
			if v.Screen != ScreenDone || v.Done.UserID != ok.UserID {
				t.Errorf("after the server's 200 for %s: screen %v, user %q", ok.UserID, v.Screen, v.Done.UserID)
			}
		case x.Status >= 400 && x.Status != 401:
			if v.FormError.Key == "" && v.Form.UserError.Key == "" && v.Form.PassError.Key == "" {
				t.Errorf("the server's %d is not shown: %+v", x.Status, v)
			}
		}
		break
	}
}
