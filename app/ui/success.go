package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// renderSuccess draws the welcome panel with the full user ID the server
// returned (which may differ from the username typed).
func (r *Register) renderSuccess() app.UI {
	d, t := r.view.Done, r.tr()
	if d.Elsewhere || d.UserID == "" {
		return app.Section().ID("success").Class("card success").Role("status").Body(
			app.H1().ID("success-title").TabIndex(-1).Text(t.T("success.title")),
			app.P().Text(t.T("success.elsewhere")),
		)
	}
	return app.Section().ID("success").Class("card success").Role("status").
		Aria("labelledby", "success-title").Body(
		app.H1().ID("success-title").TabIndex(-1).Text(t.T("success.title")),
		app.P().Text(t.T("success.body")),
		app.P().Class("user-id").ID("user-id").Text(d.UserID),
		app.If(d.Guest, func() app.UI { return app.P().Text(t.T("success.guest")) }).
			Else(func() app.UI { return app.P().Text(t.T("success.next")) }),
		app.If(d.Redirecting, func() app.UI {
			return app.P().ID("redirecting").Class("hint").Text(t.T("welcome.redirect"))
		}),
		app.If(r.Config.Operator.After.ShowWelcome() && !d.Guest, func() app.UI { return r.renderClients() }),
	)
}

// renderConfirmed is the tab the email link opened: the waiting tab
// finishes the registration.
func (r *Register) renderConfirmed() app.UI {
	t := r.tr()
	return app.Section().ID("confirmed").Class("card success").Role("status").Body(
		app.H1().ID("confirmed-title").Text(t.T("stage.email")),
		app.P().ID("confirmed-body").Text(t.T("email.confirmed")),
	)
}
