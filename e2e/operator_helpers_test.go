package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Helpers of the operator tests (operator_*_test.go): configs, a widget
// server on a chosen address, the locale catalogues, waits across reloads.

// operatorPassword is long and mixed enough for any strength rule.
const operatorPassword = "Correct horse battery staple 42!"

// operatorTestdata returns the path of a file under testdata/operator.
func operatorTestdata(name string) string {
	return filepath.Join(RepoRoot(), "e2e", "testdata", "operator", name)
}

// opWriteConfig writes an operator config as JSON into a fresh temporary
// directory and returns its path.
func opWriteConfig(t *testing.T, cfg map[string]any) string {
	t.Helper()
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "signup.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// opBaseConfig is the smallest valid operator config for homeserver hs
// (the server name is localhost, as the test servers').
func opBaseConfig(hs string) map[string]any {
	return map[string]any{
		"version":    1,
		"homeserver": map[string]any{"url": hs, "server_name": "localhost"},
	}
}

// opStartSignupAt runs bin/signup on addr (host:port) with args, waits until
// it answers, and returns it. Stop it with opStopSignup; it is also stopped
// when the test ends.
func opStartSignupAt(t *testing.T, addr string, args ...string) *Signup {
	t.Helper()
	root := RepoRoot()
	bin := filepath.Join(root, "bin", "signup")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s is missing: run `make build` first (%v)", bin, err)
	}
	logPath := filepath.Join(t.TempDir(), "signup.log")
	p, err := startProcess(bin, append([]string{"-addr", addr}, args...), root, logPath)
	if err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	s := &Signup{URL: "http://" + addr, LogPath: logPath, proc: p}
	t.Cleanup(p.stop)
	if err := waitHTTP(context.Background(), s.URL+"/", signupStartTimeout, p.exited); err != nil {
		t.Fatalf("signup server on %s did not start: %v\nlast lines of its log:\n%s", addr, err, tailFile(logPath, 40))
	}
	return s
}

// opStopSignup stops a widget server and waits until its port is closed.
func opStopSignup(t *testing.T, s *Signup) {
	t.Helper()
	s.proc.stop()
	deadline := time.Now().Add(15 * time.Second)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		resp, err := client.Get(s.URL + "/")
		if err != nil {
			return
		}
		resp.Body.Close()
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s still answers after the server was stopped", s.URL)
}

// opFreeAddr returns 127.0.0.1:<a free port>.
func opFreeAddr(t *testing.T) string {
	return "127.0.0.1:" + strconv.Itoa(FreePort(t))
}

// opCatalogue reads the UI strings of a language from app/i18n/locales, so
// that the tests follow the catalogues (edited by translators) rather than
// copies of them.
func opCatalogue(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(RepoRoot(), "app", "i18n", "locales", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	return m
}

// opBrowserLang starts a browser whose navigator.languages (and
// Accept-Language) are acceptLanguage, such as "de-DE,de".
func opBrowserLang(t *testing.T, acceptLanguage string) context.Context {
	t.Helper()
	ctx := NewBrowser(t)
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: "Mozilla/5.0 (X11; Linux x86_64) signup-operator-test", AcceptLanguage: acceptLanguage,
	}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// opOpen navigates the tab to url and waits until the app is ready.
func opOpen(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(url))
	waitReady(t, ctx)
}

// opRegister fills the form with username and operatorPassword, submits it
// and waits for the success panel (a homeserver with the dummy flow).
func opRegister(t *testing.T, ctx context.Context, username string) {
	t.Helper()
	fill(t, ctx, username, operatorPassword)
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
}

// opEvalAwait returns the value of a JavaScript expression that may be a
// promise, awaited (at most 45 s).
func opEvalAwait[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// opWaitJS is waitJS with its own bound.
func opWaitJS(t *testing.T, ctx context.Context, expr, what string, d time.Duration) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(d)))
	if err != nil {
		t.Fatalf("waiting for %s: %v\npage text: %s", what, err, pageText(ctx))
	}
}

// opMissing reports the first of subs that s lacks, or "".
func opMissing(s string, subs ...string) string {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return sub
		}
	}
	return ""
}

// opWaitAcrossLoads waits until a JavaScript expression is true, through
// navigations and reloads (which end a Poll): it evaluates the expression
// again and again, ignoring the errors of a page that is being replaced.
func opWaitAcrossLoads(t *testing.T, ctx context.Context, expr, what string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { try { return !!(`+expr+`); } catch (e) { return false; } })()`))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("waiting for %s (%s): last error %v\npage text: %s", what, d, last, pageText(ctx))
}
