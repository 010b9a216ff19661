package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/uiaa"
)

// renderStage draws the current UIAA stage. Stages the widget cannot draw
// itself go through the homeserver's fallback page, never a dead end.
func (r *Register) renderStage() app.UI {
	return app.Section().ID("stage").Class("card").Aria("labelledby", "stage-title").Body(
		app.H1().ID("stage-title").TabIndex(-1).Text(r.t.T("stage.title")),
		app.P().ID("stage-step").Class("step").Text(r.t.T("step", r.plan.Step, r.plan.Total)),
		r.renderFallback(),
		r.renderAlert(),
	)
}

// renderFallback offers the fallback page of the current stage as a link
// (a new tab) and an "I've finished" button that resubmits {session}.
func (r *Register) renderFallback() app.UI {
	href := uiaa.FallbackURL(r.Config.HomeserverURL, r.plan.Next, r.auth.Session)
	return app.Form().ID("fallback").OnSubmit(r.onFallbackDone).Body(
		app.P().Text(r.t.T("fallback.intro")),
		app.P().Body(
			app.A().ID("fallback-link").Class("button").Href(href).
				Target("_blank").Rel("noopener noreferrer").
				Text(r.t.T("fallback.open")),
		),
		r.renderSubmit("fallback-done", r.t.T("fallback.done")),
	)
}

func (r *Register) onFallbackDone(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if r.busy || r.wait.left(now()) > 0 || r.auth == nil {
		return
	}
	r.formErr, r.formDetail = "", ""
	r.autoSteps = 0
	r.send(uiaa.OutOfBand(r.auth.Session))
}
