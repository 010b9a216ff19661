package uiaa_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"signup/app/matrix"
	"signup/app/uiaa"
	"signup/internal/nethttp"
)

// recording is a conversation of the widget with a real Synapse or
// Dendrite, written by the e2e tests (e2e/recorder.go, SIGNUP_RECORD=1):
// every request to the registration endpoints and the server's answer, in
// order.
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

// widgetDraws is the set of stages the widget draws itself (app/ui).
func widgetDraws(s matrix.AuthType) bool {
	switch s {
	case matrix.AuthTerms, matrix.AuthRegistrationToken, matrix.AuthEmail, matrix.AuthMSISDN, matrix.AuthRecaptcha:
		return true
	}
	return false
}

// The recorded Synapse and Dendrite conversations, replayed through the
// protocol layer: each answer is read as the widget reads it, and after
// every 401 with the UIAA state the flow chooser picks the stage the
// widget really submitted next. Subtests are named server/scenario.
func TestReplayRecordedConversations(t *testing.T) {
	for _, server := range []string{"synapse", "dendrite"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "e2e", "testdata", server, "*.json"))
		if len(files) == 0 {
			t.Fatalf("no recordings in e2e/testdata/%s", server)
		}
		for _, f := range files {
			var rec recording
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &rec); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			t.Run(server+"/"+rec.Scenario, func(t *testing.T) { replay(t, rec) })
		}
	}
}

func replay(t *testing.T, rec recording) {
	var (
		mu   sync.Mutex
		next int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		x := rec.Exchanges[next]
		next++
		mu.Unlock()
		if r.Method != x.Method || r.URL.Path != x.Path {
			t.Errorf("request %d: %s %s, the recording has %s %s", next, r.Method, r.URL.Path, x.Method, x.Path)
		}
		for k, v := range x.Header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(x.Status)
		w.Write(x.Response)
	}))
	defer srv.Close()
	c := matrix.NewClient(srv.URL, nethttp.Doer{})
	ctx := context.Background()
	chooser := uiaa.Chooser{CanDraw: widgetDraws}

	var (
		info    *matrix.AuthInfo
		current []matrix.AuthType
		want    matrix.AuthType // the stage the chooser says comes next
		done    bool
	)
	for i, x := range rec.Exchanges {
		var err error
		switch {
		case x.Method == "POST" && x.Path == "/_matrix/client/v3/register":
			var req matrix.RegisterRequest
			if err := json.Unmarshal(x.Request, &req); err != nil {
				t.Fatalf("exchange %d: %v", i, err)
			}
			q, _ := url.ParseQuery(x.Query)
			kind := matrix.Kind(q.Get("kind"))
			if req.Auth != nil && info != nil && x.Status != 429 {
				got := req.Auth.Type
				if got == "" {
					got = want // {session} alone: the stage done out of band
				}
				if got != want {
					t.Errorf("exchange %d: the widget submitted %q, the chooser picks %q from %+v", i, got, want, info.Flows)
				}
				if req.Auth.Session != info.Session {
					t.Errorf("exchange %d: session %q, the server's is %q", i, req.Auth.Session, info.Session)
				}
			}
			var resp *matrix.RegisterResponse
			resp, err = c.Register(ctx, kind, &req)
			a, ok := matrix.AuthRequired(err)
			var body struct {
				Flows json.RawMessage `json:"flows"`
			}
			json.Unmarshal(x.Response, &body)
			if x.Status == 401 && body.Flows != nil && !ok {
				// A failed stage is a 401 with errcode and flows: the
				// widget must read its UIAA state (the spec's rule).
				t.Fatalf("exchange %d: a 401 with flows read without its UIAA state: %v", i, err)
			}
			switch {
			case x.Status == 200:
				if err != nil || resp.UserID == "" {
					t.Fatalf("exchange %d: a 200 read as %v, %v", i, resp, err)
				}
				done = true
			case ok:
				info = a
				plan, cerr := chooser.Choose(info, current, "")
				if cerr != nil {
					t.Fatalf("exchange %d: %v for %s", i, cerr, x.Response)
				}
				current, want = plan.Stages, plan.Next
			}
		case x.Path == "/_matrix/client/v3/register/available":
			q, _ := url.ParseQuery(x.Query)
			_, err = c.Available(ctx, q.Get("username"))
		case strings.HasSuffix(x.Path, "/validity"):
			q, _ := url.ParseQuery(x.Query)
			_, _, err = c.TokenValidity(ctx, q.Get("token"))
		case strings.HasSuffix(x.Path, "/email/requestToken"):
			var req matrix.RequestTokenRequest
			json.Unmarshal(x.Request, &req)
			_, err = c.RequestEmailToken(ctx, &req)
		case x.Path == "/_matrix/client/v1/login/get_token":
			// The login-token hand-off after the sign-up: a 401 must
			// read as get_token's UIA state, the answer's session reused.
			var req struct {
				Auth *matrix.PasswordAuth `json:"auth"`
			}
			json.Unmarshal(x.Request, &req)
			var tok string
			tok, err = c.GetLoginToken(ctx, "recorded", req.Auth)
			if a, ok := matrix.AuthRequired(err); x.Status == 401 && (!ok || a.Session == "") {
				t.Errorf("exchange %d: get_token's 401 read without its UIA state: %v", i, err)
			} else if x.Status == 200 && (err != nil || tok == "") {
				t.Errorf("exchange %d: get_token's 200 read as %q, %v", i, tok, err)
			}
		case x.Path == "/_matrix/client/v3/logout":
			err = c.Logout(ctx, "recorded")
		default:
			t.Fatalf("exchange %d: no replay for %s %s", i, x.Method, x.Path)
		}
		// Every error answer is read as a Matrix error the widget can
		// word (an errcode, a UIAA state or a wait), never as garbage.
		if x.Status >= 400 && err != nil {
			var me *matrix.Error
			if !errors.As(err, &me) {
				t.Errorf("exchange %d: %d %s read as %v", i, x.Status, x.Response, err)
			} else if x.Status == 429 && me.RetryAfter <= 0 {
				t.Errorf("exchange %d: a 429 without its wait: %+v", i, me)
			}
		}
	}
	if strings.Contains(rec.Scenario, "refused") || strings.Contains(rec.Scenario, "disabled") || strings.HasPrefix(rec.Scenario, "username") {
		return // these conversations end in a refusal, or a success among refusals
	}
	if !done {
		t.Errorf("the conversation never reached a 200 from /register")
	}
}
