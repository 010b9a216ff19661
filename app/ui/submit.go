package ui

import (
	"errors"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// maxAutoSteps bounds the stages the widget completes by itself in a row
// (dummy), so that a server that keeps answering 401 cannot make it loop.
const maxAutoSteps = 6

// registerTimeout bounds one /register request, unless the deployment
// says otherwise.
const registerTimeout = 60 * time.Second

func (r *Register) requestTimeout() time.Duration {
	if d := r.Config.RequestTimeout; d > 0 {
		return d
	}
	return registerTimeout
}

// chooser picks flows among the stages this widget draws.
var chooser = uiaa.Chooser{CanDraw: drawable}

// drawable reports whether the widget draws a stage itself; any other goes
// through the homeserver's fallback page.
func drawable(s matrix.AuthType) bool {
	switch s {
	case matrix.AuthDummy, matrix.AuthTerms, matrix.AuthRegistrationToken,
		matrix.AuthEmail, matrix.AuthMSISDN, matrix.AuthRecaptcha:
		return true
	}
	return false
}

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
	r.autoSteps, r.restarts = 0, 0
	var auth *matrix.AuthDict
	if r.auth != nil && r.plan.Next == matrix.AuthDummy {
		auth = uiaa.Dummy(r.auth.Session)
	}
	if r.auth != nil && r.plan.Next != "" && r.plan.Next != matrix.AuthDummy {
		// The session is alive and waits on a stage: show it again.
		r.enterStage(r.plan.Next)
		return
	}
	r.send(auth)
}

// validate checks the form locally and focuses the first problem.
func (r *Register) validate() bool {
	first := ""
	if check := matrix.ValidateLocalpart(r.username, r.hs.ServerName); !check.OK() {
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
	r.contact = ""
	r.userErr, r.passErr, r.confirmErr = "", "", ""
	r.formErr, r.formDetail, r.retryable = "", "", false
}

// send posts /register with auth (nil for the first request) in the
// background; the answer comes back on the UI goroutine. A quiet send (an
// email poll) shows no busy state and treats "not yet" as normal.
func (r *Register) send(auth *matrix.AuthDict) { r.sendOpts(auth, false) }

func (r *Register) sendOpts(auth *matrix.AuthDict, quiet bool) {
	if quiet {
		r.polling = true
	} else {
		r.busy = true
	}
	r.attempt = ""
	if auth != nil {
		r.attempt = auth.Type
		if auth.Type == "" {
			// {session} alone: the stage was done out of band.
			r.attempt = r.plan.Next
		}
	}
	req := &matrix.RegisterRequest{
		Auth:                     r.auth.Wire(auth), // under the server's own stage name
		Username:                 r.username,
		Password:                 r.password,
		InitialDeviceDisplayName: r.Config.DeviceName(),
		InhibitLogin:             r.Config.Operator.ShouldInhibitLogin(),
	}
	client := r.client()
	ctx, stop := r.withTimeout(r.requestTimeout())
	r.ctx.Async(func() {
		resp, err := client.Register(ctx, matrix.KindUser, req)
		stop()
		r.ctx.Dispatch(func(app.Context) {
			r.busy, r.polling = false, false
			r.handle(resp, err, quiet)
		})
	})
}

// handle reacts to one /register answer.
func (r *Register) handle(resp *matrix.RegisterResponse, err error, quiet bool) {
	if err == nil {
		r.succeed(resp)
		return
	}
	if info, ok := matrix.AuthRequired(err); ok {
		r.continueAuth(info, quiet)
		return
	}
	if me, ok := matrix.AsError(err); ok && me.Status == 401 && r.auth != nil && r.attempt != "" && r.attempt == r.plan.Next {
		// A stage refused with a plain 401 (Dendrite's wrong captcha):
		// a failed stage, shown on the stage, as with a UIAA 401.
		r.stageFailed(&matrix.AuthInfo{Errcode: me.Code, Error: me.Message}, quiet)
		return
	}
	if quiet && (errors.Is(err, matrix.ErrUnreachable) || errors.Is(err, matrix.ErrBadResponse)) {
		// A poll that failed: say so quietly and keep trying, slower.
		r.mail.offline = true
		r.schedulePoll(true)
		return
	}
	if r.sessionLost(err) {
		return
	}
	r.fail(err)
}

// continueAuth follows the flow after a 401: completes dummy by itself,
// shows the next stage otherwise, and shows a failed stage's error on
// that stage.
func (r *Register) continueAuth(info *matrix.AuthInfo, quiet bool) {
	r.auth = info
	plan, err := chooser.Choose(info, r.plan.Stages, r.prefer)
	if err != nil {
		r.phase = phaseForm
		r.formErr = r.t.T("noflow")
		return
	}
	r.plan = plan
	r.saveProgress()
	if r.attempt != "" && r.attempt == plan.Next && (info.Errcode != "" || !quiet) {
		// The stage just submitted is still the next one: it failed.
		r.stageFailed(info, quiet)
		return
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
		r.enterStage(plan.Next)
	}
}

// stageFailed shows why the stage just submitted did not pass, on that
// stage, and lets the user retry. An email poll that is "not yet" is not a
// failure: the widget keeps waiting quietly.
func (r *Register) stageFailed(info *matrix.AuthInfo, quiet bool) {
	if info.Errcode == matrix.CodeLimitExceeded {
		r.rateLimited(&matrix.Error{Code: info.Errcode})
		return
	}
	switch r.attempt {
	case matrix.AuthEmail, matrix.AuthMSISDN:
		if r.attempt == matrix.AuthEmail && r.mail.sid != "" {
			r.mail.offline = false
			r.schedulePoll(false)
			if quiet {
				return
			}
		}
		if quiet {
			return
		}
	case matrix.AuthRegistrationToken:
		r.tok.err = r.t.T("token.invalid")
		r.phase = phaseStage
		r.focus("token")
		return
	case matrix.AuthRecaptcha:
		r.captcha.response = ""
		r.stageErr = r.t.T("recaptcha.failed")
		r.phase = phaseStage
		r.startRecaptcha()
		r.focus("stage-error")
		return
	case matrix.AuthDummy:
		r.phase = phaseForm
		r.formErr = r.t.T("failed")
		r.formDetail = info.Error
		r.retryable = true
		return
	}
	r.phase = phaseStage
	r.stageErr = r.t.T("stage.failed")
	r.stageDetail = info.Error
	r.focus("stage-error")
}

// succeed shows the success panel with the user ID the server returned,
// and forgets the password: only the login-token hand-off gets a copy,
// when a client takes one, for its get_token call alone.
func (r *Register) succeed(resp *matrix.RegisterResponse) {
	r.result = resp
	r.phase = phaseDone
	handoff := ""
	if r.wantsLoginToken() {
		handoff = r.password
	}
	r.password, r.confirm = "", ""
	r.broadcast("done")
	r.afterSignUp(resp, handoff)
	r.auth, r.authFor = nil, ""
	r.stopStages()
	r.clearProgress()
	r.wait.reset()
	r.setTitle(r.t.T("success.title"))
	r.focus("success-title")
}
