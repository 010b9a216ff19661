package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// startWidget serves the widget for homeserver hs and opens it in a fresh
// headless Chromium, waiting until the WASM app has taken over the form.
func startWidget(t *testing.T, hs string, args ...string) (context.Context, *Signup) {
	t.Helper()
	s := StartSignup(t, append([]string{"-homeserver", hs, "-server-name", "localhost"}, args...)...)
	ctx := NewBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+"/")); err != nil {
		t.Fatalf("opening the widget: %v", err)
	}
	waitReady(t, ctx)
	return ctx, s
}

// waitReady waits for the app's readiness signal (data-ready on #signup).
func waitReady(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, `document.querySelector('#signup[data-ready="true"]') !== null`, "the app to take over the form")
}

// waitJS waits until a JavaScript expression is truthy.
func waitJS(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(45*time.Second)))
	if err != nil {
		t.Fatalf("waiting for %s: %v\npage text: %s", what, err, pageText(ctx))
	}
}

// waitText waits until the element matching sel contains substr.
func waitText(t *testing.T, ctx context.Context, sel, substr string) {
	t.Helper()
	waitJS(t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%s); return !!e && e.textContent.includes(%s); })()`,
		js(sel), js(substr)), fmt.Sprintf("%s to say %q", sel, substr))
}

// eval returns the value of a JavaScript expression.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func pageText(ctx context.Context) string {
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return s
}

// do runs steps or fails the test.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%v\npage text: %s", err, pageText(ctx))
	}
}

// fill types a username and the password twice, as a user would.
func fill(t *testing.T, ctx context.Context, username, password string) {
	t.Helper()
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.SendKeys(chromedp.ID("confirm"), password),
	)
}

// values returns what the form's three inputs hold.
func values(t *testing.T, ctx context.Context) [3]string {
	t.Helper()
	return eval[[3]string](t, ctx, `["username","password","confirm"].map(id => document.getElementById(id).value)`)
}

func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// noDialogs fails the test if the page opened a JavaScript dialog.
func noDialogs(t *testing.T, ctx context.Context) {
	t.Helper()
	if d := Dialogs(ctx); len(d) > 0 {
		t.Errorf("the page opened dialogs: %q", d)
	}
}

// clearInput empties an input the way a user's select-all and delete
// would, firing the input event the app listens to.
func clearInput(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById(`+js(id)+`);
		e.focus(); e.select(); document.execCommand("delete"); })()`))
	waitJS(t, ctx, `document.getElementById(`+js(id)+`).value === ""`, id+" to be empty")
}

// waitRequests waits until the proxy has seen at least n matching requests
// and returns them.
func waitRequests(t *testing.T, p *Proxy, method, suffix string, n int) []Recorded {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		reqs := p.Requests(method, suffix)
		if len(reqs) >= n {
			return reqs
		}
		if time.Now().After(deadline) {
			t.Fatalf("saw %d %s %s requests, want %d", len(reqs), method, suffix, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// clickStable clicks the element with this ID once its position has not
// moved for a polling interval: a status line appearing under a field
// (availability, strength) moves the buttons below it, and a click
// computed before the move lands elsewhere.
func clickStable(id string) chromedp.Action[chromedp.Void] {
	stable := `(() => { const e = document.getElementById(` + js(id) + `); if (!e) return false;
		const r = e.getBoundingClientRect(), k = r.top + "," + r.left + "," + r.width;
		const prev = e.__signupRect; e.__signupRect = k; return prev === k; })()`
	// Whether the click reached the button is read from a one-time click
	// listener on it: headless Chromium under load has been seen to drop a
	// synthetic click, which is then sent once more (never a second click
	// after one that arrived).
	taken := `window.__signupGotClick === true`
	mark := `(() => { window.__signupGotClick = false; const e = document.getElementById(` + js(id) + `);
		e.addEventListener("click", () => { window.__signupGotClick = true; }, {once: true, capture: true}); })()`
	return chromedp.Steps(
		chromedp.Poll[chromedp.Void](stable, chromedp.WithPollingInterval(120*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Evaluate[chromedp.Void](mark),
		chromedp.Click(chromedp.ID(id)),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](taken,
				chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(2*time.Second))); err == nil {
				return nil
			}
			return chromedp.Do(ctx, chromedp.Click(chromedp.ID(id)))
		}),
	)
}
