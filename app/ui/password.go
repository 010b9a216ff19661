package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"strconv"
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
	t := r.tr()
	label := t.T("password.show")
	if r.showPassword {
		label = t.T("password.hide")
	}
	toggle := app.Button().Type("button").ID("password-toggle").Class("link").
		Aria("pressed", r.showPassword).Aria("controls", "password confirm").Text(label).
		OnClick(func(ctx app.Context, e app.Event) { r.showPassword = !r.showPassword })
	f := r.view.Form
	if f.Strength < 0 {
		return app.Div().Class("password-extra").Body(toggle)
	}
	return app.Div().Class("password-extra").Body(
		app.Elem("meter").ID("password-meter").Class("meter meter--"+strconv.Itoa(f.Strength)).
			Attr("min", 0).Attr("max", 4).Attr("low", 2).Attr("high", 3).Attr("optimum", 4).
			Attr("value", f.Strength).Aria("hidden", true),
		toggle,
	)
}

// passwordStatus is the live strength line: the score in words and the
// one thing to do next (the server's rule first). While the field shows
// an error, the error alone speaks.
func (r *Register) passwordStatus() string {
	f, t := r.view.Form, r.tr()
	if f.Strength < 0 || f.PassError.Key != "" {
		return ""
	}
	s := t.T("strength.label", t.T("strength."+strconv.Itoa(f.Strength)))
	if f.PassAdvice.Key != "" {
		s += " " + r.msg(f.PassAdvice)
	}
	return s
}
