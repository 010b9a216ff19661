package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Keys of the Synapse reCAPTCHA scenarios.
const (
	synapseCaptchaSiteKey = "synapse-site-key"
	synapseCaptchaSecret  = "synapse-private-key"
)

// Scenario 5, enable_registration_captcha on Synapse, whose
// recaptcha_siteverify_api is a loopback stub: the widget draws the
// operator's (stand-in) reCAPTCHA with Synapse's public key, a wrong answer
// is reported on the stage, the right one reaches Synapse, which checks it
// with the stub (secret, response, remoteip), and the account logs in.
func TestSynapseRecaptcha(t *testing.T) {
	verify := startSiteverifyStub(t)
	sc := startSynapseScene(t, synapseCaptchaOptions(verify), "recaptcha",
		"-recaptcha-script", verify.URL+"/recaptcha/api.js")
	fill(t, sc.ctx, "cora", synapsePassword)
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#stage-title", "not a robot")
	waitText(t, sc.ctx, "#captcha-solve", synapseCaptchaSiteKey)

	t.Run("a wrong answer is reported and the captcha is drawn again", func(t *testing.T) {
		do(t, sc.ctx, chromedp.Click(chromedp.ID("captcha-wrong")))
		waitText(t, sc.ctx, "#stage-error", "did not pass")
		waitJS(t, sc.ctx, `document.getElementById("captcha-solve") !== null`, "a fresh captcha")
		if got := verify.calls(); len(got) == 0 || got[len(got)-1].Response != "wrong-answer" {
			t.Errorf("siteverify calls = %+v, want the wrong answer last", got)
		}
	})

	do(t, sc.ctx, chromedp.Click(chromedp.ID("captcha-solve")))
	sc.waitSignedUp(t, "cora", synapsePassword)
	calls := verify.calls()
	if len(calls) == 0 {
		t.Fatal("Synapse never asked siteverify")
	}
	if last := calls[len(calls)-1]; last != (siteverifyCall{synapseCaptchaSecret, captchaToken, "127.0.0.1"}) {
		t.Errorf("Synapse's last siteverify call = %+v, want the secret, the widget's token and the client's address", last)
	}
	if !sc.sentCaptcha(captchaToken) {
		t.Errorf("no recorded /register carried {type: m.login.recaptcha, response: %q}", captchaToken)
	}
}

// Scenario 5 with the reCAPTCHA script blocked (it 404s): the widget offers
// Synapse's own fallback page, /auth/m.login.recaptcha/fallback/web, in a
// popup. Google's script cannot load there either, so the test completes
// the page as its script would once solved: the g-recaptcha-response field
// in Synapse's form, submitted by the page's own captchaDone. Synapse checks
// it with the stub and answers its success page, which posts "authDone" to
// the widget; the widget accepts it from the page's origin and finishes.
func TestSynapseRecaptchaFallback(t *testing.T) {
	verify := startSiteverifyStub(t)
	sc := startSynapseScene(t, synapseCaptchaOptions(verify), "recaptcha-fallback",
		"-recaptcha-script", verify.URL+"/blocked/api.js")
	fill(t, sc.ctx, "fern", synapsePassword)
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#recaptcha-blocked", "could not load")
	waitJS(t, sc.ctx, `document.getElementById("fallback-open") !== null`, "the fallback page's button")
	prefix := sc.rec.URL + "/_matrix/client/v3/auth/m.login.recaptcha/fallback/web?session="
	if href := eval[string](t, sc.ctx, `document.getElementById("fallback-link").href`); !strings.HasPrefix(href, prefix) {
		t.Errorf("fallback href = %q, want %s…", href, prefix)
	}

	opened := chromedp.WaitNewTarget(sc.ctx, func(info *target.Info) bool {
		return strings.Contains(info.URL, "/auth/m.login.recaptcha/fallback/web")
	})
	do(t, sc.ctx, chromedp.Click(chromedp.ID("fallback-open")))
	var id target.ID
	select {
	case id = <-opened:
	case <-time.After(30 * time.Second):
		t.Fatal("no popup opened")
	}
	popup, cancel := chromedp.NewContext(sc.ctx, chromedp.WithTargetID(id))
	defer cancel()
	// Synapse's page: its form and its hidden session, and the captcha
	// box its Google script would fill.
	waitJS(t, popup, `document.querySelector('#registrationForm input[name="session"]') !== null`, "Synapse's fallback form")
	if key := eval[string](t, popup, `document.querySelector(".g-recaptcha").dataset.sitekey`); key != synapseCaptchaSiteKey {
		t.Errorf("the fallback page's site key = %q", key)
	}
	do(t, popup, chromedp.Evaluate[chromedp.Void](`(() => {
		const f = document.getElementById("registrationForm");
		const r = document.createElement("textarea");
		r.name = "g-recaptcha-response"; r.value = `+js(captchaToken)+`; r.hidden = true;
		f.appendChild(r);
		captchaDone();
	})()`))
	waitJS(t, sc.ctx, `document.getElementById("success") !== null`, "the success panel after Synapse's authDone")
	sc.waitSignedUp(t, "fern", synapsePassword)
	if infos, err := chromedp.Targets(sc.ctx); err == nil {
		for _, info := range infos {
			if info.TargetID == id {
				t.Error("the popup is still open: the widget's authDone listener did not close it")
			}
		}
	}
	calls := verify.calls()
	if len(calls) != 1 || calls[0] != (siteverifyCall{synapseCaptchaSecret, captchaToken, "127.0.0.1"}) {
		t.Errorf("siteverify calls = %+v, want one with the fallback page's response", calls)
	}
	var auths []string
	for _, e := range sc.rec.Exchanges() {
		if e.Method == http.MethodPost && e.Path == "/_matrix/client/v3/register" {
			auths = append(auths, string(authOf(e.Request)))
		}
	}
	// Synapse's flow is [m.login.recaptcha, m.login.dummy]: after
	// authDone the widget resubmits {session} alone, then does dummy.
	want := []string{"null", `{"session":"S"}`, `{"session":"S","type":"m.login.dummy"}`}
	for i := range auths {
		auths[i] = sessionPattern.ReplaceAllString(auths[i], `"session":"S"`)
	}
	if strings.Join(auths, " ") != strings.Join(want, " ") {
		t.Errorf("the /register auths = %q, want %q", auths, want)
	}
}

// synapseCaptchaOptions is Synapse with enable_registration_captcha, its
// keys, and siteverify on verify.
func synapseCaptchaOptions(verify *siteverifyStub) SynapseOptions {
	return SynapseOptions{RequireVerification: true, Extra: map[string]any{
		"enable_registration_captcha": true,
		"recaptcha_public_key":        synapseCaptchaSiteKey,
		"recaptcha_private_key":       synapseCaptchaSecret,
		"recaptcha_siteverify_api":    verify.URL + "/siteverify",
	}}
}

// siteverifyStub stands in for Google on loopback: the stand-in script
// (standInScript, at /recaptcha/api.js; anything else is 404) and the
// siteverify endpoint, which records each form-encoded call and answers
// {"success": true} for captchaToken alone.
type siteverifyStub struct {
	URL string

	mu   sync.Mutex
	seen []siteverifyCall
}

// siteverifyCall is what Synapse posted to siteverify.
type siteverifyCall struct{ Secret, Response, RemoteIP string }

func startSiteverifyStub(t *testing.T) *siteverifyStub {
	t.Helper()
	s := &siteverifyStub{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/recaptcha/api.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, standInScript)
		case r.URL.Path == "/siteverify" && r.Method == http.MethodPost:
			if err := r.ParseForm(); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			c := siteverifyCall{r.PostForm.Get("secret"), r.PostForm.Get("response"), r.PostForm.Get("remoteip")}
			s.mu.Lock()
			s.seen = append(s.seen, c)
			s.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]bool{"success": c.Response == captchaToken && c.Secret == synapseCaptchaSecret})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func (s *siteverifyStub) calls() []siteverifyCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]siteverifyCall(nil), s.seen...)
}

// sentCaptcha tells whether a recorded POST /register carried the
// m.login.recaptcha auth with response.
func (sc *synapseScene) sentCaptcha(response string) bool {
	for _, e := range sc.rec.Exchanges() {
		var b struct {
			Auth struct {
				Type     string `json:"type"`
				Response string `json:"response"`
			} `json:"auth"`
		}
		if e.Method == http.MethodPost && e.Path == "/_matrix/client/v3/register" &&
			json.Unmarshal(e.Request, &b) == nil && b.Auth.Type == "m.login.recaptcha" && b.Auth.Response == response {
			return true
		}
	}
	return false
}

// sessionPattern matches the session member of a recorded auth.
var sessionPattern = regexp.MustCompile(`"session":"[^"]*"`)

// authOf returns the "auth" member of a recorded request body, or null.
func authOf(body json.RawMessage) json.RawMessage {
	var b struct {
		Auth json.RawMessage `json:"auth"`
	}
	if json.Unmarshal(body, &b) != nil || b.Auth == nil {
		return json.RawMessage("null")
	}
	return b.Auth
}
