package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"strconv"

	"signup/app/strength"
)

// passwordType is the type of the password inputs: text while shown.
func (r *Register) passwordType() string {
	if r.showPassword {
		return "text"
	}
	return "password"
}

// renderPasswordExtra draws the strength meter with concrete advice, and
// the show/hide toggle, under the password field.
func (r *Register) renderPasswordExtra() app.UI {
	label := r.t.T("password.show")
	if r.showPassword {
		label = r.t.T("password.hide")
	}
	toggle := app.Button().Type("button").ID("password-toggle").Class("link").
		Aria("pressed", r.showPassword).Aria("controls", "password confirm").Text(label).
		OnClick(func(ctx app.Context, e app.Event) { r.showPassword = !r.showPassword })
	if r.password == "" {
		return app.Div().Class("password-extra").Body(toggle)
	}
	est := strength.Estimate(r.password, r.username)
	return app.Div().Class("password-extra").Body(
		app.Elem("meter").ID("password-meter").Class("meter meter--"+strconv.Itoa(est.Score)).
			Attr("min", 0).Attr("max", 4).Attr("low", 2).Attr("high", 3).Attr("optimum", 4).
			Attr("value", est.Score).Aria("hidden", true),
		toggle,
	)
}

// passwordStatus is the live strength line: the score in words and the
// most useful advice.
func (r *Register) passwordStatus() string {
	if r.password == "" {
		return ""
	}
	est := strength.Estimate(r.password, r.username)
	s := r.t.T("strength.label", r.t.T("strength."+strconv.Itoa(est.Score)))
	if len(est.Advice) > 0 {
		s += " " + r.t.T(string(est.Advice[0]))
	}
	return s
}
