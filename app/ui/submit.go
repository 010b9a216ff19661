package ui

import (
	"errors"
	"net/url"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// maxAutoSteps bounds the stages the widget completes by itself in a row
// (dummy), so that a server that keeps answering 401 cannot make it loop.
const maxAutoSteps = 6

// registerTimeout bounds one /register request.
const registerTimeout = 60 * time.Second

// chooser picks flows among the stages this widget draws.
var chooser = uiaa.Chooser{CanDraw: func(s matrix.AuthType) bool { return false }}

// onSubmit handles the form's submit (button, Enter).
func (r *Register) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	r.submit()
}

// submit validates the form and sends the first /register request. Submits
// are serialised: while one is in flight, or while the server asked us to
// wait, another does nothing.
func (r *Register) submit() {
	if r.busy || r.wait.left(now()) > 0 || !r.live() {
		return
	}
	r.clearErrors()
	if !r.validate() {
		return
	}
	if key := r.requestKey(); key != r.authFor {
		// A changed username or password starts a new UIAA session: the
		// spec ties a session to one request body.
		r.auth, r.plan, r.authFor = nil, uiaa.Plan{}, key
	}
	r.autoSteps = 0
	var auth *matrix.AuthDict
	if r.auth != nil && r.plan.Next == matrix.AuthDummy {
		auth = uiaa.Dummy(r.auth.Session)
	}
	r.send(auth)
}

// validate checks the form locally and focuses the first problem.
func (r *Register) validate() bool {
	first := ""
	if check := matrix.ValidateLocalpart(r.username, r.Config.ServerName); !check.OK() {
		if check.Problem == matrix.LocalpartEmpty {
			r.userErr = r.t.T("username.empty")
		}
		first = "username"
	} else if st := r.avail.state; r.avail.name == r.username && (st == availTaken || st == availExclusive || st == availInvalid) {
		first = "username"
	}
	if r.password == "" {
		r.passErr = r.t.T("password.empty")
		if first == "" {
			first = "password"
		}
	} else if r.confirm != r.password {
		r.confirmErr = r.t.T("confirm.mismatch")
		if first == "" {
			first = "confirm"
		}
	}
	if first != "" {
		r.focus(first)
		return false
	}
	return true
}

func (r *Register) requestKey() string { return r.username + "\x00" + r.password }

func (r *Register) clearErrors() {
	r.userErr, r.passErr, r.confirmErr = "", "", ""
	r.formErr, r.formDetail, r.retryable = "", "", false
}

// send posts /register with auth (nil for the first request) in the
// background; the answer comes back on the UI goroutine.
func (r *Register) send(auth *matrix.AuthDict) {
	r.busy = true
	req := &matrix.RegisterRequest{
		Auth:                     auth,
		Username:                 r.username,
		Password:                 r.password,
		InitialDeviceDisplayName: r.Config.DeviceName,
	}
	client := r.client()
	ctx, stop := r.withTimeout(registerTimeout)
	r.ctx.Async(func() {
		resp, err := client.Register(ctx, matrix.KindUser, req)
		stop()
		r.ctx.Dispatch(func(app.Context) {
			r.busy = false
			r.handle(resp, err)
		})
	})
}

// handle reacts to one /register answer.
func (r *Register) handle(resp *matrix.RegisterResponse, err error) {
	if err == nil {
		r.succeed(resp)
		return
	}
	if info, ok := matrix.AuthRequired(err); ok {
		r.continueAuth(info)
		return
	}
	r.fail(err)
}

// continueAuth follows the flow after a 401: completes dummy by itself,
// shows the next stage otherwise, and shows a failed stage's error.
func (r *Register) continueAuth(info *matrix.AuthInfo) {
	r.auth = info
	plan, err := chooser.Choose(info, r.plan.Stages, "")
	if err != nil {
		r.phase = phaseForm
		r.formErr = r.t.T("noflow")
		return
	}
	r.plan = plan
	if info.Errcode != "" {
		// A failed stage: say so on that stage and let the user retry.
		r.formErr = r.t.T("failed")
		r.formDetail = info.Error
		r.retryable = true
		if r.plan.Next == matrix.AuthDummy || r.plan.Done() {
			r.phase = phaseForm
			return
		}
	}
	switch {
	case plan.Done() || plan.Next == matrix.AuthDummy:
		if r.autoSteps >= maxAutoSteps {
			r.phase = phaseForm
			r.formErr = r.t.T("noflow")
			return
		}
		r.autoSteps++
		if plan.Done() {
			r.send(uiaa.OutOfBand(info.Session))
			return
		}
		r.send(uiaa.Dummy(info.Session))
	default:
		r.phase = phaseStage
		r.focus("stage-title")
	}
}

// succeed shows the success panel with the user ID the server returned,
// and forgets the password.
func (r *Register) succeed(resp *matrix.RegisterResponse) {
	r.result = resp
	r.phase = phaseDone
	r.password, r.confirm = "", ""
	r.auth, r.authFor = nil, ""
	r.wait.reset()
	r.focus("success-title")
}

// fail shows err next to what caused it, in plain words, keeping every
// field as typed.
func (r *Register) fail(err error) {
	var me *matrix.Error
	errors.As(err, &me)
	switch {
	case errors.Is(err, matrix.ErrUserInUse):
		r.userErr = r.t.T("username.taken")
		r.markTaken(availTaken)
	case errors.Is(err, matrix.ErrInvalidUsername):
		r.userErr = r.t.T("username.invalid")
		r.detailOn(&r.userErr, me)
	case errors.Is(err, matrix.ErrExclusive):
		r.userErr = r.t.T("username.exclusive")
		r.markTaken(availExclusive)
	case errors.Is(err, matrix.ErrWeakPassword):
		r.passErr = r.t.T("password.weak")
		r.detailOn(&r.passErr, me)
	case errors.Is(err, matrix.ErrForbidden):
		r.formErr = r.t.T("closed")
		r.formDetail = me.Message
	case errors.Is(err, matrix.ErrLimitExceeded):
		r.rateLimited(err)
	case errors.Is(err, matrix.ErrUnreachable):
		r.formErr = r.t.T("unreachable", hostOf(r.Config.HomeserverURL))
		r.retryable = true
	case errors.Is(err, matrix.ErrBadResponse):
		r.formErr = r.t.T("badresponse")
		r.retryable = true
	default:
		r.formErr = r.t.T("failed")
		if me != nil {
			r.formDetail = me.Message
		}
		r.retryable = true
	}
	switch {
	case r.userErr != "":
		r.phase = phaseForm
		r.focus("username")
	case r.passErr != "":
		r.phase = phaseForm
		r.focus("password")
	case r.phase == phaseForm:
		r.focus("submit")
	default:
		r.focus("fallback-done")
	}
}

// rateLimited starts the countdown the server asked for (never shorter),
// growing exponentially when it repeats.
func (r *Register) rateLimited(err error) {
	d, _ := matrix.RetryAfter(err)
	r.wait.start(r.wait.delay(d), now())
	r.formErr = r.t.T("ratelimited")
	r.retryable = true
	r.tick()
}

func (r *Register) markTaken(st availState) {
	if r.checks.cache == nil {
		r.checks.cache = map[string]availState{}
	}
	r.checks.cache[r.username] = st
	r.avail = availability{name: r.username, state: st}
}

// detailOn appends the server's message under our own words.
func (r *Register) detailOn(msg *string, me *matrix.Error) {
	if me != nil && me.Message != "" {
		*msg += " " + r.t.T("server.said", me.Message)
	}
}

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}
