package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
)

// renderGuest offers "Continue as guest" when the operator enables it.
func (r *Register) renderGuest() app.UI {
	if !r.Config.Operator.Registration.Guests {
		return app.Text("")
	}
	return app.Div().Class("guest").Body(
		app.Button().Type("button").ID("guest").Class("secondary").Text(r.t.T("guest")).OnClick(r.onGuest),
		app.P().Class("hint").Text(r.t.T("guest.hint")),
	)
}

// onGuest registers a guest account: POST /register?kind=guest, where
// every body field but initial_device_display_name is ignored.
func (r *Register) onGuest(ctx app.Context, e app.Event) {
	if r.busy || r.waiting() || !r.live() {
		return
	}
	r.clearErrors()
	r.busy = true
	client := r.client()
	req := &matrix.RegisterRequest{InitialDeviceDisplayName: r.Config.DeviceName()}
	cctx, stop := r.withTimeout(r.requestTimeout())
	r.ctx.Async(func() {
		resp, err := client.Register(cctx, matrix.KindGuest, req)
		stop()
		r.ctx.Dispatch(func(app.Context) {
			r.busy = false
			if err == nil {
				r.guest = true
				r.succeed(resp)
				return
			}
			if guestsRefused(err) {
				r.guestRefused(err)
				return
			}
			r.fail(err)
		})
	})
}

// guestsRefused tells a server that takes no guests: a 403 to
// kind=guest, whatever its errcode (Synapse sends M_UNKNOWN "Guest access
// is disabled", Dendrite M_FORBIDDEN). Registration as such may be open.
func guestsRefused(err error) bool {
	me, ok := matrix.AsError(err)
	return ok && me.Status == 403
}

// guestRefused says the server takes no guests, with its words as a
// detail; neither "registration is closed" nor "try again" (a retry gets
// the same answer), and the form stays there for a full account.
func (r *Register) guestRefused(err error) {
	me, _ := matrix.AsError(err)
	r.formErr = r.t.T("guest.refused")
	r.formDetail = me.Message
	r.notifyError(err)
	r.focus("form-error")
}
