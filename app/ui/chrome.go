package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/config"
	"signup/app/i18n"
)

// renderLogo draws the operator's logo, else the widget's mark, which
// app.css paints in the accent colour (no request, so it shows offline
// too, and no data: URL in the page).
func (r *Register) renderLogo() app.UI {
	if l := r.Config.Operator.Brand.Logo; l != "" {
		return app.Img().Class("brand__logo").Src(SafeAttr(l)).Role("presentation").Attr("width", 40).Attr("height", 40)
	}
	return app.Span().Class("brand__logo brand__logo--mark").Aria("hidden", true)
}

// opText is an operator text in the user's language (config.Localized.In,
// falling back to the plain string, the default language, English, any).
// In a right-to-left page it is isolated (i18n.Isolate), so that a text in
// a left-to-right language, the operator's only one say, keeps its period
// at its own end.
func (r *Register) opText(l config.Localized) string {
	t := r.tr()
	s := l.In(t.Lang, r.Config.Operator.Languages.Default)
	if s != "" && t.Dir == "rtl" {
		s = i18n.Isolate(s)
	}
	return s
}

// heading is the form's heading: the operator's, else ours.
func (r *Register) heading() string {
	if t := r.opText(r.Config.Operator.Texts.Title); t != "" {
		return t
	}
	return r.tr().T("title")
}

// intro is the paragraph under the heading.
func (r *Register) intro() string {
	if t := r.opText(r.Config.Operator.Texts.Intro); t != "" {
		return t
	}
	return r.tr().T("intro", r.Config.Brand())
}

// usernameHint is the hint under the username.
func (r *Register) usernameHint() string {
	if h := r.opText(r.Config.Operator.Registration.UsernameHint); h != "" {
		return h
	}
	return r.tr().T("username.hint")
}

// renderFooter draws the operator's footer links.
func (r *Register) renderFooter() app.UI {
	links := r.Config.Operator.Texts.Footer
	if len(links) == 0 {
		return app.Text("")
	}
	return app.Footer().Class("footer").Body(
		app.Ul().Body(app.Range(links).Slice(func(i int) app.UI {
			l := links[i]
			return app.Li().Body(app.A().Href(SafeAttr(l.URL)).Rel("noopener noreferrer").Target("_blank").Text(r.opText(l.Label)))
		})),
	)
}

// renderUpdate offers a reload when a new version has been installed in
// the background.
func (r *Register) renderUpdate() app.UI {
	if !r.update {
		return app.Text("")
	}
	return app.Div().ID("update").Class("update").Role("status").Body(
		app.P().Text(r.tr().T("update.available")),
		app.Button().Type("button").ID("update-reload").Class("secondary").Text(r.tr().T("update.reload")).
			OnClick(func(ctx app.Context, e app.Event) { ctx.Reload() }),
	)
}

// OnAppUpdate is called by go-app when the service worker has installed a
// new version: the user chooses when to reload (nothing typed is lost by
// surprise).
func (r *Register) OnAppUpdate(ctx app.Context) {
	if ctx.AppUpdateAvailable() {
		r.update = true
	}
}

// renderProblem shows the operator what is wrong with config.json.
func (r *Register) renderProblem() app.UI {
	return app.Section().ID("config-problem").Class("card").Role("alert").Body(
		app.H1().Text(r.tr().T("config.bad")),
		app.Pre().Class("problem").Text(r.Config.Problem),
	)
}
