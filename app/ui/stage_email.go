package ui

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// mailState is the m.login.email.identity stage: the address, its
// validation session (sid, client_secret, send_attempt) and the polling.
type mailState struct {
	address     string
	err, status string
	secret, sid string
	nonce       string // names this validation in next_link, for the other tab
	attempt     int
	sending     bool
	offline     bool
	elsewhere   bool
	pollSeq     int
	interval    time.Duration
}

// Polling bounds: the first resubmit after a few seconds, then slower,
// never faster than minPoll, never slower than maxPoll.
const (
	minPoll = 2 * time.Second
	maxPoll = 15 * time.Second
)

// renderEmail draws the address field, then "If … can be used here, a link
// is on its way" with Resend and "Use a different address" while the
// widget polls. The wording promises no mail: a server with
// request_token_inhibit_3pid_errors answers an address already in use with
// a sid and sends nothing.
func (r *Register) renderEmail() app.UI {
	if r.mail.elsewhere {
		return app.P().ID("email-elsewhere").Role("status").Text(r.t.T("email.elsewhere"))
	}
	if r.mail.sid == "" {
		return app.Form().ID("email-form").NoValidate(true).OnSubmit(r.onEmailSubmit).Body(
			field{ID: "email", Label: r.t.T("email"), Type: "email", Value: r.mail.address,
				AutoComplete: "email", InputMode: "email", Username: true, Hint: r.t.T("email.hint"),
				Error: r.mail.err, OnInput: func(ctx app.Context, e app.Event) {
					r.mail.address = ctx.JSSrc().Get("value").String()
					r.mail.err = ""
				}}.render(),
			r.renderStageButton("email-send", r.t.T("email.send"), r.mail.sending),
		)
	}
	status := r.t.T("email.waiting")
	if r.mail.offline {
		status = r.t.T("email.offline")
	}
	if r.mail.status != "" {
		status = r.mail.status
	}
	return app.Div().ID("email-wait").Body(
		app.P().ID("email-sent").TabIndex(-1).Text(r.t.T("email.sent", r.mail.address)),
		app.If(r.password == "", func() app.UI {
			return app.Form().ID("password-again").NoValidate(true).OnSubmit(r.onPasswordAgain).Body(
				field{ID: "password", Label: r.t.T("password"), Type: "password",
					AutoComplete: "new-password", Hint: r.t.T("password.again"),
					OnInput: func(ctx app.Context, e app.Event) {
						r.pendingPassword = ctx.JSSrc().Get("value").String()
					}}.render(),
				r.renderStageButton("password-again-continue", r.t.T("continue"), false),
			)
		}),
		app.P().ID("email-status").Class("status").Role("status").Text(status),
		app.Div().Class("row").Body(
			app.Button().Type("button").ID("email-resend").Class("secondary").
				Text(r.t.T("email.resend")).OnClick(r.onEmailResend),
			app.Button().Type("button").ID("email-other").Class("link").
				Text(r.t.T("email.other")).OnClick(r.onEmailOther),
		),
	)
}

// validEmail is a light check: the server has the last word.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return len(s) <= 254 && at > 0 && at < len(s)-3 && strings.Contains(s[at:], ".") &&
		!strings.ContainsAny(s, " \t\r\n<>()[]\\,;:\"")
}

func (r *Register) onEmailSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	addr := strings.TrimSpace(r.mail.address)
	switch {
	case r.mail.sending || r.waiting():
		return
	case addr == "":
		r.mail.err = r.t.T("email.empty")
	case !validEmail(addr):
		r.mail.err = r.t.T("email.bad")
	}
	if r.mail.err != "" {
		r.focus("email")
		return
	}
	r.mail.address = addr
	if r.mail.secret == "" {
		secret, err := uiaa.NewClientSecret(nil)
		if err != nil {
			r.stageErr = r.t.T("failed")
			return
		}
		nonce, _ := uiaa.NewClientSecret(nil)
		r.mail.secret, r.mail.nonce, r.mail.attempt = secret, nonce[:12], 0
	}
	r.requestEmail(false)
}

// requestEmail asks the server to send (or resend, with a higher
// send_attempt) the validation email.
func (r *Register) requestEmail(resend bool) {
	r.mail.attempt++
	r.mail.sending, r.stageErr, r.stageDetail = true, "", ""
	req := &matrix.RequestTokenRequest{
		ClientSecret: r.mail.secret, Email: r.mail.address,
		SendAttempt: r.mail.attempt, NextLink: r.nextLink(),
	}
	client := r.client()
	ctx, stop := r.withTimeout(30 * time.Second)
	r.ctx.Async(func() {
		resp, err := client.RequestEmailToken(ctx, req)
		stop()
		r.ctx.Dispatch(func(app.Context) {
			r.mail.sending = false
			if err != nil {
				r.emailFailed(err)
				return
			}
			r.mail.sid = resp.SID
			r.mail.status = ""
			if resend {
				r.mail.status = r.t.T("email.resent")
			}
			r.mail.interval = 0
			r.saveProgress()
			r.schedulePoll(false)
			r.focus("email-sent")
		})
	})
}

func (r *Register) emailFailed(err error) {
	var key string
	switch {
	case errors.Is(err, &matrix.Error{Code: matrix.CodeThreepidInUse}):
		key = "email.inuse"
	case errors.Is(err, &matrix.Error{Code: matrix.CodeThreepidDenied}):
		key = "email.denied"
	case errors.Is(err, &matrix.Error{Code: matrix.CodeServerNotTrust}):
		key = "email.untrusted"
	}
	if key != "" {
		r.mail.sid = ""
		r.mail.err = r.t.T(key)
		r.focus("email")
		return
	}
	r.fail(err)
}

func (r *Register) onEmailResend(ctx app.Context, e app.Event) {
	if r.mail.sending || r.waiting() {
		return
	}
	r.requestEmail(true)
}

// onEmailOther drops the validation session and asks for another address.
func (r *Register) onEmailOther(ctx app.Context, e app.Event) {
	r.mail = mailState{address: r.mail.address}
	r.saveProgress()
	r.focus("email")
}

// onPasswordAgain takes the password again after a reload lost it.
func (r *Register) onPasswordAgain(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if r.pendingPassword == "" {
		return
	}
	r.password, r.confirm, r.pendingPassword = r.pendingPassword, r.pendingPassword, ""
	r.authFor = r.requestKey()
	r.mail.interval = 0
	r.pollNow()
}

// nextLink is where the server sends the user after the link is clicked:
// this page, with a marker that lets that new tab tell this one.
func (r *Register) nextLink() string {
	if r.Services == nil || r.Services.PageURL == nil {
		return ""
	}
	u, err := url.Parse(r.Services.PageURL())
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	q := url.Values{"email_confirmed": {r.mail.nonce}}
	u.RawQuery, u.Fragment = q.Encode(), ""
	return u.String()
}

// schedulePoll plans the next resubmit of the email stage, backing off
// from minPoll to maxPoll.
func (r *Register) schedulePoll(slower bool) {
	if !r.live() {
		return
	}
	r.mail.pollSeq++
	seq := r.mail.pollSeq
	switch {
	case r.mail.interval == 0:
		r.mail.interval = minPoll
	case slower:
		r.mail.interval = min(r.mail.interval*2, maxPoll)
	default:
		r.mail.interval = min(r.mail.interval*3/2, maxPoll)
	}
	r.ctx.After(r.mail.interval, func(app.Context) { r.poll(seq) })
}

// pollNow resubmits at once (the tab became visible, the other tab said
// the link was clicked).
func (r *Register) pollNow() {
	if !r.live() {
		return
	}
	r.mail.pollSeq++
	r.poll(r.mail.pollSeq)
}

// poll resubmits {type, threepid_creds, session}: only while this stage
// waits, the tab is visible, the password is known, and this tab holds the
// session's claim (two tabs never register twice).
func (r *Register) poll(seq int) {
	if seq != r.mail.pollSeq || r.phase != phaseStage || r.plan.Next != matrix.AuthEmail || r.mail.sid == "" || r.auth == nil {
		return
	}
	if r.Services.Hidden != nil && r.Services.Hidden() {
		return // OnVisible resumes.
	}
	if r.password == "" {
		return // onPasswordAgain resumes.
	}
	if r.busy || r.polling {
		r.schedulePoll(false)
		return
	}
	if !r.claim() {
		r.mail.elsewhere = true
		return
	}
	r.sendOpts(uiaa.Threepid(matrix.AuthEmail, r.auth.Session, r.mail.sid, r.mail.secret), true)
}
