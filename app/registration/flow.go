package registration

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"time"
)

// Flow is a sign-up the user continues on another page: the OAuth 2.0
// authorization code flow, or an SSO redirect. It lives in the tab's
// sessionStorage (FlowKey) from the click until the callback is handled,
// and holds no token: the code verifier, state and client ID only, as
// https://spec.matrix.org/v1.16/client-server-api/#authorization-request
// needs them back.
type Flow struct {
	Kind       string `json:"kind"` // FlowOAuth or FlowSSO
	State      string `json:"state"`
	Verifier   string `json:"verifier,omitempty"`
	ClientID   string `json:"client_id,omitempty"`
	Redirect   string `json:"redirect"`
	Token      string `json:"token_endpoint,omitempty"`
	Revocation string `json:"revocation_endpoint,omitempty"`
	Issuer     string `json:"issuer,omitempty"` // the name to show
	Homeserver string `json:"hs"`
	ServerName string `json:"server_name,omitempty"`
	// Popup: the flow runs in a popup, whose callback relays back to
	// the page that opened it (the widget in an iframe).
	Popup   bool  `json:"popup,omitempty"`
	Started int64 `json:"started"`
}

// The kinds of Flow.
const (
	FlowOAuth = "oauth"
	FlowSSO   = "sso"
)

// FlowKey names the saved Flow in sessionStorage.
const FlowKey = "signup.flow"

// flowLifetime is how long a flow may take before its callback is
// refused (an old tab, a link opened much later).
const flowLifetime = time.Hour

// SaveFlow writes the flow in progress to sessionStorage.
type SaveFlow struct {
	_    noEq
	Flow Flow
}

// ForgetFlow removes the saved flow.
type ForgetFlow struct{ _ noEq }

// OpenWindow opens the sign-up window (a popup, from the click that
// asked for it) at URL, about:blank when URL is empty; [WindowOpened]
// answers. Later OpenWindows with Move navigate that window instead.
type OpenWindow struct {
	_    noEq
	URL  string
	Move bool
}

// CloseWindow closes the sign-up window.
type CloseWindow struct{ _ noEq }

// CleanURL replaces the page's address (history.replaceState) with URL:
// the callback's code, state or loginToken leave the address bar.
type CleanURL struct {
	_   noEq
	URL string
}

func (SaveFlow) effect()    {}
func (ForgetFlow) effect()  {}
func (OpenWindow) effect()  {}
func (CloseWindow) effect() {}
func (CleanURL) effect()    {}

// WindowOpened is the answer to [OpenWindow]: OK is false when the
// browser blocked the popup (or the window was closed).
type WindowOpened struct {
	_  noEq
	OK bool
}

// Callback is a callback URL the sign-up window relayed: its callback
// page (web/callback.html) posts its address to the widget that opened
// it, and the runner checked it came from that window, on the widget's
// own origin.
type Callback struct {
	_   noEq
	URL string
}

// ChooseProvider is a click on "Continue with <provider>" (the i-th of
// [SSOView.Providers]).
type ChooseProvider struct {
	_     noEq
	Index int
}

func (WindowOpened) event()   {}
func (Callback) event()       {}
func (ChooseProvider) event() {}

// callbackParams are what a callback URL carries, from its query and its
// fragment (response_mode fragment).
type callbackParams struct {
	state, code, err, desc string
	loginToken, sso        string
}

// ssoParam names the widget's own nonce in an SSO redirect URL.
const ssoParam = "signup_sso"

func parseCallback(page string) (callbackParams, bool) {
	u, err := url.Parse(page)
	if err != nil {
		return callbackParams{}, false
	}
	q := u.Query()
	if f, err := url.ParseQuery(u.Fragment); err == nil && f.Get("state") != "" {
		q = f
	}
	p := callbackParams{state: q.Get("state"), code: q.Get("code"), err: q.Get("error"),
		desc: q.Get("error_description"), loginToken: u.Query().Get("loginToken"), sso: u.Query().Get(ssoParam)}
	if p.sso != "" {
		return p, true
	}
	return p, p.state != "" && (p.code != "" || p.err != "")
}

// pageBase is the page's address without query or fragment: the
// redirect URI of the flows, on the widget's own origin (a static export
// too).
func pageBase(page string) string {
	u, err := url.Parse(page)
	if err != nil || u.Host == "" {
		return ""
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	return u.String()
}

// cleanURL is page without the callback's parameters.
func cleanURL(page string) string {
	u, err := url.Parse(page)
	if err != nil {
		return page
	}
	q := u.Query()
	for _, k := range []string{"state", "code", "error", "error_description", "error_uri", "iss", "loginToken", ssoParam} {
		q.Del(k)
	}
	u.RawQuery, u.Fragment, u.RawFragment = q.Encode(), "", ""
	return u.String()
}

func (e *Engine) random(n int) string {
	r := e.set.Random
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return ""
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var s strings.Builder
	for _, c := range b {
		s.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return s.String()
}

// savedFlow reads the flow saved before this page load, if still fresh.
func (e *Engine) savedFlow(raw string) *Flow {
	if raw == "" {
		return nil
	}
	var f Flow
	if json.Unmarshal([]byte(raw), &f) != nil || f.State == "" ||
		e.now.Sub(time.Unix(f.Started, 0)) > flowLifetime || !e.knownHomeserver(f.Homeserver) {
		return nil
	}
	return &f
}
