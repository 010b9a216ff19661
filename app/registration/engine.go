package registration

import (
	"errors"
	"io"
	"time"

	"signup/app/config"
	"signup/app/matrix"
	"signup/app/uiaa"
)

var errUnknownRequest = errors.New("unknown request")

// Settings is what the engine knows of its deployment.
type Settings struct {
	// Homeserver is the configured server, where accounts are made
	// unless the user picks another.
	Homeserver matrix.Homeserver
	// Operator is the operator's configuration.
	Operator config.Config
	// Languages are the user's, most preferred first (terms policies).
	Languages []string
	// RequestTimeout bounds one /register request (0: a minute).
	RequestTimeout time.Duration
	// DeviceName is sent as initial_device_display_name.
	DeviceName string
	// RecaptchaScript is the reCAPTCHA script, "" when the operator
	// turned reCAPTCHA off (the fallback page is the stage then).
	RecaptchaScript string
	// Random draws the flows' secrets (state, PKCE verifier, device ID,
	// nonce); nil means crypto/rand.
	Random io.Reader
}

// Screen is what the widget shows.
type Screen int

// The screens.
const (
	ScreenForm      Screen = iota
	ScreenStage            // a UIAA stage
	ScreenDone             // the welcome panel
	ScreenConfirmed        // this tab was opened by the email link
	ScreenOAuth            // the server signs up on its own page
)

// maxAutoSteps bounds the stages the widget completes by itself in a row
// (dummy, {session} after a fallback), so that a server that keeps
// answering 401 cannot make it loop.
const maxAutoSteps = 6

// Engine is one tab's registration conversation. It is not safe for
// concurrent use: the UI feeds it events on one goroutine.
type Engine struct {
	set Settings
	now time.Time
	out []Effect

	hs       matrix.Homeserver
	screen   Screen
	username string
	userFix  string // a username to offer with userErr
	password string
	confirm  string
	names    names

	// Errors next to what caused them, and the form-level alert.
	userErr, passErr, confirmErr Msg
	formErr                      Msg
	retryable                    bool
	contact                      string

	// The UIAA session and the flow the widget follows in it.
	auth         *matrix.AuthInfo
	plan         uiaa.Plan
	key          string // the request body the session belongs to
	keyless      bool   // restored after a reload: the key is the next submit's
	restoredUser string
	prefer       matrix.AuthType
	shown        matrix.AuthType
	autoSteps    int
	restarts     int
	stageErr     Msg

	// Requests in flight, by sequence number; epoch counts UIAA sessions
	// and homeserver switches (an answer of an older epoch is dropped).
	seq      int
	epoch    int
	visit    int // counts the screens shown: see leave
	inflight map[int]pending
	reg      int // the /register in flight (its seq), 0 when none
	deferred Event

	terms       termsState
	tok         tokenState
	mail        mailState
	phone       phoneState
	captcha     captchaState
	fallback    bool // the popup is open
	picker      pickerState
	resolving   picking
	hidden      bool
	claimed     string // the session whose cross-tab lock this tab holds
	claimSeq    int
	claimPoll   int // the poll that waits for the claim
	guest       bool
	oauth       oauthState
	sso         ssoState
	embedded    bool                  // in an iframe: flows on other pages run in a popup
	callbackURL string                // their callback page then
	policy      matrix.PasswordPolicy // the server's, when it publishes one
	started     bool
	pageURL     string

	done struct {
		result      *matrix.RegisterResponse
		elsewhere   bool
		redirecting bool
		loginToken  string
	}
	wait backoff
}

// pending is a request in flight: what it was for, and when.
type pending struct {
	req   Request
	epoch int
	quiet bool // an email poll: no busy state
	local bool // belongs to the screen on show (visit)
	gone  bool // the user stopped waiting for it (Cancel)
	check int  // an availability check: its names.seq
	visit int
	stage matrix.AuthType // the stage a /register submits ("" for none)
}

// New returns the engine of a page, showing the form.
func New(s Settings) *Engine {
	if s.DeviceName == "" {
		s.DeviceName = "Sign-up widget"
	}
	return &Engine{set: s, hs: s.Homeserver, inflight: map[int]pending{}}
}

// Handle applies ev at time now and returns the effects to carry out, in
// order.
func (e *Engine) Handle(ev Event, now time.Time) []Effect {
	e.now = now
	e.out = nil
	e.handle(ev)
	out := e.out
	e.out = nil
	return out
}

func (e *Engine) emit(fx ...Effect) { e.out = append(e.out, fx...) }

func (e *Engine) focus(id string) { e.emit(Focus{ID: id}) }

func (e *Engine) handle(ev Event) {
	switch ev := ev.(type) {
	case Start:
		e.start(ev)
	case Typed:
		e.typed(ev)
	case Act:
		e.act(ev.Action)
	case Accept:
		e.accept(ev)
	case SwitchFlow:
		e.switchFlow(ev.Stage)
	case Pick:
		e.pick(ev.Index)
	case Answer:
		e.answer(ev)
	case Due:
		e.due(ev)
	case Visibility:
		e.visibility(ev.Hidden)
	case TabMessage:
		e.tabMessage(ev.Msg)
	case Claimed:
		e.claimedLock(ev)
	case CaptchaSolved:
		e.captchaSolved(ev)
	case CaptchaFailed:
		if ev.Seq == e.captcha.seq {
			e.captcha.blocked = true
		}
	case WindowOpened:
		e.windowOpened(ev.OK)
	case Callback:
		e.relayed(ev)
	case ChooseProvider:
		e.chooseProvider(ev.Index)
	case PopupOpened:
		e.fallback = ev.OK
	case AuthDone:
		if e.auth != nil && ev.Session == e.auth.Session && e.screen == ScreenStage && e.reg == 0 {
			e.completeOutOfBand()
		}
	}
}

// send starts a request and remembers it as current.
func (e *Engine) send(req Request, p pending) int {
	e.seq++
	p.req, p.epoch, p.visit = req, e.epoch, e.visit
	e.inflight[e.seq] = p
	if _, ok := req.(Register); ok {
		e.reg = e.seq
	}
	e.emit(Send{Seq: e.seq, Req: req})
	return e.seq
}

// newEpoch makes every answer in flight stale: a new UIAA session or
// another homeserver. A /register in flight stays counted until its
// answer comes (never two at once), and the runner may abort it.
func (e *Engine) newEpoch() {
	e.epoch++
	for seq, p := range e.inflight {
		if p.epoch != e.epoch {
			e.emit(Abort{Seq: seq})
		}
	}
}

// busy reports whether a /register the user waits for is in flight.
func (e *Engine) busy() bool {
	if e.reg == 0 {
		return false
	}
	p, ok := e.inflight[e.reg]
	return !ok || !p.quiet && !p.gone
}

// stopWaiting is the Cancel button while a /register is in flight: the
// runner aborts it, its answer is dropped, and the form is back with
// what was typed. Until the aborted request has ended, a new one waits
// (never two at once).
func (e *Engine) stopWaiting() {
	if !e.busy() {
		return
	}
	p := e.inflight[e.reg]
	p.gone = true
	e.inflight[e.reg] = p
	e.emit(Abort{Seq: e.reg})
	e.formErr, e.retryable = msg("cancelled"), true
	e.focus("submit")
}

// answer applies the answer of a request that is still current.
func (e *Engine) answer(a Answer) {
	p, ok := e.inflight[a.Seq]
	if !ok {
		return
	}
	delete(e.inflight, a.Seq)
	if a.Seq == e.reg {
		e.reg = 0
		defer e.runDeferred()
	}
	if p.epoch != e.epoch || p.gone || p.local && p.visit != e.visit {
		return
	}
	switch r := p.req.(type) {
	case Register:
		if r.Kind == matrix.KindGuest {
			e.guestAnswered(a)
			return
		}
		resp, _ := a.Value.(*matrix.RegisterResponse)
		e.registered(resp, a, p)
	case EmailToken:
		resp, _ := a.Value.(*matrix.RequestTokenResponse)
		e.emailSent(resp, a.Err, r)
	case PhoneToken:
		resp, _ := a.Value.(*matrix.RequestTokenResponse)
		e.phoneSent(resp, a.Err)
	case SubmitCode:
		ok, _ := a.Value.(bool)
		e.codeChecked(ok, a.Err, r)
	case Available:
		ok, _ := a.Value.(bool)
		e.nameChecked(r.Name, ok, a.Err, p.check)
	case Discover:
		hs, _ := a.Value.(matrix.Homeserver)
		e.discovered(hs, a.Err)
	case Metadata:
		d, _ := a.Value.(Delegation)
		e.delegated(d, a.Err)
	case ClientRegistration:
		id, _ := a.Value.(string)
		e.clientRegistered(id, a.Err)
	case CodeToken:
		tok, _ := a.Value.(*matrix.OAuthToken)
		e.tokenAnswered(tok, a.Err)
	case WhoAmI:
		w, _ := a.Value.(matrix.Whoami)
		e.whoamiAnswered(w, a.Err)
	case LoginFlows:
		lf, _ := a.Value.(matrix.LoginFlows)
		e.providersAnswered(lf, a.Err)
	case TokenLogin:
		resp, _ := a.Value.(*matrix.LoginResponse)
		e.tokenLoggedIn(resp, a.Err)
	case Policy:
		v, _ := a.Value.(PolicyAnswer)
		e.policyAnswered(v, a.Err)
	case HandOff:
		if tok, _ := a.Value.(string); a.Err == nil && tok != "" {
			e.done.loginToken = tok
		}
	}
}

// deferTill keeps a user action that needs /register while one is in
// flight (an email poll): it runs when that answer has been handled.
func (e *Engine) deferTill(ev Event) bool {
	if e.reg == 0 {
		return false
	}
	if !e.busy() {
		e.deferred = ev
	}
	return true
}

func (e *Engine) runDeferred() {
	ev := e.deferred
	e.deferred = nil
	if ev != nil && e.reg == 0 {
		e.handle(ev)
	}
}

// requestKey names the request body a UIAA session belongs to.
func (e *Engine) requestKey() string { return e.username + "\x00" + e.password }

// waiting reports whether the server asked the widget to wait.
func (e *Engine) waiting() bool { return e.wait.left(e.now) > 0 }
