package ui

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// fail shows err next to what caused it, in plain words, keeping every
// field as typed.
func (r *Register) fail(err error) {
	me, _ := matrix.AsError(err)
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
		r.contact = r.contactURL()
	case errors.Is(err, matrix.ErrLimitExceeded):
		r.rateLimited(err)
	case errors.Is(err, matrix.ErrUnreachable):
		r.formErr = r.t.T("unreachable", hostOf(r.hs.BaseURL))
		if r.Services != nil && r.Services.Online != nil && !r.Services.Online() {
			r.formErr = r.t.T("offline")
		}
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
	r.notifyError(err)
	switch {
	case r.userErr != "":
		r.phase = phaseForm
		r.focus("username")
	case r.passErr != "":
		r.phase = phaseForm
		r.focus("password")
	case r.phase == phaseForm:
		r.focus("form-error")
	default:
		r.focus("stage-error")
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

// retryAfterOf reports whether err asks for a wait, and how long.
func retryAfterOf(err error) (time.Duration, bool) { return matrix.RetryAfter(err) }

// rateLimitedFor starts a countdown of at least d.
func (r *Register) rateLimitedFor(d time.Duration) {
	r.rateLimited(&matrix.Error{Code: matrix.CodeLimitExceeded, RetryAfter: d})
}

// sessionLost restarts the UIAA session transparently when the server no
// longer knows it (expired, server restarted): a 400 that names the
// session. The user's input is kept; this happens once per submit.
func (r *Register) sessionLost(err error) bool {
	me, ok := matrix.AsError(err)
	if r.auth == nil || r.restarts > 0 || !ok || me.Status != 400 {
		return false
	}
	switch me.Code {
	case matrix.CodeUnknown, matrix.CodeUnrecognized, matrix.CodeInvalidParam, matrix.CodeNotFound:
	default:
		return false
	}
	if !strings.Contains(strings.ToLower(me.Message), "session") {
		return false
	}
	r.restarts++
	r.stopStages()
	r.auth, r.plan, r.shown = nil, uiaa.Plan{}, ""
	r.phase = phaseForm
	r.clearProgress()
	r.mail = mailState{address: r.mail.address}
	r.formErr = r.t.T("session.restarted")
	r.send(nil)
	return true
}

// notifyError tells the embedding page that something stopped the user
// (the errcode only, never the server's text).
func (r *Register) notifyError(err error) {
	if r.Services == nil || r.Services.Notify == nil {
		return
	}
	code := "network"
	me, isMe := matrix.AsError(err)
	switch {
	case isMe && me.Code != "":
		code = me.Code
	case errors.Is(err, matrix.ErrBadResponse):
		code = "bad_response"
	}
	r.Services.Notify("signup:error", map[string]string{"code": code})
}
