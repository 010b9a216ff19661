package registration

import (
	"time"

	"signup/app/matrix"
)

// Effect is work the engine asks its runner to carry out. Effects that
// have an outcome report it as an event: [Send] as [Answer], [Schedule] as
// [Due], [Claim] as [Claimed], [Captcha] as [CaptchaSolved] or
// [CaptchaFailed], [Popup] as [PopupOpened] then [AuthDone].
type Effect interface{ effect() }

// Send asks for one request to the homeserver (or, for [Discover], to the
// server the user named); [Do] carries it out. Its answer comes back as
// [Answer] with the same Seq.
type Send struct {
	_   noEq
	Seq int
	Req Request
}

// Abort abandons the request numbered Seq: its answer no longer
// matters (the runner may abort it; the engine drops it anyway).
type Abort struct {
	_   noEq
	Seq int
}

// Timer names what a [Schedule] waits for.
type Timer int

// The timers.
const (
	TimerPoll     Timer = iota + 1 // the next resubmit of the email stage
	TimerTick                      // the countdown of a rate limit, every second
	TimerCheck                     // the pause in typing before a username check
	TimerRedirect                  // the redirect after sign-up
)

// Schedule asks for [Due]{Timer, Seq} after a wait.
type Schedule struct {
	_     noEq
	Timer Timer
	Seq   int
	After time.Duration
}

// Save writes the tab's progress (sessionStorage). It never holds the
// password: see [Progress].
type Save struct {
	_        noEq
	Progress Progress
}

// Forget removes the tab's saved progress.
type Forget struct{ _ noEq }

// Broadcast sends a message to the widget's other tabs.
type Broadcast struct {
	_   noEq
	Msg string
}

// Notify posts an event to the embedding page (signup:registered,
// signup:stage, signup:error). Detail never holds the password or a
// token.
type Notify struct {
	_      noEq
	Event  string
	Detail map[string]string
}

// Focus moves the keyboard focus to an element, after the next render.
type Focus struct {
	_  noEq
	ID string
}

// Claim takes the cross-tab lock Key without waiting; the answer is
// [Claimed].
type Claim struct {
	_   noEq
	Seq int
	Key string
}

// Release gives the cross-tab lock Key back.
type Release struct {
	_   noEq
	Key string
}

// Captcha draws the reCAPTCHA widget (after the next render) with the
// operator's Script and the server's site Key.
type Captcha struct {
	_           noEq
	Seq         int
	Script, Key string
}

// Popup opens the homeserver's fallback page URL in a popup (from the
// click that asked for it); an "authDone" from one of Origins ends the
// stage of Session.
type Popup struct {
	_       noEq
	URL     string
	Origins []string
	Session string
}

// Navigate sends the browser to an http(s) URL.
type Navigate struct {
	_   noEq
	URL string
}

func (Send) effect()      {}
func (Abort) effect()     {}
func (Schedule) effect()  {}
func (Save) effect()      {}
func (Forget) effect()    {}
func (Broadcast) effect() {}
func (Notify) effect()    {}
func (Focus) effect()     {}
func (Claim) effect()     {}
func (Release) effect()   {}
func (Captcha) effect()   {}
func (Popup) effect()     {}
func (Navigate) effect()  {}

// Request is one call to a server, carried out by [Do].
type Request interface {
	// Timeout bounds the call.
	Timeout() time.Duration
}

// Register is POST /_matrix/client/v3/register.
type Register struct {
	_     noEq
	Base  string
	Kind  matrix.Kind
	Body  *matrix.RegisterRequest
	Limit time.Duration
}

// EmailToken is POST /_matrix/client/v3/register/email/requestToken.
type EmailToken struct {
	_    noEq
	Base string
	Body *matrix.RequestTokenRequest
}

// PhoneToken is POST /_matrix/client/v3/register/msisdn/requestToken.
type PhoneToken struct {
	_    noEq
	Base string
	Body *matrix.RequestTokenRequest
}

// SubmitCode sends the code the user received to the server's
// submit_url.
type SubmitCode struct {
	_                      noEq
	Base                   string
	URL, SID, Secret, Code string
}

// Available is GET /_matrix/client/v3/register/available.
type Available struct {
	_          noEq
	Base, Name string
}

// Policy is GET /_matrix/client/v3/password_policy.
type Policy struct{ Base string }

// Discover resolves what the user picked (a server name through
// .well-known, or a base URL) into a homeserver.
type Discover struct {
	_     noEq
	Input string
}

// Metadata asks whether the server delegates accounts to an OAuth 2.0
// server (GET /_matrix/client/v1/auth_metadata).
type Metadata struct {
	_    noEq
	Base string
	// Where is the endpoint the server's /versions points to.
	Where matrix.AuthPath
}

// HandOff asks for a one-time login token for a client (get_token, with
// the password for its User-Interactive Authentication), then logs the
// widget's own device out. Password goes to the homeserver only.
type HandOff struct {
	_                                   noEq
	Base, AccessToken, UserID, Password string
}

// Timeouts of each kind of request. The first /register of a submit
// gets less: a server that does not answer it is said to be "not
// answering" soon, not after a minute.
const (
	firstTimeout    = 20 * time.Second
	registerTimeout = time.Minute
	tokenTimeout    = 30 * time.Second
	checkTimeout    = 15 * time.Second
	discoverTimeout = 20 * time.Second
)

// Timeout implements Request.
func (r Register) Timeout() time.Duration {
	if r.Limit > 0 {
		return r.Limit
	}
	return registerTimeout
}

// Timeout implements Request.
func (EmailToken) Timeout() time.Duration { return tokenTimeout }

// Timeout implements Request.
func (PhoneToken) Timeout() time.Duration { return tokenTimeout }

// Timeout implements Request.
func (SubmitCode) Timeout() time.Duration { return tokenTimeout }

// Timeout implements Request.
func (Available) Timeout() time.Duration { return checkTimeout }

// Timeout implements Request.
func (Discover) Timeout() time.Duration { return discoverTimeout }

// Timeout implements Request.
func (Metadata) Timeout() time.Duration { return checkTimeout }

// Timeout implements Request.
func (HandOff) Timeout() time.Duration { return checkTimeout }

// Timeout implements Request.
func (Policy) Timeout() time.Duration { return checkTimeout }
