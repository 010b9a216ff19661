package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// renderMSISDN draws the country and number, then the code entry (or,
// when the server validates the number itself, a status while the widget
// waits).
func (r *Register) renderMSISDN() app.UI {
	p, t := r.view.Stage.Phone, r.tr()
	if !p.Sent {
		return app.Form().ID("msisdn-form").NoValidate(true).DataSet("act", actAttr(registration.PhoneSend)).OnSubmit(r.onAct).Body(
			field{ID: "country", Label: t.T("msisdn.country"), Type: "text", Value: p.Country,
				AutoComplete: "country", Username: true, Hint: t.T("msisdn.country.hint"),
				Field: registration.FieldCountry, OnInput: r.onTyped}.render(),
			field{ID: "phone", Label: t.T("msisdn.number"), Type: "tel", Value: p.Number,
				AutoComplete: "tel-national", InputMode: "tel", LTR: true, Error: r.msg(p.Error),
				Field: registration.FieldPhone, OnInput: r.onTyped}.render(),
			r.renderStageButton("msisdn-send", t.T("msisdn.send"), p.Sending),
		)
	}
	if p.Waiting {
		return app.Div().ID("msisdn-wait").Body(
			app.P().ID("msisdn-sent").TabIndex(-1).Role("status").Text(t.T("msisdn.sent", p.Number)),
			app.If(r.view.Form.Password == "", func() app.UI { return r.renderPasswordAgain() }),
			app.P().ID("msisdn-status").Class("status").Role("status").Text(t.T("email.waiting")),
		)
	}
	return app.Form().ID("msisdn-code-form").NoValidate(true).DataSet("act", actAttr(registration.CodeVerify)).OnSubmit(r.onAct).Body(
		app.P().ID("msisdn-sent").Role("status").Text(t.T("msisdn.sent", p.Number)),
		field{ID: "code", Label: t.T("msisdn.code"), Type: "text", Value: p.Code,
			AutoComplete: "one-time-code", InputMode: "numeric", LTR: true, Error: r.msg(p.Error),
			Field: registration.FieldCode, OnInput: r.onTyped}.render(),
		r.renderStageButton("msisdn-verify", t.T("msisdn.verify"), p.Sending),
	)
}
