package registration

import (
	"net/url"
	"strings"

	"signup/app/config"
	"signup/app/matrix"
)

// pickerState is the homeserver picker: the operator's choices, and a
// typed server when the operator allows custom ones.
type pickerState struct {
	open     bool
	custom   string
	err      Msg
	checking bool
	// unlisted is a server the page URL asked for that the operator does
	// not run (typed into the custom field, waiting for the user's
	// click); ignored is one it asked for while custom servers are off.
	// Each shows a note until the user switches servers.
	unlisted, ignored string
}

// choices lists the servers of the picker: the operator's, and the
// current one when it is not among them (a way back after a pick).
func (e *Engine) choices() []config.Choice {
	list := e.set.Operator.Homeserver.Choices
	for _, c := range list {
		if sameServer(c.URL, e.hs.BaseURL, e.hs.ServerName) {
			return list
		}
	}
	cur := config.Choice{Name: e.serverName(), URL: e.hs.BaseURL, ServerName: e.hs.ServerName}
	return append([]config.Choice{cur}, list...)
}

// serverName is the name to show for the current homeserver.
func (e *Engine) serverName() string {
	if e.hs.ServerName != "" {
		return e.hs.ServerName
	}
	return hostOf(e.hs.BaseURL)
}

// pickable reports whether the user may change the homeserver at all.
func (e *Engine) pickable() bool {
	h := e.set.Operator.Homeserver
	return len(h.Choices) > 0 || h.AllowCustom
}

func (e *Engine) pickerOpen() {
	if !e.pickable() || e.screen != ScreenForm && e.screen != ScreenOAuth {
		return
	}
	e.picker.open = true
	e.focus("server-choices")
}

// picking is the server being resolved.
type picking struct {
	name, label string
	typed       bool // typed into the custom field
}

// pickCustom resolves the server typed into the custom field.
func (e *Engine) pickCustom() {
	if !e.picker.open || !e.set.Operator.Homeserver.AllowCustom {
		return
	}
	in := strings.TrimSpace(e.picker.custom)
	e.resolve(in, "", in, true)
}

func (e *Engine) pickerKeep() {
	e.picker = pickerState{}
	e.focus("server-change")
}

// pick resolves the i-th server of the picker and switches to it.
func (e *Engine) pick(i int) {
	list := e.choices()
	if !e.picker.open || i < 0 || i >= len(list) {
		return
	}
	c := list[i]
	if sameServer(c.URL, e.hs.BaseURL, e.hs.ServerName) {
		e.pickerKeep()
		return
	}
	e.resolve(c.URL, c.ServerName, c.Name, false)
}

// resolve looks up what the user chose (.well-known for a name,
// /versions for a URL) before switching to it.
func (e *Engine) resolve(input, serverName, label string, typed bool) {
	if e.picker.checking || input == "" || e.screen != ScreenForm && e.screen != ScreenOAuth {
		return
	}
	e.picker.checking, e.picker.err = true, Msg{}
	e.resolving = picking{name: serverName, label: label, typed: typed}
	e.send(Discover{Input: input}, pending{})
}

func (e *Engine) discovered(hs matrix.Homeserver, err error) {
	e.picker.checking = false
	if err != nil || hs.BaseURL == "" {
		// Stay on the picker, with the current server listed: the
		// account is not made anywhere the user did not see.
		e.picker.open = true
		e.picker.err = msg("server.bad", e.resolving.label)
		e.focus("server-error")
		if e.resolving.typed {
			e.focus("server-custom")
		}
		return
	}
	if e.resolving.name != "" {
		hs.ServerName = e.resolving.name
	}
	// A typed base URL does not tell the server name: no preview then,
	// rather than a wrong one; the welcome panel shows the user ID the
	// server returns.
	e.switchHomeserver(hs)
}

// switchHomeserver moves the conversation to hs: a new session, a new
// availability check, and the delegation check again.
func (e *Engine) switchHomeserver(hs matrix.Homeserver) {
	e.newSession()
	e.hs = hs
	e.picker = pickerState{}
	e.screen = ScreenForm
	e.oauth, e.sso = oauthState{}, ssoState{}
	e.policy = matrix.PasswordPolicy{}
	e.names = names{}
	e.clearErrors()
	e.checkName(true)
	e.checkDelegation()
	e.focus("username")
}

// checkDelegation asks, once per server, whether it delegates sign-up to
// an OAuth 2.0 server: such servers must not be sent to /register.
func (e *Engine) checkDelegation() {
	e.send(Metadata{Base: e.hs.BaseURL, Where: e.hs.Auth}, pending{})
	e.checkProviders()
	e.send(Policy{Base: e.hs.BaseURL}, pending{})
}

// followPageHomeserver acts on the page's ?homeserver=: a listed choice
// is switched to (it reports true then); another server opens the picker
// with it typed in and a note that the operator does not run it, or,
// without custom servers, leaves a note that it was ignored.
func (e *Engine) followPageHomeserver() bool {
	u, err := url.Parse(e.pageURL)
	if err != nil {
		return false
	}
	v := judgePageServer(e.set.Operator.Homeserver, e.set.Homeserver.BaseURL, e.set.Homeserver.ServerName, u.Query().Get("homeserver"))
	switch v.action {
	case pageTake:
		e.resolve(v.choice.URL, v.choice.ServerName, v.choice.Name, false)
		return true
	case pageAsk:
		e.picker = pickerState{open: true, custom: v.asked, unlisted: v.asked}
	case pageIgnore:
		e.picker.ignored = v.asked
	}
	return false
}

// hostOf is the host of a URL, for messages.
func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return strings.TrimSpace(base)
}
