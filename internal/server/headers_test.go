package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"signup/app/config"
	"signup/app/ui"
)

// useRoutes registers testConfig's page with go-app's global router again
// when t ends, for a test that builds a handler of its own.
func useRoutes(t *testing.T) {
	t.Cleanup(func() { ui.Routes(testConfig(), nil) })
}

func TestRecaptchaCSP(t *testing.T) {
	off := false
	cases := []struct {
		name        string
		reg         config.Registration
		script      []string // the sources after 'self' 'wasm-unsafe-eval'
		frame       []string
		notInScript []string
	}{
		{
			name:        "Google's script gets its /recaptcha/ paths, not all of www.google.com and www.gstatic.com",
			script:      []string{"https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"},
			frame:       []string{"https://www.google.com/recaptcha/", "https://recaptcha.google.com/recaptcha/"},
			notInScript: []string{"https://www.google.com", "https://www.gstatic.com"},
		},
		{
			name:  "turned off, no captcha source at all",
			reg:   config.Registration{Recaptcha: &off},
			frame: []string{"'none'"},
		},
		{
			name:  "turned off with a script set, still none",
			reg:   config.Registration{Recaptcha: &off, RecaptchaScript: "https://captcha.example.net/recaptcha/api.js"},
			frame: []string{"'none'"},
		},
		{
			name:  "self-hosted as a path on this site, 'self' covers it and no Google origin appears",
			reg:   config.Registration{RecaptchaScript: "/web/recaptcha/api.js"},
			frame: []string{"'none'"},
		},
		{
			name:   "self-hosted on the widget's own host, that directory only",
			reg:    config.Registration{RecaptchaScript: "https://signup.example.org/web/recaptcha/api.js"},
			script: []string{"https://signup.example.org/web/recaptcha/"},
			frame:  []string{"https://signup.example.org/web/recaptcha/"},
		},
		{
			name:        "a script on another host allows its directory, not its whole origin",
			reg:         config.Registration{RecaptchaScript: "https://www.recaptcha.net/recaptcha/api.js?hl=de"},
			script:      []string{"https://www.recaptcha.net/recaptcha/"},
			frame:       []string{"https://www.recaptcha.net/recaptcha/"},
			notInScript: []string{"https://www.recaptcha.net"},
		},
		{
			name:   "a script at a host's root allows that root",
			reg:    config.Registration{RecaptchaScript: "https://captcha.example.net/api.js"},
			script: []string{"https://captcha.example.net/"},
			frame:  []string{"https://captcha.example.net/"},
		},
		{
			name:   "characters that would end a CSP source or directive stay escaped",
			reg:    config.Registration{RecaptchaScript: "https://captcha.example.net/a;script-src%20*,b'/api.js"},
			script: []string{"https://captcha.example.net/a%3Bscript-src%20*%2Cb%27/"},
			frame:  []string{"https://captcha.example.net/a%3Bscript-src%20*%2Cb%27/"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := contentSecurityPolicy(ui.Config{HomeserverURL: "https://hs.example.org", Operator: config.Config{Registration: tc.reg}})
			csp := parseCSP(raw)
			want := append([]string{"'self'", "'wasm-unsafe-eval'"}, tc.script...)
			if s := csp["script-src"]; !slices.Equal(s, want) {
				t.Errorf("script-src %q, want %q\n%s", s, want, raw)
			}
			if s := csp["frame-src"]; !slices.Equal(s, tc.frame) {
				t.Errorf("frame-src %q, want %q", s, tc.frame)
			}
			for _, bad := range tc.notInScript {
				if slices.Contains(csp["script-src"], bad) {
					t.Errorf("script-src allows all of %s", bad)
				}
			}
			if len(csp) != 11 {
				t.Errorf("%d directives, want 11: %s", len(csp), raw)
			}
		})
	}
}

func TestCSPOrigins(t *testing.T) {
	t.Run("connect-src holds self, the homeserver and the trusted origins that are origins", func(t *testing.T) {
		csp := parseCSP(contentSecurityPolicy(ui.Config{
			HomeserverURL: "https://hs.example.org/base",
			Operator: config.Config{
				Homeserver: config.Homeserver{TrustedOrigins: []string{"https://id.example.com", "javascript:alert(1)"}},
			},
		}))
		if s := csp["connect-src"]; !slices.Equal(s, []string{"'self'", "https://hs.example.org", "https://id.example.com"}) {
			t.Errorf("connect-src %q", s)
		}
	})
}

func TestHSTS(t *testing.T) {
	paths := []string{"/", "/web/app.wasm", "/app.js", "/no-such-page"}
	get := func(h http.Handler, p string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		return rec.Header().Get("Strict-Transport-Security")
	}

	t.Run("with -hsts every response over plain HTTP (TLS ended in front) carries it", func(t *testing.T) {
		useRoutes(t)
		h, err := New(Options{Config: testConfig(), WebDir: webDir, HSTS: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			if got := get(h, p); got != "max-age=63072000" {
				t.Errorf("%s: Strict-Transport-Security %q", p, got)
			}
		}
	})

	t.Run("without it, plain HTTP responses carry none", func(t *testing.T) {
		for _, p := range paths {
			if got := get(handler, p); got != "" {
				t.Errorf("%s: Strict-Transport-Security %q", p, got)
			}
		}
	})
}
