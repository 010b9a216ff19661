package config

import (
	"strings"
	"testing"
)

func TestRecaptchaConfig(t *testing.T) {
	parse := func(reg string) (*Config, error) {
		return Parse([]byte(`{"version": 1, "homeserver": {"url": "https://matrix.example.org"}, "registration": ` + reg + `}`))
	}

	t.Run("recaptcha: false turns it off; unset leaves it on", func(t *testing.T) {
		c, err := parse(`{"recaptcha": false}`)
		if err != nil {
			t.Fatal(err)
		}
		if c.Registration.Recaptcha == nil || *c.Registration.Recaptcha {
			t.Errorf("recaptcha = %v, want false", c.Registration.Recaptcha)
		}
		if c, err = parse(`{}`); err != nil || c.Registration.Recaptcha != nil {
			t.Errorf("unset: %v, %v", c.Registration.Recaptcha, err)
		}
	})

	t.Run("a self-hosted script may be a path on this site", func(t *testing.T) {
		for _, s := range []string{"/web/recaptcha/api.js", "https://captcha.example.net/recaptcha/api.js"} {
			if _, err := parse(`{"recaptcha_script": "` + s + `"}`); err != nil {
				t.Errorf("%s: %v", s, err)
			}
		}
	})

	t.Run("a script elsewhere than an http(s) URL or a path on this site is refused", func(t *testing.T) {
		for _, s := range []string{"//evil.example/api.js", "javascript:alert(1)", "api.js", "/\\t/evil.example/api.js"} {
			_, err := parse(`{"recaptcha_script": "` + s + `"}`)
			if err == nil || !strings.Contains(err.Error(), "registration.recaptcha_script") {
				t.Errorf("%s: %v", s, err)
			}
		}
	})
}
