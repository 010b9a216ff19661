package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// renderTerms draws one checkbox per policy, labelled with its name, with
// a link to its URL (new tab, noopener). Continue is enabled when every
// box is ticked. Malformed params get a clear error and the fallback
// page.
func (r *Register) renderTerms() app.UI {
	tv, t := r.view.Stage.Terms, r.tr()
	if tv.Bad {
		return app.Div().Body(
			app.P().ID("terms-bad").Class("alert").Role("alert").Text(t.T("terms.bad")),
			r.renderFallback(),
		)
	}
	hint := ""
	if !tv.All {
		hint = t.T("terms.all")
	}
	return app.Form().ID("terms").NoValidate(true).DataSet("act", actAttr(registration.TermsContinue)).OnSubmit(r.onAct).Body(
		app.P().Text(t.T("terms.intro")),
		app.Ul().Class("policies").Body(
			app.Range(tv.Policies).Slice(func(i int) app.UI {
				p := tv.Policies[i]
				id := registration.PolicyBoxID(p.ID, i)
				box := app.Input().Type("checkbox").ID(id).Name(id).
					DataSet("policy", SafeAttr(p.ID)).OnChange(r.onAccept)
				if tv.Accepted[p.ID] {
					box = box.Checked(true)
				}
				return app.Li().Class("policy").Body(
					box,
					app.Label().For(id).Text(t.T("terms.accept", p.Name)),
					app.If(p.URL != "", func() app.UI {
						return app.A().Class("policy__link").Href(SafeAttr(p.URL)).Target("_blank").
							Rel("noopener noreferrer").Text(t.T("terms.open", p.Name))
					}),
				)
			}),
		),
		app.P().ID("terms-status").Class("hint").Aria("live", "polite").Text(hint),
		r.renderStageButton("terms-continue", t.T("continue"), !tv.All),
	)
}
