package registration

import (
	"strconv"
	"strings"
	"time"

	"signup/app/config"
	"signup/app/matrix"
	"signup/app/strength"
	"signup/app/uiaa"
)

// Msg is a message for the user: a catalogue key with its arguments, and
// the server's own words (untrusted, shown as a detail under ours).
type Msg struct {
	Key    string
	Args   []any
	Detail string
	// Then is a sentence that follows (such as "Capitals are not
	// allowed either.").
	Then *Msg
}

func msg(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// View is what the UI draws.
type View struct {
	Screen     Screen
	Homeserver matrix.Homeserver
	// Busy: a /register the user waits for is in flight.
	Busy bool
	// WaitLeft is the whole seconds the server asked to wait; Announce
	// the seconds to tell a screen reader now (0 between announcements).
	WaitLeft, Announce int
	// Retryable: the form-level error goes away with a retry.
	Retryable bool
	// FormError is the form-level alert; Contact the operator's contact
	// link for it (registration closed).
	FormError Msg
	Contact   string
	Form      FormView
	Stage     StageView
	Picker    PickerView
	OAuth     OAuthView
	SSO       SSOView
	Done      DoneView
}

// FormView is the registration form.
type FormView struct {
	Username, Password, Confirm string
	// UserStatus is the live line under the username ("alice is
	// available"); UserError its problem; Suggestion a name to offer
	// instead (the lowercase form); Preview the full user ID.
	UserStatus, UserError Msg
	Suggestion, Preview   string
	PassError, ConfirmErr Msg
	// Strength is the password's score (0 to 4, -1 when empty) and
	// PassAdvice the one thing to do next: the first rule of the
	// server's policy it misses, else the estimator's advice. Neither
	// shows while PassError does.
	Strength   int
	PassAdvice Msg
}

// StageView is the UIAA stage on show.
type StageView struct {
	Stage matrix.AuthType
	// Step of Steps counts the stages the user sees (not dummy).
	Step, Steps int
	// Key changes when the stage's screen does (a new subtree).
	Key          string
	Error        Msg
	Alternatives []matrix.AuthType
	Terms        TermsView
	Token        TokenView
	Email        EmailView
	Phone        PhoneView
	// CaptchaBlocked: the reCAPTCHA script could not load, or the
	// operator turned reCAPTCHA off; the fallback page stands in.
	CaptchaBlocked bool
	// FallbackURL is the stage's page on the homeserver; PopupOpen
	// that it is open in a popup.
	FallbackURL string
	PopupOpen   bool
}

// TermsView is the terms stage.
type TermsView struct {
	Policies []uiaa.Policy
	Accepted map[string]bool
	Bad, All bool
}

// TokenView is the registration token stage.
type TokenView struct {
	Value string
	Error Msg
}

// EmailView is the email stage.
type EmailView struct {
	Address       string
	Error, Status Msg
	// Sent: the server has sent (or would send) the link, and the widget
	// polls.
	Sent, Sending, Offline, Elsewhere bool
	// NeedPassword: the password was lost with a reload; polling waits
	// for it.
	NeedPassword bool
}

// PhoneView is the phone stage.
type PhoneView struct {
	Country, Number, Code string
	Error                 Msg
	// Sent: a code is on its way; Waiting: the server validates the
	// number itself (no code to type).
	Sent, Waiting, Sending bool
}

// PickerView is the homeserver picker.
type PickerView struct {
	Pickable, Open, AllowCustom bool
	// Current names the server accounts are made on.
	Current  string
	Choices  []config.Choice
	Custom   string
	Error    Msg
	Checking bool
	// Unlisted and Ignored name a server the page URL asked for.
	Unlisted, Ignored string
}

// DoneView is the welcome panel.
type DoneView struct {
	UserID                        string
	Guest, Elsewhere, Redirecting bool
	LoginToken                    string
}

// View returns what to draw at time now.
func (e *Engine) View(now time.Time) View {
	v := View{
		Screen: e.screen, Homeserver: e.hs, Busy: e.busy(),
		WaitLeft: e.wait.left(now), Announce: e.wait.announced(now),
		Retryable: e.retryable, FormError: e.formErr, Contact: e.contact,
		OAuth: e.oauth.view, SSO: e.ssoView(),
	}
	v.Form = e.formView()
	v.Picker = PickerView{
		Pickable: e.pickable(), Open: e.picker.open, AllowCustom: e.set.Operator.Homeserver.AllowCustom,
		Current: e.serverName(), Choices: e.choices(), Custom: e.picker.custom, Error: e.picker.err,
		Checking: e.picker.checking, Unlisted: e.picker.unlisted, Ignored: e.picker.ignored,
	}
	if e.screen == ScreenStage && e.auth == nil {
		// Between sessions: the form, never a stage without one.
		v.Screen = ScreenForm
	}
	if v.Screen == ScreenStage {
		v.Stage = e.stageView()
	}
	if e.done.result != nil {
		v.Done.UserID = e.done.result.UserID
	}
	v.Done.Guest, v.Done.Elsewhere = e.guest, e.done.elsewhere
	v.Done.Redirecting, v.Done.LoginToken = e.done.redirecting, e.done.loginToken
	return v
}

func (e *Engine) formView() FormView {
	f := FormView{Username: e.username, Password: e.password, Confirm: e.confirm,
		PassError: e.passErr, ConfirmErr: e.confirmErr}
	f.UserStatus, f.UserError, f.Suggestion = e.usernameStatus()
	f.Strength, f.PassAdvice = -1, Msg{}
	if e.password != "" {
		est := strength.Estimate(e.password, e.username)
		f.Strength = est.Score
		if m := e.passwordProblem(); m.Key != "" {
			f.PassAdvice = m
		} else if len(est.Advice) > 0 {
			f.PassAdvice = msg(string(est.Advice[0]))
		}
	}
	if e.hs.ServerName != "" && e.username != "" && f.UserError.Key == "" {
		f.Preview = matrix.PreviewUserID(e.username, e.hs.ServerName)
	}
	return f
}

// usernameStatus returns the live status line and the error of the
// username field, from the local grammar and the server's answer.
func (e *Engine) usernameStatus() (status, problem Msg, suggestion string) {
	if e.userErr.Key != "" {
		return Msg{}, e.userErr, e.userFix
	}
	if e.username == "" {
		return
	}
	check := matrix.ValidateLocalpart(e.username, e.hs.ServerName)
	switch check.Problem {
	case matrix.LocalpartUppercase:
		return Msg{}, msg("username.upper", check.Suggestion), check.Suggestion
	case matrix.LocalpartInvalidChars:
		m := msg("username.chars", QuoteRunes(check.Invalid))
		if others := strings.ReplaceAll(check.Invalid, " ", ""); others != check.Invalid {
			// Name the space: a quoted blank reads as nothing.
			m = msg("username.space")
			if others != "" {
				m = msg("username.space.chars", QuoteRunes(others))
			}
		}
		if check.Upper {
			m.Then = &Msg{Key: "username.upper.too"}
		}
		return Msg{}, m, check.Suggestion
	case matrix.LocalpartTooLong:
		return Msg{}, msg("username.long", check.Limit), ""
	}
	if e.names.current.name != e.username {
		return
	}
	switch e.names.current.state {
	case nameChecking:
		return msg("username.checking", e.username), Msg{}, ""
	case nameFree:
		return msg("username.available", e.username), Msg{}, ""
	case nameTaken:
		return Msg{}, msg("username.taken"), ""
	case nameInvalid:
		return Msg{}, msg("username.invalid"), ""
	case nameExclusive:
		return Msg{}, msg("username.exclusive"), ""
	}
	return
}

// QuoteRunes lists characters for a message: "A", " ", "!" as “A”, “ ”,
// “!”.
func QuoteRunes(s string) string {
	out := ""
	for _, r := range s {
		if out != "" {
			out += " "
		}
		out += "“" + string(r) + "”"
	}
	return out
}

func (e *Engine) stageView() StageView {
	s := StageView{Stage: e.plan.Next, Error: e.stageErr}
	if s.Error.Key == "" {
		s.Error = e.formErr
	}
	s.Step, s.Steps = visibleStep(e.plan)
	s.Alternatives = uiaa.Widget.Alternatives(e.auth, e.plan.Stages)
	s.Key = string(s.Stage)
	switch s.Stage {
	case matrix.AuthTerms:
		s.Terms = TermsView{Policies: e.terms.policies, Accepted: e.terms.accepted, Bad: e.terms.bad, All: e.terms.all()}
	case matrix.AuthRegistrationToken:
		s.Token = TokenView{Value: e.tok.value, Error: e.tok.err}
	case matrix.AuthEmail:
		m := e.mail
		s.Email = EmailView{Address: m.address, Error: m.err, Status: m.status, Sent: m.sid != "",
			Sending: m.sending, Offline: m.offline, Elsewhere: m.elsewhere, NeedPassword: e.password == ""}
		if s.Email.Sent {
			s.Key += "/sent"
		}
	case matrix.AuthMSISDN:
		p := e.phone
		s.Phone = PhoneView{Country: p.country, Number: p.number, Code: p.code, Error: p.err,
			Sent: p.sid != "", Waiting: e.validating(matrix.AuthMSISDN), Sending: p.sending}
		if s.Phone.Sent {
			s.Key += "/code"
		}
	case matrix.AuthRecaptcha:
		s.CaptchaBlocked = e.captcha.blocked
		if s.CaptchaBlocked {
			s.Key += "/blocked"
		}
	}
	if !uiaa.Draws(s.Stage) || s.Stage == matrix.AuthDummy || s.CaptchaBlocked || s.Terms.Bad {
		s.FallbackURL = uiaa.FallbackURL(e.hs.BaseURL, s.Stage, e.auth.Session)
		s.PopupOpen = e.fallback
	}
	return s
}

// visibleStep counts the stages the user sees (dummy is invisible).
func visibleStep(p uiaa.Plan) (step, total int) {
	for i, s := range p.Stages {
		if s == matrix.AuthDummy {
			continue
		}
		total++
		if i <= p.Step-1 {
			step++
		}
	}
	return max(step, 1), total
}

// PolicyBoxID is the element ID of the i-th policy's checkbox.
func PolicyBoxID(policy string, i int) string {
	return "policy-" + Slug(policy) + "-" + strconv.Itoa(i)
}

// Slug makes an element ID from a stage type or a name.
func Slug(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s) && len(out) < 40; i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			out = append(out, c)
		} else {
			out = append(out, '-')
		}
	}
	return string(out)
}
