package registration

import (
	"encoding/json"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// Progress is what survives a reload of the tab (sessionStorage): the
// UIAA session and the email validation. It has no field for the
// password.
type Progress struct {
	Homeserver string            `json:"hs"`
	ServerName string            `json:"server_name,omitempty"`
	Username   string            `json:"username"`
	Auth       *matrix.AuthInfo  `json:"auth"`
	Stages     []matrix.AuthType `json:"stages"`
	Prefer     matrix.AuthType   `json:"prefer,omitempty"`
	Email      string            `json:"email,omitempty"`
	Secret     string            `json:"secret,omitempty"`
	SID        string            `json:"sid,omitempty"`
	Nonce      string            `json:"nonce,omitempty"`
	Attempt    int               `json:"attempt,omitempty"`
}

// ProgressKey names the tab's saved progress in sessionStorage.
const ProgressKey = "signup.progress"

// saveProgress writes the progress of a live session.
func (e *Engine) saveProgress() {
	if e.auth == nil {
		return
	}
	e.emit(Save{Progress: Progress{
		Homeserver: e.hs.BaseURL, ServerName: e.hs.ServerName, Username: e.username,
		Auth: e.auth, Stages: e.plan.Stages, Prefer: e.prefer,
		Email: e.mail.address, Secret: e.mail.secret, SID: e.mail.sid,
		Nonce: e.mail.nonce, Attempt: e.mail.attempt,
	}})
}

// restore reads saved progress back after a reload. It reports whether
// there was any that may resume: on a server the user could have picked,
// with a session and a flow not yet done.
func (e *Engine) restore(raw string) bool {
	if raw == "" {
		return false
	}
	var p Progress
	if err := json.Unmarshal([]byte(raw), &p); err != nil || p.Auth == nil || p.Auth.Session == "" ||
		!e.knownHomeserver(p.Homeserver) {
		e.emit(Forget{})
		return false
	}
	plan, err := uiaa.Widget.Choose(p.Auth, p.Stages, p.Prefer)
	if err != nil || plan.Done() {
		e.emit(Forget{})
		return false
	}
	e.username, e.auth, e.plan, e.prefer = p.Username, p.Auth, plan, p.Prefer
	e.keyless, e.restoredUser = true, p.Username
	if p.Homeserver != e.hs.BaseURL {
		e.hs = matrix.Homeserver{BaseURL: p.Homeserver, ServerName: p.ServerName}
	}
	e.mail = mailState{address: p.Email, secret: p.Secret, sid: p.SID, nonce: p.Nonce, attempt: p.Attempt}
	return true
}

// resume shows where the restored session stands: its stage, or, when
// only dummy is left (the password is needed to send it), the form with
// the username kept.
func (e *Engine) resume() {
	if e.plan.Next == matrix.AuthDummy {
		e.screen = ScreenForm
		e.formErr = msg("resume.password")
		e.focus("password")
		return
	}
	e.enterStage(e.plan.Next)
}

// knownHomeserver reports whether saved progress may resume on base: the
// configured homeserver, or one the user could have picked.
func (e *Engine) knownHomeserver(base string) bool {
	h := e.set.Operator.Homeserver
	if base == e.set.Homeserver.BaseURL || h.AllowCustom {
		return matrix.IsWebURL(base)
	}
	for _, c := range h.Choices {
		if canonBase(c.URL) == canonBase(base) && base != "" {
			return true
		}
	}
	return false
}
