package ui

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// checkDelegation asks, once, whether the server delegates sign-up to an
// OAuth 2.0 server (GET /_matrix/client/v1/auth_metadata). Such servers
// must not be sent to /register.
func (r *Register) checkDelegation() {
	client := r.client()
	cctx, stop := r.withTimeout(15 * time.Second)
	r.ctx.Async(func() {
		md, delegated, err := client.GetAuthMetadata(cctx)
		stop()
		if err != nil || !delegated {
			return
		}
		r.ctx.Dispatch(func(app.Context) {
			r.oauthURL = md.SignUpURL()
			r.oauthIssuer = hostOf(md.Issuer)
			r.setTitle(r.t.T("oauth.title", r.oauthIssuer))
		})
	})
}

// renderOAuth sends the user to the server's own sign-up page.
func (r *Register) renderOAuth() app.UI {
	return app.Section().ID("oauth").Class("card").Aria("labelledby", "oauth-title").Body(
		app.H1().ID("oauth-title").Text(r.t.T("oauth.title", r.oauthIssuer)),
		app.P().Text(r.t.T("oauth.body")),
		app.A().ID("oauth-link").Class("button").Href(SafeAttr(r.oauthURL)).
			Rel("noopener noreferrer").Text(r.t.T("oauth.go", r.oauthIssuer)),
	)
}
