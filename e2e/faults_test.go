package e2e

// Faults between the widget and a well-behaved homeserver: the server goes
// away between two stages and comes back, a request never answers, the
// server rate-limits again and again, the UIAA session expires. The widget
// says what happened, keeps what the user typed and the UIAA session where
// it can, and finishes with exactly one account.

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// requestTimeoutFlag is the bin/signup flag these tests expect for a
// shorter request timeout than the widget's 60 s; tests that need it skip
// while the binary lacks it.
const requestTimeoutFlag = "request-timeout"

var (
	timeoutFlagOnce sync.Once
	timeoutFlagOK   bool
)

// timeoutConfigurable reports whether bin/signup has -request-timeout.
func timeoutConfigurable(t *testing.T) bool {
	t.Helper()
	timeoutFlagOnce.Do(func() {
		out, _ := exec.Command(filepath.Join(RepoRoot(), "bin", "signup"), "-h").CombinedOutput()
		timeoutFlagOK = strings.Contains(string(out), "-"+requestTimeoutFlag+" ")
	})
	return timeoutFlagOK
}

// requestTimeoutArgs returns the bin/signup arguments for a 3 s request
// timeout, or none when the binary lacks the flag.
func requestTimeoutArgs(t *testing.T) []string {
	if timeoutConfigurable(t) {
		return []string{"-" + requestTimeoutFlag, "3s"}
	}
	return nil
}

// switchable serves a handler on a fixed loopback port that can be closed
// (connections refused, open ones cut) and opened again.
type switchable struct {
	t    *testing.T
	addr string
	h    http.Handler
	srv  *http.Server
}

func startSwitchable(t *testing.T, h http.Handler) *switchable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &switchable{t: t, addr: ln.Addr().String(), h: h}
	s.serve(ln)
	t.Cleanup(s.Stop)
	return s
}

func (s *switchable) URL() string { return "http://" + s.addr }

func (s *switchable) serve(ln net.Listener) {
	s.srv = &http.Server{Handler: s.h}
	go s.srv.Serve(ln)
}

// Stop closes the listener and every connection.
func (s *switchable) Stop() {
	if s.srv != nil {
		s.srv.Close()
		s.srv = nil
	}
}

// Start listens on the same port again.
func (s *switchable) Start() {
	s.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("listening on %s again: %v", s.addr, err)
	}
	s.serve(ln)
}

// logConsoleOnFailure logs the console errors of the tab (a Go panic of
// the WASM app shows there) when the test fails.
func logConsoleOnFailure(t *testing.T, ctx context.Context) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("console errors of the widget:\n%s", strings.Join(ConsoleErrors(ctx), "\n"))
		}
	})
}

// tickAllTerms ticks every policy box and continues.
func tickAllTerms(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#terms input[type=checkbox]").forEach(b => { if (!b.checked) b.click(); })`))
	waitJS(t, ctx, `!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
	do(t, ctx, chromedp.Click(chromedp.ID("terms-continue")))
}

// login checks the account's password with POST /login.
func login(t *testing.T, base, user, password string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"type": "m.login.password",
		"identifier": map[string]any{"type": "m.id.user", "user": user}, "password": password})
	resp, err := http.Post(base+"/_matrix/client/v3/login", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("login as %s: HTTP %d", user, resp.StatusCode)
	}
}

// The homeserver stops between the terms and the token stage and comes
// back: the widget says it cannot reach the server, keeps the token and
// the UIAA session, and the retry finishes with one account.
func TestFaultHomeserverRestartBetweenStages(t *testing.T) {
	hs := tesths.New(tesths.Config{
		Flows:              [][]string{{"m.login.terms", "m.login.registration_token"}},
		Params:             termsParams,
		RegistrationTokens: []string{"tok-123"},
	})
	sw := startSwitchable(t, hs)
	hs.URL = sw.URL()
	ctx, s := startWidget(t, sw.URL())
	fill(t, ctx, "sven", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "Accept the terms")
	tickAllTerms(t, ctx)
	waitText(t, ctx, "#stage-title", "registration token")
	session := hs.Sessions()

	sw.Stop()
	do(t, ctx, chromedp.SendKeys(chromedp.ID("token"), "tok-123"), chromedp.Click(chromedp.ID("token-continue")))
	waitText(t, ctx, "#stage-error", "Can't reach the homeserver")
	if v := eval[string](t, ctx, `document.getElementById("token").value`); v != "tok-123" {
		t.Errorf("token after the failure = %q", v)
	}
	if eval[bool](t, ctx, `document.getElementById("token-continue").disabled`) {
		t.Error("no way to retry: the token stage's button is disabled")
	}
	checkSafe(t, ctx, s)

	sw.Start()
	do(t, ctx, chromedp.Click(chromedp.ID("token-continue")))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel after the server came back")
	if u := hs.Users(); len(u) != 1 || u[0] != "@sven:localhost" {
		t.Errorf("users = %q, want exactly @sven:localhost", u)
	}
	login(t, sw.URL(), "sven", hostilePassword)
	auths := registerAuths(t, hs)
	for i, a := range auths[1:] {
		if len(session) != 1 || a["session"] != session[0] {
			t.Errorf("request %d used session %v, want the first session %q", i+1, a["session"], session)
		}
	}
}

// Dendrite (dummy flow) goes down between the first /register and the
// dummy stage, behind a reverse proxy that answers 502 meanwhile: the
// widget says so and offers Try again; once Dendrite is back the retry
// makes exactly one account.
func TestFaultDendriteRestartDummyFlow(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	p := StartProxy(t, d.BaseURL)
	reached := make(chan struct{})
	stopped := make(chan struct{})
	var once sync.Once
	p.Intercept(func(r Recorded, n int) *Reply {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/register") && n == 2 {
			once.Do(func() {
				close(reached)
				<-stopped
			})
		}
		return nil
	})
	ctx, s := startWidget(t, p.URL)
	fill(t, ctx, "tove", hostilePassword)
	do(t, ctx, clickStable("submit"))
	select {
	case <-reached:
	case <-time.After(45 * time.Second):
		t.Fatalf("the dummy stage was never sent\npage: %s", pageText(ctx))
	}
	d.Stop()
	close(stopped)
	waitIdle(t, ctx, "submit")
	msg := alertText(t, ctx)
	if !strings.Contains(msg, "could not understand") && !strings.Contains(msg, "Can't reach") {
		t.Errorf("alert while Dendrite is down = %q", msg)
	}
	waitText(t, ctx, "#submit", "Try again")
	if v := values(t, ctx); v != [3]string{"tove", hostilePassword, hostilePassword} {
		t.Errorf("form values = %q", v)
	}
	checkSafe(t, ctx, s)

	d.Start()
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel after Dendrite came back")
	if got := eval[string](t, ctx, `document.getElementById("user-id").textContent`); got != "@tove:localhost" {
		t.Errorf("user ID = %q", got)
	}
	if err := d.Login(t, "tove", hostilePassword); err != nil {
		t.Errorf("login: %v", err)
	}
	// Exactly one account: the name is taken now.
	resp, err := http.Get(d.BaseURL + "/_matrix/client/v3/register/available?username=tove")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("available?username=tove after sign-up: HTTP %d", resp.StatusCode)
		}
	}
}

// A /register that never answers (no status line at all): the widget
// gives up after its request timeout with a clear error and the form kept,
// and the retry works once the server answers again.
func TestFaultRequestNeverAnswers(t *testing.T) {
	if !timeoutConfigurable(t) {
		t.Skip("bin/signup has no -" + requestTimeoutFlag + " flag: the 60 s register timeout is not waited for")
	}
	hs := tesths.New(tesths.Config{})
	var mu sync.Mutex
	hang := true
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	sw := startSwitchable(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hang
		mu.Unlock()
		if h && r.Method == "POST" && r.URL.Path == "/_matrix/client/v3/register" {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		hs.ServeHTTP(w, r)
	}))
	hs.URL = sw.URL()
	ctx, s := startWidget(t, sw.URL(), requestTimeoutArgs(t)...)
	fill(t, ctx, "ulla", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#submit", "Try again")
	// A server that never answers is "not answering", not the user's
	// connection.
	if msg := alertText(t, ctx); !strings.Contains(msg, "is not answering") {
		t.Errorf("alert after the timeout = %q", msg)
	}
	if v := values(t, ctx); v != [3]string{"ulla", hostilePassword, hostilePassword} {
		t.Errorf("form values = %q", v)
	}
	checkSafe(t, ctx, s)
	t.Run("Cancel stops the wait at once, the form kept", func(t *testing.T) {
		do(t, ctx, clickStable("submit"))
		waitJS(t, ctx, `document.getElementById("cancel") !== null`, "a Cancel button while the widget waits")
		start := time.Now()
		click(t, ctx, "cancel")
		waitText(t, ctx, "#form-error", "Stopped waiting")
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Cancel took %v", d)
		}
		if eval[bool](t, ctx, `document.getElementById("submit").getAttribute("aria-busy") === "true"`) {
			t.Error("still busy after Cancel")
		}
		if v := values(t, ctx); v != [3]string{"ulla", hostilePassword, hostilePassword} {
			t.Errorf("form values = %q", v)
		}
	})
	mu.Lock()
	hang = false
	mu.Unlock()
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	if u := hs.Users(); len(u) != 1 {
		t.Errorf("users = %q", u)
	}
}

// M_LIMIT_EXCEEDED three times in a row: a countdown each time, the next
// request never sooner than the server asked, the waits growing
// (exponential backoff), then success.
func TestFaultRateLimitRepeated(t *testing.T) {
	const asked = time.Second
	hs := tesths.Start(t, tesths.Config{})
	hs.RateLimit("/_matrix/client/v3/register", 3, asked)
	ctx, s := startWidget(t, hs.URL)
	fill(t, ctx, "vera", hostilePassword)
	for i := 1; i <= 3; i++ {
		do(t, ctx, clickStable("submit"))
		waitRequestsTo(t, hs, "POST", "/_matrix/client/v3/register", i)
		waitText(t, ctx, "#form-error", "too many requests")
		waitText(t, ctx, "#submit", "Try again in")
		if !eval[bool](t, ctx, `document.getElementById("submit").disabled`) {
			t.Errorf("429 #%d: the button is enabled during the countdown", i)
		}
		waitJS(t, ctx, `!document.getElementById("submit").disabled`, "the countdown to end")
	}
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	checkSafe(t, ctx, s)

	reqs := hs.RequestsTo("POST", "/_matrix/client/v3/register")
	if len(reqs) < 4 {
		t.Fatalf("%d register requests", len(reqs))
	}
	for i := 0; i < 3; i++ {
		if reqs[i].Status != 429 {
			t.Fatalf("request %d: HTTP %d, want 429", i+1, reqs[i].Status)
		}
	}
	// Lower bounds only: what the server asked, then the widget's own
	// backoff (at least 2^(n-1) s less 20 % jitter) once it exceeds that.
	minWait := []time.Duration{asked, 1600 * time.Millisecond, 3200 * time.Millisecond}
	for i := 1; i <= 3; i++ {
		gap := reqs[i].Time.Sub(reqs[i-1].Time)
		if gap < minWait[i-1] {
			t.Errorf("request %d came %v after the 429 #%d, want at least %v (server asked %v)", i+1, gap, i, minWait[i-1], asked)
		}
	}
}

// The UIAA session expires between two stages (400 M_UNKNOWN "Unknown
// session ID"): the widget starts a new session by itself, keeps what the
// user typed, and finishes with one account.
func TestFaultExpiredSession(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{
		Flows:              [][]string{{"m.login.registration_token", "m.login.dummy"}},
		RegistrationTokens: []string{"tok-456"},
	})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("homeserver log:\n%s", hs.Log())
		}
	})
	ctx, s := startWidget(t, hs.URL)
	logConsoleOnFailure(t, ctx)
	fill(t, ctx, "wim", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "registration token")
	first := hs.Sessions()
	hs.ExpireSessions()
	do(t, ctx, chromedp.SendKeys(chromedp.ID("token"), "tok-456"), chromedp.Click(chromedp.ID("token-continue")))

	// Either the widget goes on by itself, or it shows the token stage of
	// the new session again, token kept, saying why.
	waitJS(t, ctx, `document.getElementById("success") !== null ||
		(document.getElementById("token") !== null && (document.getElementById("stage-error") || {}).textContent.includes("expired"))`,
		"the success panel or the restarted token stage")
	if eval[bool](t, ctx, `document.getElementById("success") === null`) {
		if v := eval[string](t, ctx, `document.getElementById("token").value`); v != "tok-456" {
			t.Errorf("token after the restart = %q", v)
		}
		checkSafe(t, ctx, s)
		do(t, ctx, chromedp.Click(chromedp.ID("token-continue")))
		waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	}
	checkSafe(t, ctx, s)
	if u := hs.Users(); len(u) != 1 || u[0] != "@wim:localhost" {
		t.Errorf("users = %q", u)
	}
	login(t, hs.URL, "wim", hostilePassword)
	auths := registerAuths(t, hs)
	restarted := false
	for _, a := range auths {
		if a == nil {
			continue
		}
		if sid, _ := a["session"].(string); len(first) == 1 && sid != first[0] {
			restarted = true
		}
	}
	if !restarted {
		t.Errorf("no request used a new session: %v", auths)
	}
	var unknown int
	for _, r := range hs.RequestsTo("POST", "/_matrix/client/v3/register") {
		if r.Status == 400 {
			unknown++
		}
	}
	if unknown != 1 {
		t.Errorf("%d requests hit the expired session, want 1", unknown)
	}
}
