package ui

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/config"
	"signup/app/matrix"
	"signup/app/registration"
)

func TestRecaptchaOff(t *testing.T) {
	stage := func(reg config.Registration) string {
		c := Config{HomeserverURL: "https://hs.example.org", ServerName: "example.org",
			Operator: config.Config{Version: config.CurrentVersion, Registration: reg}}
		// The engine marks the stage blocked when the operator turned
		// reCAPTCHA off (see registration's tests); drawn as it does.
		v := atStage(c, matrix.AuthRecaptcha, 1, 1, func(s *registration.StageView) {
			s.CaptchaBlocked = c.RecaptchaScript() == ""
		})
		r := &Register{Config: c, view: v}
		return app.HTMLString(r.renderRecaptcha())
	}

	t.Run("turned off, the stage is the homeserver's fallback page, without a script container", func(t *testing.T) {
		off := false
		got := stage(config.Registration{Recaptcha: &off})
		if !strings.Contains(got, `id="fallback"`) || strings.Contains(got, `id="recaptcha"`) {
			t.Errorf("the stage is not the fallback page:\n%s", got)
		}
		if strings.Contains(got, `id="recaptcha-blocked"`) {
			t.Errorf("the stage says the check could not load, but the operator turned it off:\n%s", got)
		}
	})

	t.Run("on by default, the stage is the container the script draws into", func(t *testing.T) {
		got := stage(config.Registration{})
		if !strings.Contains(got, `id="recaptcha"`) || strings.Contains(got, `id="fallback"`) {
			t.Errorf("the stage is not the reCAPTCHA container:\n%s", got)
		}
	})
}
