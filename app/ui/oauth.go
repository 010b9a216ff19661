package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/registration"
)

// renderOAuth is the sign-up on an OAuth 2.0 server's own page: the
// Continue button and the steps of the round trip when the widget runs
// it, else a link to the server's account page.
func (r *Register) renderOAuth() app.UI {
	o, t := r.view.OAuth, r.tr()
	var errUI app.UI = app.Div().ID("oauth-error").Class("alert-slot").Aria("live", "assertive")
	if o.Error.Key != "" {
		errUI = r.renderError("oauth-error", o.Error, "")
	}
	var body []app.UI
	switch {
	case !o.InWidget:
		body = []app.UI{app.P().Text(t.T("oauth.body")), errUI,
			app.If(o.Declined.Key != "", func() app.UI {
				return app.P().ID("oauth-declined").Class("hint").Text(t.T(o.Declined.Key, o.Declined.Args...))
			}),
			app.If(o.SignUpURL != "", func() app.UI {
				return app.A().ID("oauth-link").Class("button").Href(SafeAttr(o.SignUpURL)).
					Rel("noopener noreferrer").Text(t.T("oauth.go", o.Issuer))
			})}
	case o.Step == registration.OAuthFinishing:
		body = []app.UI{app.P().ID("oauth-status").Role("status").Text(t.T("oauth.finishing"))}
	case o.Step == registration.OAuthAway:
		body = []app.UI{
			app.P().ID("oauth-status").Role("status").Text(t.T("oauth.away")), errUI,
			app.Div().Class("actions").Body(
				app.Button().Type("button").ID("oauth-continue").Class("primary").Text(t.T("oauth.again")).
					DataSet("act", actAttr(registration.OAuthContinue)).OnClick(r.onAct),
				app.Button().Type("button").ID("oauth-cancel").Class("link").Text(t.T("oauth.cancel")).
					DataSet("act", actAttr(registration.OAuthCancel)).OnClick(r.onAct),
			),
		}
	default:
		opening := o.Step == registration.OAuthOpening
		label := t.T("oauth.go", o.Issuer)
		if opening {
			label = t.T("oauth.opening", o.Issuer)
		}
		body = []app.UI{
			app.P().Text(t.T("oauth.body.widget", o.Issuer)), errUI,
			app.Button().Type("button").ID("oauth-continue").Class("primary").Disabled(opening).
				Aria("busy", opening).Text(label).
				DataSet("act", actAttr(registration.OAuthContinue)).OnClick(r.onAct),
		}
	}
	return app.Section().ID("oauth").Class("card").Aria("labelledby", "oauth-title").Body(
		append([]app.UI{app.H1().ID("oauth-title").Text(t.T("oauth.title", o.Issuer)), r.renderPicker()}, body...)...,
	)
}

// renderSSO draws "Continue with <provider>" for each identity provider
// the homeserver lists, and what an SSO sign-up said.
func (r *Register) renderSSO() app.UI {
	s, t := r.view.SSO, r.tr()
	if len(s.Providers) == 0 && s.Error.Key == "" && !s.Finishing {
		return nil
	}
	var errUI app.UI = app.Div().ID("sso-error").Class("alert-slot").Aria("live", "assertive")
	if s.Error.Key != "" {
		errUI = r.renderError("sso-error", s.Error, "")
	}
	return app.Div().ID("sso").Class("sso").Body(
		app.If(!s.Only && len(s.Providers) > 0, func() app.UI {
			return app.P().Class("sso__or").Text(t.T("sso.or"))
		}),
		errUI,
		app.If(s.Finishing, func() app.UI {
			return app.P().ID("sso-status").Role("status").Text(t.T("sso.finishing"))
		}),
		app.Range(s.Providers).Slice(func(i int) app.UI {
			p := s.Providers[i]
			// The icon where it loads without authentication; hidden
			// when it does not (decorative: the name says it all).
			var icon app.UI
			if u := matrix.NewClient(r.view.Homeserver.BaseURL, nil).IconURL(p.Icon, 48); u != "" {
				icon = app.Img().Class("sso__icon").Src(SafeAttr(u)).Alt("").Aria("hidden", true).
					Attr("width", 20).Attr("height", 20).On("error", hideElement)
			}
			return app.Button().Type("button").ID("sso-"+registration.Slug(p.ID)).Class("secondary sso__provider").
				Disabled(s.Finishing).DataSet("sso", strconv.Itoa(i)).OnClick(r.onProvider).
				Body(icon, app.Span().Text(t.T("sso.continue", p.Name)))
		}),
	)
}

// hideElement hides an image that did not load.
func hideElement(ctx app.Context, _ app.Event) { ctx.JSSrc().Set("hidden", true) }

// onProvider is a click on a provider's button (data-sso, its index).
func (r *Register) onProvider(ctx app.Context, _ app.Event) {
	if i, ok := dataInt(ctx, "sso"); ok {
		r.send(registration.ChooseProvider{Index: i})
	}
}
