package registration

import "signup/app/matrix"

// Event is something that happened: a user action, a server answer, a
// timer, a message from another tab. Feed it to [Engine.Handle].
type Event interface{ event() }

// Start is the component's mount in the browser: what the page knows
// before the first request.
type Start struct {
	_ noEq
	// Prefill is what the user typed into the pre-rendered form before
	// the app took over.
	Username, Password, Confirm string
	// PageURL is the page's address (for ?token=, ?homeserver=,
	// ?email_confirmed= and the email's next_link).
	PageURL string
	// Saved is the tab's saved progress ("" when none).
	Saved string
	// Hidden reports whether the tab is hidden at start.
	Hidden bool
	// Flow is the tab's saved [Flow] ("" when none).
	Flow string
	// Embedded: the page is in an iframe, where the flows on other pages
	// run in a popup that comes back to CallbackURL (web/callback.html,
	// a page without Cross-Origin-Opener-Policy, so that it keeps its
	// opener).
	Embedded    bool
	CallbackURL string
}

// Field names an input the user types into.
type Field int

// The inputs.
const (
	FieldUsername Field = iota
	FieldPassword
	FieldConfirm
	FieldEmail
	FieldCountry
	FieldPhone
	FieldCode
	FieldToken
	FieldServer        // the custom homeserver in the picker
	FieldPasswordAgain // the password, asked again after a reload
)

// Typed is new text in an input.
type Typed struct {
	_     noEq
	Field Field
	Value string
}

// Action is a button or a form submit.
type Action int

// The actions.
const (
	Submit        Action = iota // the registration form
	Guest                       // "Continue as guest"
	Back                        // from a stage to the form
	UseSuggestion               // "Use alice" for "Alice"
	TermsContinue               // the terms stage
	TokenContinue               // the registration token stage
	EmailSend                   // send the validation email
	EmailResend                 // send it again
	EmailOther                  // "Use a different address"
	PasswordAgain               // the password asked again after a reload
	PhoneSend                   // send the code by SMS
	CodeVerify                  // submit the code
	FallbackOpen                // open the homeserver's page in a popup
	FallbackDone                // "I've finished"
	PickerOpen                  // "Change" the homeserver
	PickerKeep                  // keep the current homeserver
	PickerCustom                // use the typed homeserver
	Cancel                      // stop waiting for the /register in flight
	OAuthContinue               // sign up on the OAuth server's page
	OAuthCancel                 // stop waiting for the sign-up window
)

// Act is the user's action.
type Act struct {
	_      noEq
	Action Action
}

// Accept ticks (or unticks) the box of a terms policy.
type Accept struct {
	_        noEq
	Policy   string
	Accepted bool
}

// SwitchFlow follows another flow, one that has Stage ("Use an email
// address instead").
type SwitchFlow struct {
	_     noEq
	Stage matrix.AuthType
}

// Pick is a click on the i-th homeserver of the picker (see
// [PickerView.Choices]).
type Pick struct {
	_     noEq
	Index int
}

// Answer is the result of the request [Send] numbered Seq: Value is what
// [Do] returns for it. Offline is the browser's belief, read when the
// request failed.
type Answer struct {
	_       noEq
	Seq     int
	Value   any
	Err     error
	Offline bool
}

// Due is the end of the wait [Schedule] asked for.
type Due struct {
	_     noEq
	Timer Timer
	Seq   int
}

// Visibility is the tab becoming hidden or visible again.
type Visibility struct {
	_      noEq
	Hidden bool
}

// TabMessage is a message from another tab of the widget ([Broadcast]).
type TabMessage struct {
	_   noEq
	Msg string
}

// Claimed is the answer to [Claim]: OK when this tab now holds the lock,
// Err when the browser did not answer (neither may be assumed then).
type Claimed struct {
	_   noEq
	Seq int
	Key string
	OK  bool
	Err bool
}

// CaptchaSolved is a response from the reCAPTCHA widget [Captcha] drew.
type CaptchaSolved struct {
	_     noEq
	Seq   int
	Token string
}

// CaptchaFailed is a reCAPTCHA script that could not load.
type CaptchaFailed struct {
	_   noEq
	Seq int
}

// PopupOpened tells whether the browser opened the [Popup] (false: it
// blocked it).
type PopupOpened struct {
	_  noEq
	OK bool
}

// AuthDone is the "authDone" message of the fallback page the popup of
// Session showed.
type AuthDone struct {
	_       noEq
	Session string
}

func (Start) event()         {}
func (Typed) event()         {}
func (Act) event()           {}
func (Accept) event()        {}
func (SwitchFlow) event()    {}
func (Pick) event()          {}
func (Answer) event()        {}
func (Due) event()           {}
func (Visibility) event()    {}
func (TabMessage) event()    {}
func (Claimed) event()       {}
func (CaptchaSolved) event() {}
func (CaptchaFailed) event() {}
func (PopupOpened) event()   {}
func (AuthDone) event()      {}

// noEq makes a type not comparable, so that the compiler writes no
// equality function for it (events and effects are never compared; each
// such function costs the WASM bytes).
type noEq [0]func()
