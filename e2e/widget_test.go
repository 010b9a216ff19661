package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A new user registers through the form on a real Dendrite, sees the user
// ID the server returned, and can then log in with the password.
func TestWidgetRegistersOnDendrite(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	p := StartProxy(t, d.BaseURL)
	ctx, _ := startWidget(t, p.URL)

	fill(t, ctx, "alice", "correct horse battery")
	t.Run("the username preview shows the Matrix ID", func(t *testing.T) {
		waitText(t, ctx, "#username-hint", "@alice:localhost")
	})
	t.Run("the username is checked against the server, once per pause", func(t *testing.T) {
		waitText(t, ctx, "#username-status", "alice is available")
		if n := len(p.Requests("GET", "/register/available")); n != 1 {
			t.Errorf("availability requests = %d, want 1 (debounced)", n)
		}
	})
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")

	t.Run("the success panel shows the returned user ID as a status", func(t *testing.T) {
		if got := eval[string](t, ctx, `document.getElementById("user-id").textContent`); got != "@alice:localhost" {
			t.Errorf("user ID shown = %q", got)
		}
		if role := eval[string](t, ctx, `document.getElementById("success").getAttribute("role")`); role != "status" {
			t.Errorf("success role = %q, want status", role)
		}
	})
	t.Run("the account exists: login works", func(t *testing.T) {
		if err := d.Login(t, "alice", "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the widget completed m.login.dummy with the session", func(t *testing.T) {
		regs := p.Requests("POST", "/_matrix/client/v3/register")
		if len(regs) != 2 {
			t.Fatalf("register requests = %d, want 2 (initial + dummy)", len(regs))
		}
		var first, second map[string]any
		json.Unmarshal(regs[0].Body, &first)
		json.Unmarshal(regs[1].Body, &second)
		if _, ok := first["auth"]; ok {
			t.Errorf("first request carries auth: %s", regs[0].Body)
		}
		auth, _ := second["auth"].(map[string]any)
		if auth["type"] != "m.login.dummy" || auth["session"] == "" || auth["session"] == nil {
			t.Errorf("second request auth = %v", auth)
		}
		if second["username"] != "alice" || second["initial_device_display_name"] == nil {
			t.Errorf("second request body = %s", regs[1].Body)
		}
	})
	noDialogs(t, ctx)
}

// A taken username is reported next to the field, by the availability check
// and by the server on submit, and nothing typed is lost.
func TestWidgetTakenUsername(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	d.Register(t, "bob", "some password 123")
	p := StartProxy(t, d.BaseURL)
	ctx, _ := startWidget(t, p.URL)

	fill(t, ctx, "bob", "another password 456")
	waitText(t, ctx, "#username-error", "already taken")
	if inv := eval[string](t, ctx, `document.getElementById("username").getAttribute("aria-invalid")`); inv != "true" {
		t.Errorf("aria-invalid = %q, want true", inv)
	}
	if role := eval[string](t, ctx, `document.getElementById("username-error").getAttribute("role")`); role != "alert" {
		t.Errorf("error role = %q, want alert", role)
	}

	t.Run("the server's M_USER_IN_USE on submit shows the same message", func(t *testing.T) {
		// Answer the availability check "free" so that the submit goes out
		// and Dendrite itself reports the name as taken.
		clearInput(t, ctx, "username")
		p.Intercept(func(r Recorded, n int) *Reply {
			if strings.HasSuffix(r.Path, "/register/available") && strings.Contains(r.Query, "carol") {
				return &Reply{Status: 200, Body: `{"available":true}`}
			}
			return nil
		})
		d.Register(t, "carol", "some password 123")
		do(t, ctx, chromedp.SendKeys(chromedp.ID("username"), "carol"))
		waitText(t, ctx, "#username-status", "carol is available")
		do(t, ctx, clickStable("submit"))
		waitText(t, ctx, "#username-error", "already taken")
		if v := values(t, ctx); v != [3]string{"carol", "another password 456", "another password 456"} {
			t.Errorf("form values after the error = %q", v)
		}
	})
	noDialogs(t, ctx)
}

// With the homeserver stopped, a submit says the server cannot be reached,
// keeps the input, and a retry after the server is back creates the account.
func TestWidgetHomeserverDown(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	ctx, _ := startWidget(t, d.BaseURL)
	d.Stop()

	fill(t, ctx, "dave", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#form-error", "Can't reach the homeserver")
	if v := values(t, ctx); v != [3]string{"dave", "a good long password", "a good long password"} {
		t.Errorf("form values after the error = %q", v)
	}
	if role := eval[string](t, ctx, `document.getElementById("form-error").getAttribute("role")`); role != "alert" {
		t.Errorf("form error role = %q, want alert", role)
	}
	waitText(t, ctx, "#submit", "Try again")

	d.Start()
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel after the retry")
	if got := eval[string](t, ctx, `document.getElementById("user-id").textContent`); got != "@dave:localhost" {
		t.Errorf("user ID = %q", got)
	}
	noDialogs(t, ctx)
}

// A double click on Create account sends one registration, not two.
func TestWidgetDoubleClickSendsOneRegistration(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	p := StartProxy(t, d.BaseURL)
	// Slow the first answer down so the second click lands while it is in
	// flight.
	p.Intercept(func(r Recorded, n int) *Reply {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/register") && n == 1 {
			time.Sleep(700 * time.Millisecond)
		}
		return nil
	})
	ctx, _ := startWidget(t, p.URL)
	fill(t, ctx, "erin", "a good long password")
	do(t, ctx, chromedp.DoubleClick(chromedp.ID("submit")), clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	var initial int
	for _, r := range p.Requests("POST", "/_matrix/client/v3/register") {
		if !strings.Contains(string(r.Body), `"auth"`) {
			initial++
		}
	}
	if initial != 1 {
		t.Errorf("registrations started = %d, want 1", initial)
	}
}
