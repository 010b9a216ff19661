package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// renderFallback offers the stage's fallback page: a popup opened from
// the click (its "authDone" message finishes the stage), a plain new-tab
// link for when popups are blocked, and "I've finished", which resubmits
// {session} in every case. See
// https://spec.matrix.org/v1.16/client-server-api/#fallback.
func (r *Register) renderFallback() app.UI {
	s, t := r.view.Stage, r.tr()
	return app.Form().ID("fallback").NoValidate(true).DataSet("act", actAttr(registration.FallbackDone)).OnSubmit(r.onAct).Body(
		app.P().Text(t.T("fallback.intro")),
		app.Div().Class("row").Body(
			app.Button().Type("button").ID("fallback-open").Class("secondary").
				Text(t.T("fallback.popup")).DataSet("act", actAttr(registration.FallbackOpen)).OnClick(r.onAct),
			app.A().ID("fallback-link").Class("link").Href(s.FallbackURL).
				Target("_blank").Rel("noopener noreferrer").
				Text(t.T("fallback.tab")),
		),
		app.If(s.PopupOpen, func() app.UI {
			return app.P().ID("fallback-status").Class("status").Role("status").Text(t.T("fallback.waiting"))
		}),
		r.renderStageButton("fallback-done", t.T("fallback.done"), false),
	)
}
