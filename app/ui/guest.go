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
			r.fail(err)
		})
	})
}
