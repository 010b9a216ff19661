package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// reCAPTCHA end to end on Dendrite: the widget draws the captcha from
// params["m.login.recaptcha"].public_key with the operator's script, a
// wrong answer is reported on the stage, a right one registers, and
// Dendrite's siteverify call saw the answer.
func TestDendriteRecaptcha(t *testing.T) {
	captcha := startRecaptchaStandIn(t)
	d := StartDendrite(t, DendriteOptions{
		RecaptchaPublicKey: "public-site-key", RecaptchaPrivateKey: "private-secret",
		RecaptchaSiteVerifyURL: captcha.URL + "/siteverify",
	})
	ctx, _ := startWidget(t, d.BaseURL, "-recaptcha-script", captcha.URL+"/recaptcha/api.js")
	fill(t, ctx, "rosa", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "not a robot")
	waitText(t, ctx, "#captcha-solve", "public-site-key")

	t.Run("a wrong answer is reported and the captcha is drawn again", func(t *testing.T) {
		do(t, ctx, chromedp.Click(chromedp.ID("captcha-wrong")))
		waitText(t, ctx, "#stage-error", "did not pass")
		waitJS(t, ctx, `document.getElementById("captcha-solve") !== null`, "a fresh captcha")
	})
	do(t, ctx, chromedp.Click(chromedp.ID("captcha-solve")))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	if got := eval[string](t, ctx, `document.getElementById("user-id").textContent`); got != "@rosa:localhost" {
		t.Errorf("user ID = %q", got)
	}
	if err := d.Login(t, "rosa", "a good long password"); err != nil {
		t.Error(err)
	}
	v := captcha.verified()
	if len(v) < 2 || v[len(v)-1].Response != captchaToken || v[len(v)-1].Secret != "private-secret" {
		t.Errorf("siteverify calls = %+v", v)
	}
}

// When the reCAPTCHA script cannot load (blocked, offline), the stage
// offers Dendrite's fallback page instead of a dead end.
func TestDendriteRecaptchaBlockedFallsBack(t *testing.T) {
	captcha := startRecaptchaStandIn(t)
	d := StartDendrite(t, DendriteOptions{
		RecaptchaPublicKey: "public-site-key", RecaptchaPrivateKey: "private-secret",
		RecaptchaSiteVerifyURL: captcha.URL + "/siteverify",
	})
	// A script URL on a port nothing listens on.
	dead := "http://127.0.0.1:" + itoa(FreePort(t)) + "/recaptcha/api.js"
	ctx, _ := startWidget(t, d.BaseURL, "-recaptcha-script", dead)
	fill(t, ctx, "sam", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#recaptcha-blocked", "could not load")
	href := eval[string](t, ctx, `document.getElementById("fallback-link").href`)
	if !strings.HasPrefix(href, d.BaseURL+"/_matrix/client/v3/auth/m.login.recaptcha/fallback/web?session=") {
		t.Errorf("fallback href = %q", href)
	}
	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("Dendrite's fallback page answered %d", resp.StatusCode)
	}
}

// Guest registration on Dendrite, offered when the operator enables it.
func TestDendriteGuest(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	ctx, _ := startWidget(t, d.BaseURL, "-guests")
	do(t, ctx, chromedp.Click(chromedp.ID("guest")))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	id := eval[string](t, ctx, `document.getElementById("user-id").textContent`)
	if !strings.HasPrefix(id, "@") || !strings.HasSuffix(id, ":localhost") {
		t.Errorf("guest user ID = %q", id)
	}
	waitText(t, ctx, "#success", "guest")
}

// Dendrite's own rate limit: while another client behind the same address
// floods the server, the widget's submit gets M_LIMIT_EXCEEDED with
// retry_after_ms, shows the countdown, and succeeds when the user retries
// after it. Dendrite keys its limit by X-Forwarded-For, else the remote
// address with its port: both the widget and the flood go through one
// reverse proxy, which sets X-Forwarded-For, as behind a shared NAT.
func TestDendriteRateLimit(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{RateLimit: true})
	p := StartProxy(t, d.BaseURL)
	ctx, _ := startWidget(t, p.URL)
	fill(t, ctx, "trent", "a good long password")

	stop := floodRegister(p.URL, "")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#form-error", "too many requests")
	stop()
	waitJS(t, ctx, `!document.getElementById("submit").disabled`, "the countdown to end")
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel after the wait")
}

func itoa(i int) string { return strconv.Itoa(i) }

// floodRegister sends empty /register requests to url from 16
// goroutines (with header, "Name: value", when given) until the returned
// stop is called: another client behind the widget's address, filling
// the server's rate limiter.
func floodRegister(url, header string) (stop func()) {
	flood, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for flood.Err() == nil {
				req, _ := http.NewRequestWithContext(flood, "POST", url+"/_matrix/client/v3/register", strings.NewReader(`{}`))
				if k, v, ok := strings.Cut(header, ":"); ok {
					req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
				}
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	return func() { cancel(); wg.Wait() }
}
