package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// M_LIMIT_EXCEEDED: the widget counts down what Retry-After says, keeps the
// button disabled meanwhile, sends nothing before the time is up, and
// succeeds when the user retries after it.
func TestWidgetRateLimitCountdown(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	p := StartProxy(t, d.BaseURL)
	p.Intercept(func(r Recorded, n int) *Reply {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/register") && n == 1 {
			return &Reply{Status: 429, Header: map[string]string{"Retry-After": "3"},
				Body: `{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":3000}`}
		}
		return nil
	})
	ctx, _ := startWidget(t, p.URL)
	fill(t, ctx, "heidi", "a good long password")
	do(t, ctx, clickStable("submit"))
	limitedAt := time.Now()
	waitText(t, ctx, "#form-error", "too many requests")
	waitText(t, ctx, "#submit", "Try again in")
	if !eval[bool](t, ctx, `document.getElementById("submit").disabled`) {
		t.Error("the submit button is enabled during the countdown")
	}
	// Pressing Enter in a field during the countdown sends nothing.
	do(t, ctx, chromedp.SendKeys(chromedp.ID("confirm"), "\r"))
	waitJS(t, ctx, `!document.getElementById("submit").disabled`, "the countdown to end")
	// Cross-origin fetch cannot read Retry-After (not a CORS-safelisted
	// header), so the body's retry_after_ms is what the widget honours.
	if waited := time.Since(limitedAt); waited < 2500*time.Millisecond {
		t.Errorf("the button came back after %v; the server asked for 3 s", waited)
	}
	if n := len(p.Requests("POST", "/_matrix/client/v3/register")); n != 1 {
		t.Fatalf("register requests during the countdown = %d, want 1", n)
	}
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
}

// A non-JSON answer (a proxy's HTML error page) is a clear error, not a
// crash, and the form keeps its input.
func TestWidgetNonJSONAnswer(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	p := StartProxy(t, d.BaseURL)
	p.Intercept(func(r Recorded, n int) *Reply {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/register") {
			return &Reply{Status: 502, Header: map[string]string{"Content-Type": "text/html"},
				Body: "<html><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>"}
		}
		return nil
	})
	ctx, _ := startWidget(t, p.URL)
	fill(t, ctx, "ivan", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#form-error", "could not understand")
	if v := values(t, ctx); v != [3]string{"ivan", "a good long password", "a good long password"} {
		t.Errorf("form values = %q", v)
	}
	noDialogs(t, ctx)
}

// A stage the widget cannot draw offers the homeserver's fallback page as
// a link, and "I've finished" resubmits {session}.
func TestWidgetFallbackForUnknownStage(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	p := StartProxy(t, d.BaseURL)
	p.Intercept(func(r Recorded, n int) *Reply {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/register") {
			return &Reply{Status: 401, Body: `{"flows":[{"stages":["org.example.custom","m.login.dummy"]}],"params":{},"session":"S3ss/on 1"}`}
		}
		return nil
	})
	ctx, _ := startWidget(t, p.URL)
	fill(t, ctx, "judy", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("fallback-link") !== null`, "the fallback link")
	href := eval[string](t, ctx, `document.getElementById("fallback-link").href`)
	want := p.URL + "/_matrix/client/v3/auth/org.example.custom/fallback/web?session=S3ss%2Fon+1"
	if href != want {
		t.Errorf("fallback href = %q, want %q", href, want)
	}
	do(t, ctx, chromedp.Click(chromedp.ID("fallback-done")))
	regs := waitRequests(t, p, "POST", "/_matrix/client/v3/register", 2)
	if !strings.Contains(string(regs[1].Body), `"auth":{"session":"S3ss/on 1"}`) {
		t.Errorf("the resubmit after the fallback did not send {session} alone: %s", regs[1].Body)
	}
}

// A server with registration closed (M_FORBIDDEN) says so plainly.
func TestWidgetRegistrationClosed(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{RegistrationDisabled: true})
	ctx, _ := startWidget(t, d.BaseURL)
	fill(t, ctx, "mallory", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#form-error", "Registration is closed on this server")
	if v := values(t, ctx); v[0] != "mallory" {
		t.Errorf("username after the error = %q", v[0])
	}
}

// Dendrite's M_WEAK_PASSWORD appears under the password field.
func TestWidgetWeakPassword(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	ctx, _ := startWidget(t, d.BaseURL)
	fill(t, ctx, "oscar", "short")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#password-error", "too weak")
	if f := eval[string](t, ctx, `document.activeElement.id`); f != "password" {
		t.Errorf("focus after the error = %q, want password", f)
	}
}

// Capitals are refused before anything is sent, with the lowercase form
// offered in one click.
func TestWidgetCapitalsOfferLowercase(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	p := StartProxy(t, d.BaseURL)
	ctx, _ := startWidget(t, p.URL)
	do(t, ctx, chromedp.SendKeys(chromedp.ID("username"), "Peggy"))
	waitText(t, ctx, "#username-error", "Capital letters are not allowed")
	do(t, ctx, chromedp.Click(chromedp.ID("username-lower")))
	waitJS(t, ctx, `document.getElementById("username").value === "peggy"`, "the lowercase name")
	waitText(t, ctx, "#username-status", "peggy is available")
	for _, r := range p.Requests("GET", "/register/available") {
		if strings.Contains(r.Query, "Peggy") {
			t.Errorf("the invalid name was sent to the server: %s", r.Query)
		}
	}
}
