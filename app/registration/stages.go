package registration

import (
	"strings"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// termsState is the m.login.terms stage: the policies in the user's
// language and which boxes are ticked.
type termsState struct {
	policies []uiaa.Policy
	accepted map[string]bool
	bad      bool
}

func (t termsState) all() bool {
	if len(t.policies) == 0 {
		return false
	}
	for _, p := range t.policies {
		if !t.accepted[p.ID] {
			return false
		}
	}
	return true
}

// tokenState is the m.login.registration_token stage.
type tokenState struct {
	value string
	err   Msg
}

// captchaState is the m.login.recaptcha stage.
type captchaState struct {
	seq     int
	blocked bool
}

// maxTokenLength is the spec's bound on registration tokens.
const maxTokenLength = 64

// stageFocus is where the focus goes when a stage appears.
var stageFocus = map[matrix.AuthType]string{
	matrix.AuthRegistrationToken: "token",
	matrix.AuthEmail:             "email",
	matrix.AuthMSISDN:            "country",
}

// enterStage shows a stage: its input is asked for only now that the
// stage is reached (no email is sent before the stages before it pass).
func (e *Engine) enterStage(s matrix.AuthType) {
	fresh := e.shown != s || e.screen != ScreenStage
	if fresh {
		e.leave()
		e.stageErr = Msg{}
	}
	e.shown = s
	e.screen = ScreenStage
	switch s {
	case matrix.AuthTerms:
		if fresh {
			ps, err := uiaa.Policies(e.auth, e.set.Languages)
			e.terms = termsState{policies: ps, accepted: map[string]bool{}, bad: err != nil}
		}
	case matrix.AuthRegistrationToken:
		if t, ok := TokenFromPage(e.pageURL); fresh && ok && e.tok.value == "" {
			e.tok.value = t
		}
	case matrix.AuthEmail, matrix.AuthMSISDN:
		if e.validating(s) {
			e.schedulePoll(false)
		}
	case matrix.AuthRecaptcha:
		e.startCaptcha()
	}
	if !fresh {
		return
	}
	focus := "stage-title"
	if f, ok := stageFocus[s]; ok && !e.validating(s) && !(s == matrix.AuthMSISDN && e.phone.sid != "") {
		focus = f
	}
	if s == matrix.AuthMSISDN && e.phone.sid != "" && e.phone.submit != "" {
		focus = "code"
	}
	if s == matrix.AuthTerms && !e.terms.bad && len(e.terms.policies) > 0 {
		focus = PolicyBoxID(e.terms.policies[0].ID, 0)
	}
	e.focus(focus)
	e.emit(Notify{Event: "signup:stage", Detail: map[string]string{"stage": string(s)}})
}

// leave ends the visit of a screen: answers to what it asked (a token
// check, an email or SMS request) no longer apply.
func (e *Engine) leave() {
	e.visit++
	e.mail.sending, e.phone.sending = false, false
	e.fallback = false
}

// stopStages ends the stages' background work (polling, the lock).
func (e *Engine) stopStages() {
	e.leave()
	e.mail.pollSeq++
	e.releaseClaim()
}

// onStage reports whether stage s is on screen and waits for input.
func (e *Engine) onStage(s matrix.AuthType) bool {
	return e.screen == ScreenStage && e.auth != nil && e.plan.Next == s
}

// back returns to the form, keeping the session and what was typed.
func (e *Engine) back() {
	if e.screen != ScreenStage {
		return
	}
	e.toForm()
	e.focus("username")
}

// switchFlow follows another flow, one that contains stage s.
func (e *Engine) switchFlow(s matrix.AuthType) {
	if e.screen != ScreenStage || e.auth == nil || e.busy() {
		return
	}
	if e.deferTill(SwitchFlow{Stage: s}) {
		return
	}
	plan, err := uiaa.Widget.Choose(e.auth, nil, s)
	if err != nil {
		return
	}
	e.prefer, e.plan = s, plan
	e.stopStages()
	e.saveProgress()
	if plan.Next == matrix.AuthDummy || plan.Done() {
		e.sendRegister(uiaa.Dummy(e.auth.Session), false)
		return
	}
	e.enterStage(plan.Next)
}

// accept ticks a policy's box.
func (e *Engine) accept(a Accept) {
	if !e.onStage(matrix.AuthTerms) || e.terms.accepted == nil {
		return
	}
	e.terms.accepted[a.Policy] = a.Accepted
}

func (e *Engine) termsContinue() {
	if !e.onStage(matrix.AuthTerms) || e.busy() || e.waiting() || !e.terms.all() {
		return
	}
	if e.deferTill(Act{Action: TermsContinue}) {
		return
	}
	e.stageErr = Msg{}
	e.sendRegister(uiaa.TermsAuth(e.auth.Session), false)
}

// tokenContinue checks the token with the validity endpoint where the
// server offers it (a 404 or M_UNRECOGNIZED skips the check), then
// submits {type, token, session}.
func (e *Engine) tokenContinue() {
	tok := strings.TrimSpace(e.tok.value)
	if !e.onStage(matrix.AuthRegistrationToken) || e.busy() || e.waiting() {
		return
	}
	if tok == "" || len(tok) > maxTokenLength {
		e.tok.err = msg("token.empty")
		if tok != "" {
			e.tok.err = msg("token.invalid")
		}
		e.focus("token")
		return
	}
	// Straight to /register: the stage itself says whether the token is
	// valid (a 401 comes back to the field as "not valid"), so asking the
	// validity endpoint first would only cost a round trip.
	e.tok.err = Msg{}
	e.formErr, e.retryable = Msg{}, false // the retry answers the last failure
	e.submitStage(uiaa.RegistrationToken(e.auth.Session, tok), Act{Action: TokenContinue})
}

// submitStage sends a stage's auth dict, or, while an email poll is in
// flight, does again when it is answered what led here.
func (e *Engine) submitStage(auth *matrix.AuthDict, again Event) {
	if e.reg != 0 {
		e.deferred = again
		return
	}
	e.sendRegister(auth, false)
}

// sendLocal sends a request that belongs to the screen on show: its
// answer is dropped once the user has left it.
func (e *Engine) sendLocal(req Request) {
	e.send(req, pending{local: true})
}

// startCaptcha draws the reCAPTCHA widget with the operator's script; a
// server without a site key, or reCAPTCHA turned off by the operator,
// turns the stage into the fallback page.
func (e *Engine) startCaptcha() {
	e.captcha.seq++
	key := recaptchaKey(e.auth)
	if e.set.RecaptchaScript == "" || key == "" {
		e.captcha.blocked = true
		return
	}
	e.captcha.blocked = false
	e.emit(Captcha{Seq: e.captcha.seq, Script: e.set.RecaptchaScript, Key: key})
}

// recaptchaKey reads params["m.login.recaptcha"].public_key.
func recaptchaKey(a *matrix.AuthInfo) string {
	var p struct {
		PublicKey string `json:"public_key"`
	}
	if a == nil {
		return ""
	}
	if ok, err := a.Param(matrix.AuthRecaptcha, &p); !ok || err != nil {
		return ""
	}
	return p.PublicKey
}

func (e *Engine) captchaSolved(c CaptchaSolved) {
	if c.Seq != e.captcha.seq || !e.onStage(matrix.AuthRecaptcha) || e.busy() || c.Token == "" {
		return
	}
	e.stageErr = Msg{}
	e.submitStage(uiaa.Recaptcha(e.auth.Session, c.Token), nil)
}

// openFallback opens the stage's fallback page in a popup (from the
// click): its "authDone" finishes the stage.
func (e *Engine) openFallback() {
	if e.screen != ScreenStage || e.auth == nil {
		return
	}
	href := uiaa.FallbackURL(e.hs.BaseURL, e.plan.Next, e.auth.Session)
	e.emit(Popup{URL: href, Origins: fallbackOrigins(href, e.set.Operator.Homeserver.TrustedOrigins), Session: e.auth.Session})
}

// completeOutOfBand resubmits {session} alone after the fallback page.
func (e *Engine) completeOutOfBand() {
	if e.screen != ScreenStage || e.busy() || e.waiting() || e.auth == nil {
		return
	}
	if e.deferTill(Act{Action: FallbackDone}) {
		return
	}
	e.formErr, e.stageErr = Msg{}, Msg{}
	e.autoSteps = 0
	e.fallback = false
	e.sendRegister(uiaa.OutOfBand(e.auth.Session), false)
}
