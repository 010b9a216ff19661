package ui

import (
	"encoding/json"
	"strings"

	"signup/app/matrix"
)

// progressKey names the tab's saved progress in sessionStorage.
const progressKey = "signup.progress"

// progress is what survives a reload of the tab: the UIAA session and the
// email validation session. Never the password.
type progress struct {
	Homeserver string           `json:"hs"`
	ServerName string           `json:"server_name,omitempty"`
	Username   string           `json:"username"`
	Auth       *matrix.AuthInfo `json:"auth"`
	Stages     []string         `json:"stages"`
	Prefer     string           `json:"prefer,omitempty"`
	Email      string           `json:"email,omitempty"`
	Secret     string           `json:"secret,omitempty"`
	SID        string           `json:"sid,omitempty"`
	Nonce      string           `json:"nonce,omitempty"`
	Attempt    int              `json:"attempt,omitempty"`
}

// saveProgress writes the progress of a live session to sessionStorage.
func (r *Register) saveProgress() {
	if r.Services == nil || r.Services.Store == nil || r.auth == nil {
		return
	}
	b, err := json.Marshal(progress{
		Homeserver: r.hs.BaseURL, ServerName: r.hs.ServerName, Username: r.username,
		Auth: r.auth, Stages: r.plan.Stages, Prefer: r.prefer,
		Email: r.mail.address, Secret: r.mail.secret, SID: r.mail.sid,
		Nonce: r.mail.nonce, Attempt: r.mail.attempt,
	})
	if err == nil {
		r.Services.Store.Set(progressKey, string(b))
	}
}

// clearProgress forgets the saved progress (success, or a new session).
func (r *Register) clearProgress() {
	if r.Services != nil && r.Services.Store != nil {
		r.Services.Store.Remove(progressKey)
	}
}

// restoreProgress reads saved progress back after a reload; the stage is
// shown when the component mounts. It reports whether there was any.
func (r *Register) restoreProgress() bool {
	if r.Services == nil || r.Services.Store == nil {
		return false
	}
	raw, ok := r.Services.Store.Get(progressKey)
	if !ok {
		return false
	}
	var p progress
	if err := json.Unmarshal([]byte(raw), &p); err != nil || p.Auth == nil ||
		!r.knownHomeserver(p.Homeserver) || p.Auth.Session == "" {
		r.clearProgress()
		return false
	}
	plan, err := chooser.Choose(p.Auth, p.Stages, p.Prefer)
	if err != nil || plan.Done() {
		r.clearProgress()
		return false
	}
	r.username, r.auth, r.plan, r.prefer = p.Username, p.Auth, plan, p.Prefer
	if p.Homeserver != r.hs.BaseURL {
		r.hs = matrix.Homeserver{BaseURL: p.Homeserver, ServerName: p.ServerName}
	}
	r.mail = mailState{address: p.Email, secret: p.Secret, sid: p.SID, nonce: p.Nonce, attempt: p.Attempt}
	r.restored = true
	return true
}

// knownHomeserver reports whether saved progress may resume on base: the
// configured homeserver, or one the user could have picked.
func (r *Register) knownHomeserver(base string) bool {
	h := r.Config.Operator.Homeserver
	if base == r.Config.HomeserverURL || h.AllowCustom {
		return matrix.IsWebURL(base)
	}
	for _, c := range h.Choices {
		if strings.TrimRight(c.URL, "/") == base {
			return true
		}
	}
	return false
}
