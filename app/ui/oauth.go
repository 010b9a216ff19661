package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// renderOAuth sends the user to the server's own sign-up page.
func (r *Register) renderOAuth() app.UI {
	o, t := r.view.OAuth, r.tr()
	return app.Section().ID("oauth").Class("card").Aria("labelledby", "oauth-title").Body(
		app.H1().ID("oauth-title").Text(t.T("oauth.title", o.Issuer)),
		app.P().Text(t.T("oauth.body")),
		app.A().ID("oauth-link").Class("button").Href(SafeAttr(o.SignUpURL)).
			Rel("noopener noreferrer").Text(t.T("oauth.go", o.Issuer)),
	)
}
