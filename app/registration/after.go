package registration

import (
	"time"

	"signup/app/matrix"
)

// redirectDelay is how long the welcome panel shows before the
// operator's redirect.
const redirectDelay = 1500 * time.Millisecond

// afterSignUp does what the operator configured for after a successful
// registration: tell the embedding page, fetch a one-time login token for
// clients that take one, and redirect. password is what the user typed,
// for get_token's User-Interactive Authentication only; nothing keeps it.
func (e *Engine) afterSignUp(resp *matrix.RegisterResponse, password string) {
	op := e.set.Operator.After
	if op.ShouldNotifyParent() {
		// Never the access token or the password: the user ID and the
		// homeserver only.
		e.emit(Notify{Event: "signup:registered", Detail: map[string]string{
			"user_id": resp.UserID, "homeserver": e.hs.BaseURL,
		}})
	}
	if op.WantsLoginToken() && resp.AccessToken != "" && !e.guest {
		e.send(HandOff{Base: e.hs.BaseURL, AccessToken: resp.AccessToken, UserID: resp.UserID, Password: password},
			pending{})
	}
	if op.Redirect != "" && matrix.IsWebURL(op.Redirect) {
		e.done.redirecting = true
		e.emit(Schedule{Timer: TimerRedirect, Seq: 1, After: redirectDelay})
	}
}

// guestSignUp registers a guest account: POST /register?kind=guest,
// where every body field but initial_device_display_name is ignored.
func (e *Engine) guestSignUp() {
	if !e.set.Operator.Registration.Guests || e.screen != ScreenForm || e.busy() || e.waiting() || !e.started {
		return
	}
	if e.deferTill(Act{Action: Guest}) {
		return
	}
	e.clearErrors()
	e.send(Register{Base: e.hs.BaseURL, Kind: matrix.KindGuest, Limit: e.set.RequestTimeout,
		Body: &matrix.RegisterRequest{InitialDeviceDisplayName: e.set.DeviceName}}, pending{})
}

func (e *Engine) guestAnswered(a Answer) {
	resp, _ := a.Value.(*matrix.RegisterResponse)
	if a.Err == nil && resp != nil {
		e.guest = true
		e.succeed(resp)
		return
	}
	if me, ok := matrix.AsError(a.Err); ok && me.Status == 403 {
		// A server that takes no guests (Synapse: M_UNKNOWN "Guest
		// access is disabled", Dendrite: M_FORBIDDEN). Registration as
		// such may be open: neither "closed" nor "try again".
		e.formErr = Msg{Key: "guest.refused", Detail: me.Message}
		e.notifyError(a.Err)
		e.focus("form-error")
		return
	}
	e.fail(a.Err, a.Offline)
}
