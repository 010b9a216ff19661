package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// renderForm draws the registration form.
func (r *Register) renderForm() app.UI {
	f := r.view.Form
	t := r.tr()
	hint := r.usernameHint()
	if f.Preview != "" {
		hint = t.T("username.preview", f.Preview)
	}
	var useLower app.UI
	if f.Suggestion != "" {
		useLower = app.Button().Type("button").ID("username-lower").Class("link").
			Text(t.T("username.use", f.Suggestion)).DataSet("act", actAttr(registration.UseSuggestion)).OnClick(r.onAct)
	}
	if r.view.SSO.Only {
		// No password sign-up on this server: its providers alone.
		return app.Section().ID("signup-form").Class("card").Aria("labelledby", "form-title").Body(
			app.H1().ID("form-title").Text(r.heading()),
			r.renderPicker(),
			app.If(r.Config.Brand() != "", func() app.UI {
				return app.P().Class("intro").Text(r.intro())
			}),
			r.renderAlert(),
			r.renderSSO(),
		)
	}
	// method="dialog" outside a <dialog> makes a native submission (the
	// form sent before loader.js or the app took it over, or with
	// JavaScript off) do nothing: no request, so no password in a body or
	// a URL. A browser that does not know "dialog" sends a GET, and the
	// password fields have no name (field.Secret).
	return app.Form().ID("signup-form").Class("card").
		Method("dialog").NoValidate(true).
		Aria("labelledby", "form-title").
		DataSet("act", actAttr(registration.Submit)).OnSubmit(r.onAct).
		Body(
			app.H1().ID("form-title").Text(r.heading()),
			// Without JavaScript the form cannot work (and, as method
			// "dialog", sends nothing): say so instead of doing nothing.
			app.Elem("noscript").Body(app.P().ID("noscript").Class("alert").Text(t.T("noscript"))),
			r.renderPicker(),
			app.If(r.Config.Brand() != "", func() app.UI {
				return app.P().Class("intro").Text(r.intro())
			}),
			field{ID: "username", Label: t.T("username"), Type: "text", Value: f.Username,
				AutoComplete: "username", Username: true, Hint: hint, Status: r.msg(f.UserStatus),
				Error: r.msg(f.UserError), Extra: useLower, Field: registration.FieldUsername, OnInput: r.onTyped}.render(),
			field{ID: "password", Label: t.T("password"), Type: r.passwordType(), Value: f.Password,
				AutoComplete: "new-password", Secret: true, Error: r.msg(f.PassError), Status: r.passwordStatus(),
				Extra: r.renderPasswordExtra(), Field: registration.FieldPassword, OnInput: r.onTyped}.render(),
			field{ID: "confirm", Label: t.T("confirm"), Type: r.passwordType(), Value: f.Confirm,
				AutoComplete: "new-password", Secret: true, Error: r.msg(f.ConfirmErr),
				Field: registration.FieldConfirm, OnInput: r.onTyped}.render(),
			r.renderAlert(),
			r.renderSubmit("submit", t.T("submit"), false),
			r.renderGuest(),
			r.renderSSO(),
		)
}

// renderAlert draws the form-level error, with the server's own words as
// a detail under ours.
func (r *Register) renderAlert() app.UI {
	v := r.view
	if v.FormError.Key == "" {
		return app.Div().ID("form-error").Class("alert-slot").Aria("live", "assertive")
	}
	return r.renderError("form-error", v.FormError, v.Contact)
}

// renderError draws an alert: our words, then the server's.
func (r *Register) renderError(id string, m registration.Msg, contact string) app.UI {
	t := r.tr()
	return app.Div().ID(id).Class("alert").Role("alert").TabIndex(-1).Body(
		app.P().Text(t.T(m.Key, m.Args...)),
		app.If(m.Detail != "", func() app.UI {
			return app.P().Class("alert__detail").Text(t.T("server.said", m.Detail))
		}),
		app.If(contact != "", func() app.UI {
			return app.P().Body(app.A().ID("contact").Href(SafeAttr(contact)).Rel("noopener noreferrer").Text(t.T("closed.contact")))
		}),
	)
}

// renderSubmit draws a submit button: busy while a request is in flight,
// disabled with a countdown while the server asks the widget to wait, or
// while blocked (a stage's input is incomplete). It is only ever rendered
// disabled when it is: go-app pre-renders Disabled(false) as
// disabled="false", which disables.
func (r *Register) renderSubmit(id, label string, blocked bool) app.UI {
	v, t := r.view, r.tr()
	switch {
	case v.WaitLeft > 0:
		label = t.N("retry.in", v.WaitLeft)
		blocked = true
	case v.Busy:
		label = t.T("submitting")
	case v.Retryable && v.FormError.Key != "":
		label = t.T("retry")
	}
	btn := app.Button().ID(id).Type("submit").Class("primary").Aria("busy", v.Busy).Text(label)
	if blocked {
		btn = btn.Disabled(true)
	}
	return app.Div().Class("actions").Body(
		btn,
		// A server that does not answer is never a dead end: the wait
		// can be stopped, and what was typed stays.
		app.If(v.Busy, func() app.UI {
			return app.Button().Type("button").ID("cancel").Class("link").Text(t.T("cancel")).
				DataSet("act", actAttr(registration.Cancel)).OnClick(r.onAct)
		}),
		app.P().ID(id+"-status").Class("sr-only").Role("status").Text(r.busyText()),
	)
}

// busyText is what a submit's live region says: "Creating your
// account…", or how long the server asked the widget to wait.
func (r *Register) busyText() string {
	v := r.view
	if v.Busy {
		return r.tr().T("submitting")
	}
	if v.Announce > 0 {
		return r.tr().N("retry.in", v.Announce)
	}
	return ""
}
