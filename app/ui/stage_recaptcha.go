package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// captchaState is the m.login.recaptcha stage.
type captchaState struct {
	response string
	started  bool
	blocked  bool
	seq      int
}

// recaptchaKey reads params["m.login.recaptcha"].public_key.
func (r *Register) recaptchaKey() string {
	var p struct {
		PublicKey string `json:"public_key"`
	}
	if r.auth == nil {
		return ""
	}
	if ok, err := r.auth.Param(matrix.AuthRecaptcha, &p); !ok || err != nil {
		return ""
	}
	return p.PublicKey
}

// startRecaptcha loads the operator's reCAPTCHA script and draws the
// widget once the stage is on screen; a script that cannot load (blocked,
// offline, CSP), or reCAPTCHA turned off by the operator, turns the stage
// into the fallback page.
func (r *Register) startRecaptcha() {
	if r.recaptchaOff() {
		r.captcha.blocked = true
		return
	}
	if !r.live() || r.Services.Recaptcha == nil {
		return
	}
	key := r.recaptchaKey()
	if key == "" {
		r.captcha.blocked = true
		return
	}
	r.captcha.seq++
	seq := r.captcha.seq
	r.captcha.started, r.captcha.blocked, r.captcha.response = true, false, ""
	script := r.Config.RecaptchaScript()
	ctx := r.ctx
	ctx.Defer(func(app.Context) {
		r.Services.Recaptcha(script, "recaptcha", key,
			func(token string) {
				ctx.Dispatch(func(app.Context) {
					if seq != r.captcha.seq || r.plan.Next != matrix.AuthRecaptcha || r.busy {
						return
					}
					r.captcha.response = token
					r.stageErr = ""
					r.send(uiaa.Recaptcha(r.auth.Session, token))
				})
			},
			func(error) {
				ctx.Dispatch(func(app.Context) {
					if seq == r.captcha.seq {
						r.captcha.blocked = true
					}
				})
			})
	})
}

// recaptchaOff reports that the operator turned reCAPTCHA off
// (registration.recaptcha: false): the homeserver's fallback page is the
// stage, and the widget loads no script.
func (r *Register) recaptchaOff() bool {
	return r.Config.RecaptchaScript() == ""
}

// renderRecaptcha draws the container the script renders into, or the
// fallback page when the script could not load or is turned off.
func (r *Register) renderRecaptcha() app.UI {
	if r.recaptchaOff() {
		return r.renderFallback()
	}
	if r.captcha.blocked {
		return app.Div().Body(
			app.P().ID("recaptcha-blocked").Role("status").Text(r.t.T("recaptcha.blocked")),
			r.renderFallback(),
		)
	}
	return app.Div().Body(
		app.Div().ID("recaptcha").Class("recaptcha"),
		app.P().Class("hint").Role("status").Text(r.recaptchaStatus()),
	)
}

func (r *Register) recaptchaStatus() string {
	if r.busy {
		return r.t.T("submitting")
	}
	return ""
}
