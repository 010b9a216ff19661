package registration

import (
	"context"
	"errors"
	"strings"

	"signup/app/matrix"
)

// fail shows err next to what caused it, in plain words, keeping every
// field as typed.
func (e *Engine) fail(err error, offline bool) {
	me, _ := matrix.AsError(err)
	detail := ""
	if me != nil {
		detail = me.Message
	}
	switch {
	case errors.Is(err, matrix.ErrUserInUse):
		e.userErr = msg("username.taken")
		e.names.mark(e.username, nameTaken)
	case errors.Is(err, matrix.ErrInvalidUsername):
		e.userErr = Msg{Key: "username.invalid", Detail: detail}
	case errors.Is(err, matrix.ErrExclusive):
		e.userErr = msg("username.exclusive")
		e.names.mark(e.username, nameExclusive)
	case e.passwordRefusedBy(err):
	case errors.Is(err, matrix.ErrForbidden):
		e.formErr = Msg{Key: "closed", Detail: detail}
		e.contact = e.contactURL()
	case errors.Is(err, matrix.ErrLimitExceeded):
		e.rateLimited(err)
	case errors.Is(err, matrix.ErrUnreachable):
		// Our words follow what happened: the browser offline, the
		// server silent, or no connection to it.
		switch {
		case offline:
			e.formErr = msg("offline")
		case errors.Is(err, context.DeadlineExceeded):
			e.formErr = msg("notanswering", hostOf(e.hs.BaseURL))
		default:
			e.formErr = msg("unreachable", hostOf(e.hs.BaseURL))
		}
		e.retryable = true
	case errors.Is(err, matrix.ErrBadResponse):
		e.formErr = msg("badresponse")
		e.retryable = true
	default:
		if _, limited := matrix.RetryAfter(err); limited {
			e.rateLimited(err)
			break
		}
		e.formErr = Msg{Key: "failed", Detail: detail}
		e.retryable = true
	}
	e.notifyError(err)
	switch {
	case e.userErr.Key != "":
		e.toForm()
		e.focus("username")
	case e.passErr.Key != "":
		e.toForm()
		e.focus("password")
	case e.screen == ScreenForm:
		e.focus("form-error")
	default:
		e.focus("stage-error")
	}
}

// passwordRefusedBy sets the password's error when err refuses it.
func (e *Engine) passwordRefusedBy(err error) bool {
	m, ok := e.passwordRefused(err)
	if ok {
		e.passErr = m
	}
	return ok
}

// rateLimited starts the countdown the server asked for (never shorter),
// growing exponentially when it repeats.
func (e *Engine) rateLimited(err error) {
	d, _ := matrix.RetryAfter(err)
	e.wait.start(e.wait.delay(d), e.now)
	e.formErr = msg("ratelimited")
	e.retryable = true
	e.tick()
}

// tick re-renders every second while a wait runs.
func (e *Engine) tick() {
	if e.wait.left(e.now) == 0 {
		return
	}
	e.wait.seq++
	e.emit(Schedule{Timer: TimerTick, Seq: e.wait.seq, After: e.wait.untilNextSecond(e.now)})
}

// sessionLost restarts the UIAA session transparently when the server no
// longer knows it (expired, server restarted): a 400 that names the
// session. The user's input is kept; this happens once per submit, and a
// second loss is shown as an error.
func (e *Engine) sessionLost(err error) bool {
	me, ok := matrix.AsError(err)
	if e.auth == nil || !ok || me.Status != 400 {
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
	if e.restarts > 0 {
		e.newSession()
		e.toForm()
		e.formErr = Msg{Key: "session.lost", Detail: me.Message}
		e.retryable = true
		e.notifyError(err)
		e.focus("form-error")
		return true
	}
	restarts := e.restarts + 1
	key := e.key
	e.newSession()
	e.key, e.restarts = key, restarts
	e.toForm()
	e.formErr = msg("session.restarted")
	e.sendRegister(nil, false)
	return true
}

// notifyError tells the embedding page that something stopped the user
// (the errcode only, never the server's text).
func (e *Engine) notifyError(err error) {
	code := "network"
	me, isMe := matrix.AsError(err)
	switch {
	case isMe && me.Code != "":
		code = me.Code
	case errors.Is(err, matrix.ErrBadResponse):
		code = "bad_response"
	}
	e.emit(Notify{Event: "signup:error", Detail: map[string]string{"code": code}})
}

// contactURL is the operator's contact link, offered when registration
// is closed: an http(s) or mailto: URL, as the config's validation
// allows for footer links.
func (e *Engine) contactURL() string {
	for _, l := range e.set.Operator.Texts.Footer {
		if l.Kind == "contact" && (matrix.IsWebURL(l.URL) || strings.HasPrefix(l.URL, "mailto:")) {
			return l.URL
		}
	}
	return ""
}
