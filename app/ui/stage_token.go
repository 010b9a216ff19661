package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// renderToken draws the Registration token field.
func (r *Register) renderToken() app.UI {
	tv, t := r.view.Stage.Token, r.tr()
	return app.Form().ID("token-form").NoValidate(true).DataSet("act", actAttr(registration.TokenContinue)).OnSubmit(r.onAct).Body(
		field{ID: "token", Label: t.T("token"), Type: "text", Value: tv.Value,
			AutoComplete: "one-time-code", Username: true, Hint: t.T("token.hint"),
			Error: r.msg(tv.Error),
			Field: registration.FieldToken, OnInput: r.onTyped}.render(),
		r.renderStageButton("token-continue", t.T("continue"), false),
	)
}
