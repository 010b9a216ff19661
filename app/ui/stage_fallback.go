package ui

import (
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/uiaa"
)

// fallbackState is a stage done on the homeserver's fallback page.
type fallbackState struct {
	opened bool
}

// renderFallback offers the stage's fallback page: a popup opened from the
// click (its "authDone" message finishes the stage), a plain new-tab link
// for when popups are blocked, and "I've finished", which resubmits
// {session} in every case. See
// https://spec.matrix.org/v1.16/client-server-api/#fallback.
func (r *Register) renderFallback() app.UI {
	href := uiaa.FallbackURL(r.hs.BaseURL, r.plan.Next, r.auth.Session)
	return app.Form().ID("fallback").NoValidate(true).OnSubmit(r.onFallbackDone).Body(
		app.P().Text(r.t.T("fallback.intro")),
		app.Div().Class("row").Body(
			app.Button().Type("button").ID("fallback-open").Class("secondary").
				Text(r.t.T("fallback.popup")).OnClick(r.onFallbackOpen),
			app.A().ID("fallback-link").Class("link").Href(href).
				Target("_blank").Rel("noopener noreferrer").
				Text(r.t.T("fallback.tab")),
		),
		app.If(r.fallback.opened, func() app.UI {
			return app.P().ID("fallback-status").Class("status").Role("status").Text(r.t.T("fallback.waiting"))
		}),
		r.renderStageButton("fallback-done", r.t.T("fallback.done"), false),
	)
}

func (r *Register) onFallbackOpen(ctx app.Context, e app.Event) {
	if !r.live() || r.auth == nil || r.Services.OpenFallback == nil {
		return
	}
	href := uiaa.FallbackURL(r.hs.BaseURL, r.plan.Next, r.auth.Session)
	session := r.auth.Session
	c := r.ctx
	if r.Services.OpenFallback(href, fallbackOrigins(href, r.Config.Operator.Homeserver.TrustedOrigins), func() {
		c.Dispatch(func(app.Context) {
			if r.auth != nil && r.auth.Session == session && !r.busy && r.phase == phaseStage {
				r.completeOutOfBand()
			}
		})
	}) {
		r.fallback.opened = true
	}
}

func (r *Register) onFallbackDone(ctx app.Context, e app.Event) {
	e.PreventDefault()
	r.completeOutOfBand()
}

// completeOutOfBand resubmits {session} alone after the fallback page.
func (r *Register) completeOutOfBand() {
	if r.busy || r.waiting() || r.auth == nil {
		return
	}
	r.formErr, r.formDetail, r.stageErr, r.stageDetail = "", "", "", ""
	r.autoSteps = 0
	r.fallback.opened = false
	r.send(uiaa.OutOfBand(r.auth.Session))
}

// fallbackOrigins are the origins whose "authDone" finishes the stage:
// the fallback page's own (the homeserver's) and the operator's trusted
// origins, in the form event.origin takes. Any other page the popup
// reaches (a redirect elsewhere) cannot finish it.
func fallbackOrigins(href string, trusted []string) []string {
	var out []string
	for _, s := range append([]string{href}, trusted...) {
		if o := canonOrigin(s); o != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}
