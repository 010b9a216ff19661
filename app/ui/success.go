package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// renderSuccess draws the success panel with the full user ID the server
// returned (which may differ from the username typed).
func (r *Register) renderSuccess() app.UI {
	return app.Section().ID("success").Class("card success").Role("status").
		Aria("labelledby", "success-title").Body(
		app.H1().ID("success-title").TabIndex(-1).Text(r.t.T("success.title")),
		app.P().Text(r.t.T("success.body")),
		app.P().Class("user-id").ID("user-id").Text(r.result.UserID),
		app.P().Text(r.t.T("success.next")),
	)
}
