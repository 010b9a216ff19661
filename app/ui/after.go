package ui

import (
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/config"
	"signup/app/matrix"
)

// defaultClients are offered after sign-up when the operator lists none.
var defaultClients = []config.Client{
	{Name: "Element", URL: "https://app.element.io/#/login"},
	{Name: "Cinny", URL: "https://app.cinny.in/"},
	{Name: "FluffyChat", URL: "https://fluffychat.im/web/"},
}

// afterSignUp runs what the operator configured for after a successful
// registration: notify the embedding page, fetch one-time login tokens for
// clients that take them, and redirect. password is what the user typed,
// for get_token's User-Interactive Authentication only ("" when no client
// takes a login token); nothing keeps it.
func (r *Register) afterSignUp(resp *matrix.RegisterResponse, password string) {
	op := r.Config.Operator.After
	if r.Services == nil {
		return
	}
	if r.Services.Notify != nil && op.ShouldNotifyParent() {
		// Never the access token or the password: the user ID and the
		// homeserver only.
		r.Services.Notify("signup:registered", map[string]string{
			"user_id": resp.UserID, "homeserver": r.hs.BaseURL,
		})
	}
	if r.wantsLoginToken() && resp.AccessToken != "" && !r.guest {
		r.fetchLoginToken(resp.AccessToken, resp.UserID, password)
	}
	if op.Redirect != "" && r.Services.Navigate != nil && matrix.IsWebURL(op.Redirect) {
		r.redirecting = true
		target := op.Redirect
		r.ctx.After(1500*time.Millisecond, func(app.Context) { r.Services.Navigate(target) })
	}
}

func (r *Register) wantsLoginToken() bool { return r.Config.Operator.After.WantsLoginToken() }

// fetchLoginToken asks POST /_matrix/client/v1/login/get_token for a
// one-time token that signs the new account into a configured web client,
// then logs the widget's own device out (POST /_matrix/client/v3/logout),
// so that the sign-up leaves no device behind: the login token does not
// depend on it. get_token uses User-Interactive Authentication, and the
// spec says servers MUST always ask for it (Synapse asks for
// m.login.password): the widget answers with the password the user just
// typed, which lives in this call only and is dropped when it ends,
// success or not. The access token is used here only, never handed on;
// where the server does not offer get_token or refuses, the clients get a
// plain link. A logout that fails changes nothing for the user.
func (r *Register) fetchLoginToken(accessToken, userID, password string) {
	client := r.client()
	ctx, stop := r.withTimeout(15 * time.Second)
	r.ctx.Async(func() {
		defer stop()
		tok, err := client.LoginTokenWithPassword(ctx, accessToken, userID, password)
		password = ""
		if err == nil {
			r.ctx.Dispatch(func(app.Context) { r.loginToken = tok })
		}
		_ = client.Logout(ctx, accessToken)
	})
}

// clientLink returns the "Open in …" URL of a client for the new account:
// the operator's template with {user_id} and {homeserver} filled in, and
// {login_token} when the server gave one and the client has login_token:
// true (config validation refuses the placeholder elsewhere); without a
// token, the parameter that would carry it is left out (a plain link).
func (r *Register) clientLink(c config.Client) string {
	uid := r.result.UserID
	if c.URL == "" {
		return "https://matrix.to/#/" + url.PathEscape(uid)
	}
	link := strings.ReplaceAll(c.URL, "{user_id}", url.QueryEscape(uid))
	link = strings.ReplaceAll(link, "{homeserver}", url.QueryEscape(r.hs.BaseURL))
	if c.LoginToken && r.loginToken != "" {
		link = strings.ReplaceAll(link, "{login_token}", url.QueryEscape(r.loginToken))
	} else {
		link = dropParam(link, "{login_token}")
	}
	if !matrix.IsWebURL(link) {
		return ""
	}
	return link
}

// dropParam removes the name=placeholder parameter from a URL (in its
// query or fragment), with its separator.
func dropParam(link, placeholder string) string {
	for {
		i := strings.Index(link, placeholder)
		if i < 0 {
			return link
		}
		start := strings.LastIndexAny(link[:i], "?&#") + 1
		end := i + len(placeholder)
		switch {
		case end < len(link) && link[end] == '&':
			end++ // "name=x&rest": drop "name=x&"
		case start > 0 && link[start-1] == '&':
			start-- // "rest&name=x": drop "&name=x"
		}
		link = link[:start] + link[end:]
	}
}

// renderClients draws the "Open in …" buttons of the welcome panel.
func (r *Register) renderClients() app.UI {
	clients := r.Config.Operator.After.Clients
	if len(clients) == 0 {
		clients = defaultClients
	}
	return app.Ul().ID("clients").Class("clients").Body(
		app.Range(clients).Slice(func(i int) app.UI {
			c := clients[i]
			href := r.clientLink(c)
			if href == "" {
				return app.Text("")
			}
			return app.Li().Body(app.A().Class("button").ID("client-" + stageSlug(strings.ToLower(c.Name))).
				Href(href).Rel("noopener noreferrer").Target("_blank").Text(r.t.T("welcome.open", c.Name)))
		}),
		app.Li().Body(app.A().Class("link").ID("client-any").
			Href("https://matrix.to/#/"+url.PathEscape(r.result.UserID)).Rel("noopener noreferrer").Target("_blank").
			Text(r.t.T("welcome.any"))),
	)
}
