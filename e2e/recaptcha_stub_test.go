package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// captchaToken is the response the stand-in reCAPTCHA hands out when its
// box is ticked, and the only one the stand-in verifier accepts.
const captchaToken = "stand-in-captcha-ok"

// recaptchaStandIn is a loopback stand-in for Google's reCAPTCHA: the
// script (api.js with the same explicit-render API: grecaptcha.render
// (el, {sitekey, callback}), calling the onload named in its URL) and the
// siteverify endpoint Dendrite asks. Ticking its box yields captchaToken;
// ticking "#captcha-wrong" yields a token the verifier refuses.
type recaptchaStandIn struct {
	URL string

	mu       sync.Mutex
	verifies []url2
}

type url2 struct{ Secret, Response string }

const standInScript = `(function () {
  var src = document.currentScript && document.currentScript.src || "";
  var onload = new URL(src).searchParams.get("onload");
  window.grecaptcha = {
    render: function (el, opts) {
      var ok = document.createElement("button");
      ok.type = "button"; ok.id = "captcha-solve"; ok.textContent = "I am not a robot (" + opts.sitekey + ")";
      ok.addEventListener("click", function () { opts.callback("` + captchaToken + `"); });
      var bad = document.createElement("button");
      bad.type = "button"; bad.id = "captcha-wrong"; bad.textContent = "Wrong answer";
      bad.addEventListener("click", function () { opts.callback("wrong-answer"); });
      el.appendChild(ok); el.appendChild(bad);
      return 0;
    },
    reset: function () {}
  };
  if (onload && typeof window[onload] === "function") window[onload]();
})();`

func startRecaptchaStandIn(t *testing.T) *recaptchaStandIn {
	t.Helper()
	s := &recaptchaStandIn{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/recaptcha/api.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, standInScript)
		case "/siteverify":
			r.ParseForm()
			s.mu.Lock()
			s.verifies = append(s.verifies, url2{r.Form.Get("secret"), r.Form.Get("response")})
			s.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			// Dendrite v0.13.8 answers 500 when a failure carries
			// error-codes: send {"success": false} alone.
			json.NewEncoder(w).Encode(map[string]bool{"success": r.Form.Get("response") == captchaToken})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func (s *recaptchaStandIn) verified() []url2 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url2(nil), s.verifies...)
}
