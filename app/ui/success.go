package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// renderSuccess draws the success panel with the full user ID the server
// returned (which may differ from the username typed).
func (r *Register) renderSuccess() app.UI {
	if r.doneElsewhere || r.result == nil {
		return app.Section().ID("success").Class("card success").Role("status").Body(
			app.H1().ID("success-title").TabIndex(-1).Text(r.t.T("success.title")),
			app.P().Text(r.t.T("success.elsewhere")),
		)
	}
	return app.Section().ID("success").Class("card success").Role("status").
		Aria("labelledby", "success-title").Body(
		app.H1().ID("success-title").TabIndex(-1).Text(r.t.T("success.title")),
		app.P().Text(r.t.T("success.body")),
		app.P().Class("user-id").ID("user-id").Text(r.result.UserID),
		app.If(r.guest, func() app.UI { return app.P().Text(r.t.T("success.guest")) }).
			Else(func() app.UI { return app.P().Text(r.t.T("success.next")) }),
		app.If(r.redirecting, func() app.UI {
			return app.P().ID("redirecting").Class("hint").Text(r.t.T("welcome.redirect"))
		}),
		app.If(r.Config.Operator.After.ShowWelcome() && !r.guest, func() app.UI { return r.renderClients() }),
	)
}

// renderConfirmed is the tab the email link opened: the waiting tab
// finishes the registration.
func (r *Register) renderConfirmed() app.UI {
	return app.Section().ID("confirmed").Class("card success").Role("status").Body(
		app.H1().ID("confirmed-title").Text(r.t.T("stage.email")),
		app.P().ID("confirmed-body").Text(r.t.T("email.confirmed")),
	)
}
