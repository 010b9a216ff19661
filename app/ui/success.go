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
		// A user ID and a URL read left to right, also in an Arabic page.
		app.P().Class("user-id").ID("user-id").Body(app.Bdi().Dir("ltr").Text(d.UserID)),
		r.renderHomeserverAddress(),
		app.If(d.Guest, func() app.UI { return app.P().Text(t.T("success.guest")) }).
			Else(func() app.UI { return app.P().Text(t.T("success.next")) }),
		app.If(d.Redirecting, func() app.UI {
			return app.P().ID("redirecting").Class("hint").Text(t.T("welcome.redirect"))
		}),
		app.If(r.Config.Operator.After.ShowWelcome() && !d.Guest, func() app.UI { return r.renderClients() }),
	)
}

// renderHomeserverAddress shows the homeserver's URL, which a Matrix app
// asks for at sign-in, with a button that copies it.
func (r *Register) renderHomeserverAddress() app.UI {
	t, hs := r.tr(), r.view.Homeserver.BaseURL
	if hs == "" {
		return app.Text("")
	}
	var copyFn func(string, func(bool))
	if r.Services != nil {
		copyFn = r.Services.Copy
	}
	return app.Div().ID("homeserver").Class("homeserver-address").Body(
		app.P().ID("homeserver-label").Class("homeserver-address__label").Text(t.T("welcome.homeserver")),
		app.P().Class("homeserver-address__row").Body(
			app.Code().ID("homeserver-url").Dir("ltr").Aria("labelledby", "homeserver-label").Text(hs),
			&copyButton{ID: "homeserver-copy", Value: hs, Label: t.T("welcome.copy"), Done: t.T("welcome.copied"),
				Failed: t.T("welcome.copy.failed"), Copy: copyFn},
		),
		app.P().Class("hint").Text(t.T("welcome.homeserver.hint")),
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
