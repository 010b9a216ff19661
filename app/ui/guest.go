package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// renderGuest offers "Continue as guest" when the operator enables it.
func (r *Register) renderGuest() app.UI {
	if !r.Config.Operator.Registration.Guests {
		return app.Text("")
	}
	t := r.tr()
	return app.Div().Class("guest").Body(
		app.Button().Type("button").ID("guest").Class("secondary").Text(t.T("guest")).
			DataSet("act", actAttr(registration.Guest)).OnClick(r.onAct),
		app.P().Class("hint").Text(t.T("guest.hint")),
	)
}
