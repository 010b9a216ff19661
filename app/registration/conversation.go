package registration

import (
	"signup/app/config"
	"signup/app/matrix"
	"signup/app/uiaa"
)

// submit validates the form and sends the first /register request, or
// goes on with the session that waits. Submits are serialised: while one
// is in flight, or while the server asked the widget to wait, another
// does nothing.
func (e *Engine) submit() {
	if e.screen != ScreenForm || e.busy() || e.waiting() || !e.started {
		return
	}
	if e.deferTill(Act{Action: Submit}) {
		return
	}
	e.clearErrors()
	if e.set.Operator.Registration.SignUpMethod() == config.MethodOAuth {
		// The operator asked for OAuth only: never /register.
		e.formErr = msg("oauth.unavailable", e.serverName())
		return
	}
	if !e.validate() {
		return
	}
	switch key := e.requestKey(); {
	case e.keyless && e.auth != nil && e.username == e.restoredUser:
		// Restored after a reload: the password typed now is the one
		// the session was started with (the server checks).
		e.key, e.keyless = key, false
	case key != e.key:
		// A changed username or password starts a new UIAA session: the
		// spec ties a session to one request body.
		e.newSession()
		e.key = key
	}
	e.autoSteps, e.restarts = 0, 0
	switch {
	case e.auth == nil:
		e.sendRegister(nil, false)
	case e.plan.Next == matrix.AuthDummy:
		e.sendRegister(uiaa.Dummy(e.auth.Session), false)
	case e.plan.Done():
		e.sendRegister(uiaa.OutOfBand(e.auth.Session), false)
	default:
		// The session is alive and waits on a stage: show it again.
		e.enterStage(e.plan.Next)
	}
}

// newSession forgets the UIAA session and everything tied to it: the
// email and phone validations (their sid belongs to the session's
// server and to the old request), the claim, the saved progress. What
// the user typed stays.
func (e *Engine) newSession() {
	e.newEpoch()
	e.releaseClaim()
	e.auth, e.plan, e.key, e.keyless, e.shown = nil, uiaa.Plan{}, "", false, ""
	e.prefer = ""
	e.mail = mailState{address: e.mail.address}
	e.phone = phoneState{country: e.phone.country, number: e.phone.number}
	e.tok.err = Msg{}
	e.terms = termsState{}
	e.captcha = captchaState{seq: e.captcha.seq + 1}
	e.fallback = false
	e.emit(Forget{})
}

// validate checks the form locally and focuses the first problem.
func (e *Engine) validate() bool {
	first := ""
	if check := matrix.ValidateLocalpart(e.username, e.hs.ServerName); !check.OK() {
		if check.Problem == matrix.LocalpartEmpty {
			e.userErr = msg("username.empty")
		}
		first = "username"
	} else if st := e.names.current; st.name == e.username && st.state.refused() {
		first = "username"
	}
	if e.password == "" {
		e.passErr = msg("password.empty")
		if first == "" {
			first = "password"
		}
	} else if m := e.passwordProblem(); m.Key != "" {
		e.passErr = m
		if first == "" {
			first = "password"
		}
	} else if e.confirm != e.password {
		e.confirmErr = msg("confirm.mismatch")
		if first == "" {
			first = "confirm"
		}
	}
	if first != "" {
		e.focus(first)
		return false
	}
	return true
}

func (e *Engine) clearErrors() {
	e.contact = ""
	e.userErr, e.passErr, e.confirmErr = Msg{}, Msg{}, Msg{}
	e.formErr, e.retryable = Msg{}, false
}

// sendRegister posts /register with auth (nil for the first request). A
// quiet send (an email poll) shows no busy state and treats "not yet" as
// normal.
func (e *Engine) sendRegister(auth *matrix.AuthDict, quiet bool) {
	stage := matrix.AuthType("")
	if auth != nil {
		stage = auth.Type
		if stage == "" {
			// {session} alone: the stage was done out of band.
			stage = e.plan.Next
		}
	}
	body := &matrix.RegisterRequest{
		Auth:                     e.auth.Wire(auth), // under the server's own stage name
		Username:                 e.username,
		Password:                 e.password,
		InitialDeviceDisplayName: e.set.DeviceName,
		InhibitLogin:             e.set.Operator.ShouldInhibitLogin(),
	}
	limit := e.set.RequestTimeout
	if limit == 0 && auth == nil {
		limit = firstTimeout
	}
	e.send(Register{Base: e.hs.BaseURL, Kind: matrix.KindUser, Body: body, Limit: limit},
		pending{quiet: quiet, stage: stage})
}

// registered reacts to one /register answer.
func (e *Engine) registered(resp *matrix.RegisterResponse, a Answer, p pending) {
	err := a.Err
	if err == nil && resp != nil {
		e.succeed(resp)
		return
	}
	if err == nil {
		err = &matrix.ResponseError{Op: "register", Reason: "no answer"}
	}
	if info, ok := matrix.AuthRequired(err); ok {
		e.continueAuth(info, err, p)
		return
	}
	me, isMe := matrix.AsError(err)
	if isMe && me.Status == 401 && e.auth != nil && p.stage != "" && p.stage == e.plan.Next {
		// A stage refused with a plain 401 (Dendrite's wrong captcha):
		// a failed stage, shown on the stage, as with a UIAA 401.
		e.stageFailed(err, p)
		return
	}
	if p.quiet {
		e.pollFailed(err)
		return
	}
	if e.sessionLost(err) {
		return
	}
	e.fail(err, a.Offline)
}

// continueAuth follows the flow after a 401: completes dummy by itself,
// shows the next stage otherwise, and shows a failed stage's error on
// that stage.
func (e *Engine) continueAuth(info *matrix.AuthInfo, err error, p pending) {
	if e.auth != nil && info.Session != e.auth.Session {
		// The server started another session: the old validations are
		// spent.
		e.releaseClaim()
		e.mail = mailState{address: e.mail.address}
		e.phone = phoneState{country: e.phone.country, number: e.phone.number}
	}
	e.auth = info
	if info.Errcode == "" && !e.waiting() && e.formErr.Key != "session.restarted" {
		// The server took the last request: an earlier failure is over.
		e.formErr, e.retryable = Msg{}, false
	}
	plan, cerr := uiaa.Widget.Choose(info, e.plan.Stages, e.prefer)
	if cerr != nil {
		e.noFlow()
		return
	}
	e.plan = plan
	e.saveProgress()
	if p.stage != "" && p.stage == plan.Next && (info.Errcode != "" || !p.quiet) {
		// The stage just submitted is still the next one: it failed.
		e.stageFailed(err, p)
		return
	}
	if info.Errcode == matrix.CodeLimitExceeded {
		e.rateLimited(err)
		return
	}
	switch {
	case plan.Done() || plan.Next == matrix.AuthDummy:
		if e.autoSteps >= maxAutoSteps {
			e.noFlow()
			return
		}
		e.autoSteps++
		if plan.Done() {
			e.sendRegister(uiaa.OutOfBand(info.Session), false)
			return
		}
		e.sendRegister(uiaa.Dummy(info.Session), false)
	default:
		e.enterStage(plan.Next)
	}
}

// noFlow says the server offers nothing the widget can follow, on the
// form.
func (e *Engine) noFlow() {
	e.toForm()
	e.formErr = msg("noflow")
	e.focus("form-error")
}

// stageFailed shows why the stage just submitted did not pass, on that
// stage, and lets the user retry. An email poll that is "not yet" is not
// a failure: the widget keeps waiting quietly.
func (e *Engine) stageFailed(err error, p pending) {
	me, _ := matrix.AsError(err)
	code, detail := "", ""
	if me != nil {
		code, detail = me.Code, me.Message
		if me.Auth != nil {
			code, detail = me.Auth.Errcode, me.Auth.Error
		}
	}
	if code == matrix.CodeLimitExceeded {
		e.rateLimited(err)
		if p.quiet {
			e.schedulePollAfterWait()
		}
		return
	}
	switch p.stage {
	case matrix.AuthEmail, matrix.AuthMSISDN:
		if e.validating(p.stage) {
			e.mail.offline = false
			if e.formErr.Key == "ratelimited" {
				// The server answers polls again: the wait is over.
				e.formErr, e.retryable = Msg{}, false
			}
			e.schedulePoll(false)
		}
		if p.quiet {
			return
		}
	case matrix.AuthRegistrationToken:
		e.tok.err = msg("token.invalid")
		e.screen = ScreenStage
		e.focus("token")
		return
	case matrix.AuthRecaptcha:
		e.stageErr = msg("recaptcha.failed")
		e.screen = ScreenStage
		e.startCaptcha()
		e.focus("stage-error")
		return
	case matrix.AuthDummy:
		e.toForm()
		e.formErr = Msg{Key: "failed", Detail: detail}
		e.retryable = true
		e.focus("form-error")
		return
	}
	e.screen = ScreenStage
	e.stageErr = Msg{Key: "stage.failed", Detail: detail}
	e.focus("stage-error")
}

// succeed shows the welcome panel with the user ID the server returned,
// and forgets the password: only the login-token hand-off gets it, when a
// client takes one, for its get_token call alone.
func (e *Engine) succeed(resp *matrix.RegisterResponse) {
	e.done.result = resp
	e.screen = ScreenDone
	password := e.password
	e.password, e.confirm = "", ""
	if e.auth != nil {
		e.emit(Broadcast{Msg: "done:" + e.auth.Session})
	}
	// Nothing of the conversation applies any more; the hand-off below
	// is of the new epoch.
	e.newEpoch()
	e.afterSignUp(resp, password)
	e.releaseClaim()
	e.auth, e.key = nil, ""
	e.emit(Forget{})
	e.wait.reset()
	e.focus("success-title")
}

// toForm shows the form, ending the stages' background work.
func (e *Engine) toForm() {
	e.stopStages()
	e.screen = ScreenForm
	e.shown = ""
}
