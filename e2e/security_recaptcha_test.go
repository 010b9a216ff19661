package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// reCAPTCHA turned off by the operator (registration.recaptcha: false,
// with a script still configured): the widget loads no captcha script,
// its CSP allows none, and the stage is Dendrite's fallback page, without
// the "could not load" note.
func TestSecurityRecaptchaOff(t *testing.T) {
	captcha := startRecaptchaStandIn(t)
	d := StartDendrite(t, DendriteOptions{
		RecaptchaPublicKey: "public-site-key", RecaptchaPrivateKey: "private-secret",
		RecaptchaSiteVerifyURL: captcha.URL + "/siteverify",
	})
	cfg := opBaseConfig(d.BaseURL)
	cfg["registration"] = map[string]any{"recaptcha": false, "recaptcha_script": captcha.URL + "/recaptcha/api.js"}
	ctx, s := startWidget(t, d.BaseURL, "-config", opWriteConfig(t, cfg))
	fill(t, ctx, "olga", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "not a robot")
	waitJS(t, ctx, `document.getElementById("fallback-link") !== null`, "the fallback page's link")

	t.Run("the stage is the homeserver's fallback page, without a failure note", func(t *testing.T) {
		href := eval[string](t, ctx, `document.getElementById("fallback-link").href`)
		if !strings.HasPrefix(href, d.BaseURL+"/_matrix/client/v3/auth/m.login.recaptcha/fallback/web?session=") {
			t.Errorf("fallback href = %q", href)
		}
		if eval[bool](t, ctx, `document.getElementById("recaptcha-blocked") !== null`) {
			t.Error(`the stage says the check "could not load", but the operator turned it off`)
		}
	})

	t.Run("no captcha script is loaded or allowed", func(t *testing.T) {
		if got := eval[string](t, ctx, `performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes("api.js")).join(" ")`); got != "" {
			t.Errorf("the page loaded %s", got)
		}
		resp, err := http.Get(s.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		for _, bad := range []string{captcha.URL, "google.com", "gstatic.com"} {
			if strings.Contains(csp, bad) {
				t.Errorf("the CSP allows %s: %s", bad, csp)
			}
		}
	})
}
