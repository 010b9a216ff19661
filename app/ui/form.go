package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
)

// renderForm draws the registration form.
func (r *Register) renderForm() app.UI {
	status, userProblem, suggestion := r.usernameStatus()
	preview := ""
	if r.hs.ServerName != "" && r.username != "" && userProblem == "" {
		preview = r.t.T("username.preview", matrix.PreviewUserID(r.username, r.hs.ServerName))
	}
	hint := r.usernameHint()
	if preview != "" {
		hint = preview
	}
	var useLower app.UI
	if suggestion != "" {
		useLower = app.Button().Type("button").ID("username-lower").Class("link").
			Text(r.t.T("username.use", suggestion)).OnClick(r.useLowercase)
	}
	// method="dialog" outside a <dialog> makes a native submission (the
	// form sent before loader.js or the app took it over, or with
	// JavaScript off) do nothing: no request, so no password in a body or
	// a URL. A browser that does not know "dialog" sends a GET, and the
	// password fields have no name (field.Secret).
	return app.Form().ID("signup-form").Class("card").
		Method("dialog").NoValidate(true).
		Aria("labelledby", "form-title").
		OnSubmit(r.onSubmit).
		Body(
			app.H1().ID("form-title").Text(r.title()),
			// Without JavaScript the form cannot work (and, as method
			// "dialog", sends nothing): say so instead of doing nothing.
			app.Elem("noscript").Body(app.P().ID("noscript").Class("alert").Text(r.t.T("noscript"))),
			r.renderPicker(),
			app.If(r.Config.Brand() != "", func() app.UI {
				return app.P().Class("intro").Text(r.intro())
			}),
			field{ID: "username", Label: r.t.T("username"), Type: "text", Value: r.username,
				AutoComplete: "username", Username: true, Hint: hint, Status: status,
				Error: userProblem, Extra: useLower, OnInput: r.onUsername}.render(),
			field{ID: "password", Label: r.t.T("password"), Type: r.passwordType(), Value: r.password,
				AutoComplete: "new-password", Secret: true, Error: r.passErr, Status: r.passwordStatus(),
				Extra: r.renderPasswordExtra(), OnInput: r.onPassword}.render(),
			field{ID: "confirm", Label: r.t.T("confirm"), Type: r.passwordType(), Value: r.confirm,
				AutoComplete: "new-password", Secret: true, Error: r.confirmErr, OnInput: r.onConfirm}.render(),
			r.renderAlert(),
			r.renderSubmit("submit", r.t.T("submit")),
			r.renderGuest(),
		)
}

// renderAlert draws the form-level error, with the server's own words as a
// detail under ours.
func (r *Register) renderAlert() app.UI {
	if r.formErr == "" {
		return app.Div().ID("form-error").Class("alert-slot").Aria("live", "assertive")
	}
	return app.Div().ID("form-error").Class("alert").Role("alert").TabIndex(-1).Body(
		app.P().Text(r.formErr),
		app.If(r.formDetail != "", func() app.UI {
			return app.P().Class("alert__detail").Text(r.t.T("server.said", r.formDetail))
		}),
		app.If(r.contact != "", func() app.UI {
			return app.P().Body(app.A().ID("contact").Href(SafeAttr(r.contact)).Rel("noopener noreferrer").Text(r.t.T("closed.contact")))
		}),
	)
}

// renderSubmit draws the submit button: busy while a request is in flight,
// disabled with a countdown while the server asks us to wait.
func (r *Register) renderSubmit(id, label string) app.UI {
	if left := r.wait.left(now()); left > 0 {
		label = r.t.N("retry.in", left)
	} else if r.busy {
		label = r.t.T("submitting")
	} else if r.retryable {
		label = r.t.T("retry")
	}
	btn := app.Button().ID(id).Type("submit").Class("primary").Aria("busy", r.busy).Text(label)
	if r.wait.left(now()) > 0 {
		// Only ever render disabled when true: go-app pre-renders
		// Disabled(false) as disabled="false", which disables.
		btn = btn.Disabled(true)
	}
	return app.Div().Class("actions").Body(
		btn,
		app.P().ID(id+"-status").Class("sr-only").Role("status").Text(r.busyText()),
	)
}

// busyText is what the submit's live region says: "Creating your
// account…", or how long the server asked us to wait.
func (r *Register) busyText() string {
	if r.busy {
		return r.t.T("submitting")
	}
	if n := r.wait.announced(now()); n > 0 {
		return r.t.N("retry.in", n)
	}
	return ""
}

func (r *Register) onPassword(ctx app.Context, e app.Event) {
	r.password = ctx.JSSrc().Get("value").String()
	r.passErr = ""
	if r.confirmErr != "" && r.password == r.confirm {
		r.confirmErr = ""
	}
}

func (r *Register) onConfirm(ctx app.Context, e app.Event) {
	r.confirm = ctx.JSSrc().Get("value").String()
	if r.confirmErr != "" && r.password == r.confirm {
		r.confirmErr = ""
	}
}
