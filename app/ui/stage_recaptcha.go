package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// renderRecaptcha draws the container the script renders into, or the
// fallback page when the script could not load or the operator turned
// reCAPTCHA off (then without a word about loading).
func (r *Register) renderRecaptcha() app.UI {
	t := r.tr()
	if r.Config.RecaptchaScript() == "" {
		return r.renderFallback()
	}
	if r.view.Stage.CaptchaBlocked {
		return app.Div().Body(
			app.P().ID("recaptcha-blocked").Role("status").Text(t.T("recaptcha.blocked")),
			r.renderFallback(),
		)
	}
	status := ""
	if r.view.Busy {
		status = t.T("submitting")
	}
	return app.Div().Body(
		app.Div().ID("recaptcha").Class("recaptcha"),
		app.P().Class("hint").Role("status").Text(status),
	)
}
