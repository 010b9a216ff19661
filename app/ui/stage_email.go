package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// renderEmail draws the address field, then "If … can be used here, a
// link is on its way" with Resend and "Use a different address" while the
// widget polls. The wording promises no mail: a server with
// request_token_inhibit_3pid_errors answers an address already in use
// with a sid and sends nothing.
func (r *Register) renderEmail() app.UI {
	m, t := r.view.Stage.Email, r.tr()
	if m.Elsewhere {
		return app.P().ID("email-elsewhere").Role("status").Text(t.T("email.elsewhere"))
	}
	if !m.Sent {
		return app.Form().ID("email-form").NoValidate(true).DataSet("act", actAttr(registration.EmailSend)).OnSubmit(r.onAct).Body(
			field{ID: "email", Label: t.T("email"), Type: "email", Value: m.Address,
				AutoComplete: "email", InputMode: "email", Username: true, Hint: t.T("email.hint"),
				Error: r.msg(m.Error), Field: registration.FieldEmail, OnInput: r.onTyped}.render(),
			r.renderStageButton("email-send", t.T("email.send"), m.Sending),
		)
	}
	status := t.T("email.waiting")
	if m.Offline {
		status = t.T("email.offline")
	}
	if m.Status.Key != "" {
		status = r.msg(m.Status)
	}
	return app.Div().ID("email-wait").Body(
		app.P().ID("email-sent").TabIndex(-1).Text(t.T("email.sent", m.Address)),
		app.If(m.NeedPassword, func() app.UI { return r.renderPasswordAgain() }),
		app.P().ID("email-status").Class("status").Role("status").Text(status),
		app.Div().Class("row").Body(
			app.Button().Type("button").ID("email-resend").Class("secondary").
				Text(t.T("email.resend")).DataSet("act", actAttr(registration.EmailResend)).OnClick(r.onAct),
			app.Button().Type("button").ID("email-other").Class("link").
				Text(t.T("email.other")).DataSet("act", actAttr(registration.EmailOther)).OnClick(r.onAct),
		),
	)
}

// renderPasswordAgain asks for the password a reload lost.
func (r *Register) renderPasswordAgain() app.UI {
	t := r.tr()
	return app.Form().ID("password-again").NoValidate(true).DataSet("act", actAttr(registration.PasswordAgain)).OnSubmit(r.onAct).Body(
		field{ID: "password", Label: t.T("password"), Type: "password",
			AutoComplete: "new-password", Hint: t.T("password.again"),
			Field: registration.FieldPasswordAgain, OnInput: r.onTyped}.render(),
		r.renderStageButton("password-again-continue", t.T("continue"), false),
	)
}
