package registration

import (
	"strings"

	"signup/app/matrix"
)

// start begins the conversation once the page is live: the saved
// progress, the email link's landing, the page's homeserver, the
// delegation check, and the check of a username typed before.
func (e *Engine) start(s Start) {
	if e.started {
		return
	}
	e.started = true
	e.pageURL = s.PageURL
	e.hidden = s.Hidden
	e.embedded, e.callbackURL = s.Embedded, s.CallbackURL
	if e.landing(s) {
		return
	}
	if e.restore(s.Saved) {
		if !e.confirmedLanding() {
			e.resume()
		}
		return
	}
	e.username, e.password, e.confirm = s.Username, s.Password, s.Confirm
	if e.confirmedLanding() {
		return
	}
	if !e.followPageHomeserver() {
		e.checkDelegation()
	}
	e.checkName(true)
}

// pastedID understands a full Matrix ID typed or pasted as the username:
// on this homeserver its localpart is the username; on another, the
// user is told where this page makes accounts, with the localpart
// offered.
func (e *Engine) pastedID() {
	id, err := matrix.ParseUserID(strings.TrimSpace(e.username))
	if err != nil {
		return
	}
	if e.hs.ServerName == "" || strings.EqualFold(id.ServerName, e.hs.ServerName) {
		e.username = id.Localpart
		return
	}
	e.userErr = msg("username.elsewhere", id.ServerName, e.serverName())
	e.userFix = id.Localpart
}

// typed applies new text in an input; errors about it go.
func (e *Engine) typed(t Typed) {
	v := t.Value
	switch t.Field {
	case FieldUsername:
		e.username, e.userErr, e.userFix = v, Msg{}, ""
		e.pastedID()
		e.checkName(false)
	case FieldPassword:
		e.password, e.passErr = v, Msg{}
		if e.confirmErr.Key != "" && e.password == e.confirm {
			e.confirmErr = Msg{}
		}
	case FieldConfirm:
		e.confirm = v
		if e.confirmErr.Key != "" && e.password == e.confirm {
			e.confirmErr = Msg{}
		}
	case FieldEmail:
		e.mail.address, e.mail.err = v, Msg{}
	case FieldCountry:
		e.phone.country = v
	case FieldPhone:
		e.phone.number, e.phone.err = v, Msg{}
	case FieldCode:
		e.phone.code, e.phone.err = v, Msg{}
	case FieldToken:
		e.tok.value, e.tok.err = v, Msg{}
	case FieldServer:
		e.picker.custom, e.picker.err = v, Msg{}
	case FieldPasswordAgain:
		e.mail.again = v
	}
}

func (e *Engine) act(a Action) {
	switch a {
	case Submit:
		e.submit()
	case Guest:
		e.guestSignUp()
	case Back:
		e.back()
	case UseSuggestion:
		s := e.userFix
		if s == "" {
			s = matrix.ValidateLocalpart(e.username, e.hs.ServerName).Suggestion
		}
		if s != "" {
			e.username, e.userErr, e.userFix = s, Msg{}, ""
			e.checkName(false)
			e.focus("username")
		}
	case TermsContinue:
		e.termsContinue()
	case TokenContinue:
		e.tokenContinue()
	case EmailSend:
		e.emailSend()
	case EmailResend:
		e.emailResend()
	case EmailOther:
		e.emailOther()
	case PasswordAgain:
		e.passwordAgain()
	case PhoneSend:
		e.phoneSend()
	case CodeVerify:
		e.codeVerify()
	case FallbackOpen:
		e.openFallback()
	case FallbackDone:
		e.completeOutOfBand()
	case PickerOpen:
		e.pickerOpen()
	case PickerKeep:
		e.pickerKeep()
	case PickerCustom:
		e.pickCustom()
	case Cancel:
		e.stopWaiting()
	case OAuthContinue:
		e.oauthStart()
	case OAuthCancel:
		e.oauthCancel()
	}
}

// due is the end of a wait.
func (e *Engine) due(d Due) {
	switch d.Timer {
	case TimerPoll:
		e.poll(d.Seq)
	case TimerTick:
		if d.Seq == e.wait.seq {
			e.tick()
		}
	case TimerCheck:
		e.checkDue(d.Seq)
	case TimerRedirect:
		if e.screen == ScreenDone && e.done.redirecting {
			e.emit(Navigate{URL: e.set.Operator.After.Redirect})
		}
	}
}
