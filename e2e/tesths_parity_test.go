package e2e

// The widget against the test homeserver where it now answers as Synapse
// does (and Dendrite, where they agree): a retry after a lost final answer,
// and usernames refused before any stage.

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"signup/e2e/tesths"
)

// The final /register reaches the server, which creates the account, but
// its answer is lost (the connection drops). The replay (Chromium's own
// on a reused connection, else the widget's "Try again") sends the same
// request in the same session, and the server answers 200 with the same
// account again, as Synapse (REGISTERED_USER_ID in the UIA session) and
// Dendrite do: the user sees the success panel, not "already taken" for
// the account they just made.
func TestParityLostFinalAnswerRetrySucceeds(t *testing.T) {
	hs := tesths.New(tesths.Config{Flows: [][]string{{"m.login.dummy"}}})
	var lost atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && r.URL.Path == "/_matrix/client/v3/register" && !lost.Load() {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if bytes.Contains(body, []byte(`"m.login.dummy"`)) {
				lost.Store(true)
				rec := httptest.NewRecorder()
				hs.ServeHTTP(rec, r)
				if rec.Code != 200 {
					t.Errorf("the final request answered %d: %s", rec.Code, rec.Body)
				}
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
				return
			}
		}
		hs.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	hs.URL = srv.URL
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("homeserver log:\n%s", hs.Log())
		}
	})
	ctx, _ := startWidget(t, srv.URL)
	fill(t, ctx, "lotte", hostilePassword)
	do(t, ctx, clickStable("submit"))
	// Chromium itself sends a POST again when a reused connection closes
	// without an answer; otherwise the widget offers "Try again".
	waitJS(t, ctx, `document.getElementById("success") !== null || document.getElementById("username-error") !== null ||
		document.getElementById("submit").textContent.includes("Try again")`, "the success panel, an error or Try again")
	if eval[bool](t, ctx, `document.getElementById("success") === null && document.getElementById("username-error") === null`) {
		do(t, ctx, clickStable("submit"))
		waitJS(t, ctx, `document.getElementById("success") !== null || document.getElementById("username-error") !== null`,
			"the success panel (or an error)")
	}
	if id := eval[string](t, ctx, `(document.getElementById("user-id") || {textContent: ""}).textContent`); id != "@lotte:localhost" {
		t.Fatalf("after the retry: user ID %q; page: %s", id, pageText(ctx))
	}
	if u := hs.Users(); len(u) != 1 {
		t.Errorf("users = %q, want one", u)
	}
	var finals []tesths.Request
	for _, r := range hs.RequestsTo("POST", "/_matrix/client/v3/register") {
		if bytes.Contains(r.Body, []byte(`"m.login.dummy"`)) {
			finals = append(finals, r)
		}
	}
	if len(finals) != 2 || finals[1].Status != 200 || !bytes.Equal(finals[0].Body, finals[1].Body) {
		t.Errorf("final requests %+v, want the lost one and its replay, answered 200", finals)
	}
	login(t, srv.URL, "lotte", hostilePassword)
}

// A name the server refuses is refused before any stage: an all-digit or
// underscore-led name by the availability check (Synapse's check_username,
// which /register/available shares), and a taken name by the first
// /register when the availability check could not answer. The user never
// sees a stage for a name that cannot be had.
func TestParityUsernameRefusedBeforeStages(t *testing.T) {
	for _, name := range []string{"12345", "_bridge"} {
		t.Run("refused by the availability check: "+name, func(t *testing.T) {
			hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.terms", "m.login.dummy"}}, Params: termsParams})
			ctx, _ := startWidget(t, hs.URL)
			fill(t, ctx, name, hostilePassword)
			waitText(t, ctx, "#username-error", msg(t, "en", "username.invalid"))
			do(t, ctx, clickStable("submit"))
			time.Sleep(500 * time.Millisecond)
			if n := len(hs.RequestsTo("POST", "/_matrix/client/v3/register")); n != 0 || len(hs.Users()) != 0 {
				t.Errorf("%d /register requests, users %q: the name went through", n, hs.Users())
			}
		})
	}

	t.Run("taken, reported by the first /register", func(t *testing.T) {
		hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.terms", "m.login.dummy"}}, Params: termsParams})
		hs.AddUser("bruno", "some password 123")
		// The availability check cannot answer, so the submit goes out.
		hs.RateLimit("/_matrix/client/v3/register/available", 1000, time.Minute)
		ctx, _ := startWidget(t, hs.URL)
		fill(t, ctx, "bruno", hostilePassword)
		do(t, ctx, clickStable("submit"))
		waitJS(t, ctx, `document.getElementById("username-error") !== null || document.getElementById("stage-title") !== null`,
			"the username error (or a stage)")
		if text := eval[string](t, ctx, `(document.getElementById("username-error") || {textContent: ""}).textContent`); !strings.Contains(text, "already taken") {
			t.Errorf("username error %q; page: %s", text, pageText(ctx))
		}
		if s := hs.Sessions(); len(s) != 0 {
			t.Errorf("sessions %q: the taken name started a UIAA session", s)
		}
	})
}
