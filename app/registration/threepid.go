package registration

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// mailState is the m.login.email.identity stage: the address, its
// validation session (sid, client_secret, send_attempt) and the polling.
type mailState struct {
	address     string
	err, status Msg
	secret, sid string
	nonce       string // names this validation in next_link, for the other tab
	attempt     int
	sending     bool
	offline     bool
	elsewhere   bool
	pollSeq     int
	interval    time.Duration
	again       string // the password typed again after a reload
}

// phoneState is the m.login.msisdn stage: country and number, then the
// code the user received, sent to the server's submit_url. Without a
// submit_url the server validates the number itself (spec: "the client
// can assume that verification will happen without the client's
// involvement"), and the widget waits as for an email.
type phoneState struct {
	country, number, code string
	err                   Msg
	secret, sid, submit   string
	attempt               int
	sending               bool
}

// validating reports whether stage s waits for a validation the widget
// polls for: the email link, or a phone the server validates itself.
func (e *Engine) validating(s matrix.AuthType) bool {
	switch s {
	case matrix.AuthEmail:
		return e.mail.sid != ""
	case matrix.AuthMSISDN:
		return e.phone.sid != "" && e.phone.submit == ""
	}
	return false
}

// ValidEmail is a light check of an address: the server has the last
// word.
func ValidEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return len(s) <= 254 && at > 0 && at < len(s)-3 && strings.Contains(s[at:], ".") &&
		!strings.ContainsAny(s, " \t\r\n<>()[]\\,;:\"")
}

func (e *Engine) emailSend() {
	addr := strings.TrimSpace(e.mail.address)
	switch {
	case !e.onStage(matrix.AuthEmail) || e.mail.sending || e.waiting() || e.mail.sid != "":
		return
	case addr == "":
		e.mail.err = msg("email.empty")
	case !ValidEmail(addr):
		e.mail.err = msg("email.bad")
	}
	if e.mail.err.Key != "" {
		e.focus("email")
		return
	}
	e.mail.address = addr
	if e.mail.secret == "" {
		secret, err := uiaa.NewClientSecret(nil)
		nonce, nerr := uiaa.NewClientSecret(nil)
		if err != nil || nerr != nil {
			e.stageErr = msg("failed")
			return
		}
		e.mail.secret, e.mail.nonce, e.mail.attempt = secret, nonce[:12], 0
	}
	e.requestEmail()
}

// requestEmail asks the server to send (or resend, with a higher
// send_attempt) the validation email.
func (e *Engine) requestEmail() {
	e.mail.attempt++
	e.mail.sending, e.stageErr = true, Msg{}
	e.sendLocal(EmailToken{Base: e.hs.BaseURL, Body: &matrix.RequestTokenRequest{
		ClientSecret: e.mail.secret, Email: e.mail.address,
		SendAttempt: e.mail.attempt, NextLink: e.nextLink(),
	}})
}

func (e *Engine) emailSent(resp *matrix.RequestTokenResponse, err error, r EmailToken) {
	e.mail.sending = false
	if err == nil && (resp == nil || resp.SID == "") {
		err = &matrix.ResponseError{Op: "email request", Reason: "no sid"}
	}
	if err != nil {
		e.threepidFailed(err, &e.mail.err, "email")
		return
	}
	resend := e.mail.sid != ""
	e.mail.sid, e.mail.status = resp.SID, Msg{}
	if resend {
		e.mail.status = msg("email.resent")
	}
	e.mail.interval = 0
	e.saveProgress()
	e.schedulePoll(false)
	e.focus("email-sent")
}

// threepidFailed shows why the server did not send the email or SMS, on
// its field when it is about the address or number.
func (e *Engine) threepidFailed(err error, field *Msg, kind string) {
	var key string
	switch {
	case errors.Is(err, &matrix.Error{Code: matrix.CodeThreepidInUse}):
		key = kind + ".inuse"
	case errors.Is(err, &matrix.Error{Code: matrix.CodeThreepidDenied}):
		key = kind + ".denied"
	case errors.Is(err, &matrix.Error{Code: matrix.CodeServerNotTrust}):
		key = kind + ".untrusted"
	}
	if key != "" {
		*field = msg(key)
		e.focus(map[string]string{"email": "email", "msisdn": "phone"}[kind])
		return
	}
	e.fail(err, false)
}

func (e *Engine) emailResend() {
	if !e.onStage(matrix.AuthEmail) || e.mail.sending || e.waiting() || e.mail.sid == "" {
		return
	}
	e.requestEmail()
}

// emailOther drops the validation and asks for another address.
func (e *Engine) emailOther() {
	if !e.onStage(matrix.AuthEmail) {
		return
	}
	e.mail.pollSeq++
	e.leave()
	e.mail = mailState{address: e.mail.address, pollSeq: e.mail.pollSeq}
	e.saveProgress()
	e.focus("email")
}

// passwordAgain takes the password again after a reload lost it, and
// resumes.
func (e *Engine) passwordAgain() {
	if e.mail.again == "" || e.screen != ScreenStage || e.auth == nil {
		return
	}
	e.password, e.confirm, e.mail.again = e.mail.again, e.mail.again, ""
	e.key, e.keyless = e.requestKey(), false
	e.mail.interval = 0
	e.pollNow()
}

// nextLink is where the server sends the user after the link is
// clicked: this page, with a marker that lets that new tab tell this
// one.
func (e *Engine) nextLink() string {
	u, err := url.Parse(e.pageURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	q := url.Values{"email_confirmed": {e.mail.nonce}}
	u.RawQuery, u.Fragment = q.Encode(), ""
	return u.String()
}

func (e *Engine) phoneSend() {
	if !e.onStage(matrix.AuthMSISDN) || e.phone.sending || e.waiting() || e.phone.sid != "" {
		return
	}
	country := strings.ToUpper(strings.TrimSpace(e.phone.country))
	number := strings.TrimSpace(e.phone.number)
	if len(country) != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' || country[1] > 'Z' || len(number) < 3 || len(number) > 32 {
		e.phone.err = msg("msisdn.bad")
		e.focus("phone")
		return
	}
	e.phone.country, e.phone.number = country, number
	if e.phone.secret == "" {
		s, err := uiaa.NewClientSecret(nil)
		if err != nil {
			e.stageErr = msg("failed")
			return
		}
		e.phone.secret = s
	}
	e.phone.attempt++
	e.phone.sending = true
	e.sendLocal(PhoneToken{Base: e.hs.BaseURL, Body: &matrix.RequestTokenRequest{
		ClientSecret: e.phone.secret, Country: country, PhoneNumber: number, SendAttempt: e.phone.attempt}})
}

func (e *Engine) phoneSent(resp *matrix.RequestTokenResponse, err error) {
	e.phone.sending = false
	if err == nil && (resp == nil || resp.SID == "") {
		err = &matrix.ResponseError{Op: "SMS request", Reason: "no sid"}
	}
	switch {
	case err != nil:
		e.threepidFailed(err, &e.phone.err, "msisdn")
	case resp.SubmitURL != "" && !e.trusted(resp.SubmitURL):
		e.phone.err = msg("msisdn.untrusted")
		e.focus("phone")
	default:
		e.phone.sid, e.phone.submit = resp.SID, resp.SubmitURL
		if e.phone.submit == "" {
			// The server validates the number itself: wait for it.
			e.mail.interval = 0
			e.schedulePoll(false)
			e.focus("msisdn-sent")
			return
		}
		e.focus("code")
	}
}

// trusted reports whether the code may be sent to submitURL: only to the
// homeserver's own origin or to an origin the operator allowed.
func (e *Engine) trusted(submitURL string) bool {
	o := canonOrigin(submitURL)
	if o == "" {
		return false
	}
	if o == canonOrigin(e.hs.BaseURL) {
		return true
	}
	for _, t := range e.set.Operator.Homeserver.TrustedOrigins {
		if canonOrigin(t) == o {
			return true
		}
	}
	return false
}

func (e *Engine) codeVerify() {
	code := strings.TrimSpace(e.phone.code)
	if !e.onStage(matrix.AuthMSISDN) || e.phone.sending || e.busy() || e.phone.submit == "" || code == "" || len(code) > 64 {
		return
	}
	e.phone.sending = true
	e.sendLocal(SubmitCode{Base: e.hs.BaseURL, URL: e.phone.submit, SID: e.phone.sid, Secret: e.phone.secret, Code: code})
}

func (e *Engine) codeChecked(ok bool, err error, r SubmitCode) {
	e.phone.sending = false
	switch {
	case err != nil:
		e.fail(err, false)
	case !ok:
		e.phone.err = msg("msisdn.wrong")
		e.focus("code")
	default:
		e.submitStage(uiaa.Threepid(matrix.AuthMSISDN, e.auth.Session, r.SID, r.Secret), nil)
	}
}
