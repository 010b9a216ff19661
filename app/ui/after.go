package ui

import (
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/config"
	"signup/app/matrix"
	"signup/app/registration"
)

// defaultClients are offered after sign-up when the operator lists none,
// with the homeserver where the client reads it from its URL:
//   - Cinny: /login/<server>/, a server name or base URL as a path segment
//     (its src/app/pages/paths.ts, LOGIN_PATH "/login/:server?/");
//   - Element Web: none. #/login ignores hs_url (element-web issue 5469,
//     open); it honours hs_url only for #/mobile_register behind a setting
//     and in its own email-validation links;
//   - FluffyChat web: none (fluffychat issue 1712 asks for one).
//
// The welcome panel shows the homeserver's address, with a copy button,
// for the clients that cannot be told.
var defaultClients = []config.Client{
	{Name: "Element", URL: "https://app.element.io/#/login"},
	{Name: "Cinny", URL: "https://app.cinny.in/login/{homeserver}/"},
	{Name: "FluffyChat", URL: "https://fluffychat.im/web/"},
}

// clientLink returns the "Open in …" URL of a client for the new account:
// the operator's template with {user_id} and {homeserver} filled in, and
// {login_token} when the server gave one and the client has login_token:
// true (config validation refuses the placeholder elsewhere); without a
// token, the parameter that would carry it is left out (a plain link).
func (r *Register) clientLink(c config.Client) string {
	uid := r.view.Done.UserID
	if c.URL == "" {
		return "https://matrix.to/#/" + url.PathEscape(uid)
	}
	link := strings.ReplaceAll(c.URL, "{user_id}", url.QueryEscape(uid))
	link = strings.ReplaceAll(link, "{homeserver}", url.QueryEscape(r.view.Homeserver.BaseURL))
	if tok := r.view.Done.LoginToken; c.LoginToken && tok != "" {
		link = strings.ReplaceAll(link, "{login_token}", url.QueryEscape(tok))
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
			return app.Li().Body(app.A().Class("button").ID("client-" + registration.Slug(strings.ToLower(c.Name))).
				Href(href).Rel("noopener noreferrer").Target("_blank").Text(r.tr().T("welcome.open", c.Name)))
		}),
		app.Li().Body(app.A().Class("link").ID("client-any").
			Href("https://matrix.to/#/"+url.PathEscape(r.view.Done.UserID)).Rel("noopener noreferrer").Target("_blank").
			Text(r.tr().T("welcome.any"))),
	)
}
