package registration

import (
	"signup/app/matrix"
)

// landing handles a page load that is a flow's callback: the
// authorization server's redirect (code or error, with state) or an SSO
// redirect (loginToken). It reports whether the page was one.
func (e *Engine) landing(s Start) bool {
	p, ok := parseCallback(s.PageURL)
	if !ok {
		if s.Flow != "" {
			// A flow left unfinished (the user came back another way).
			e.emit(ForgetFlow{})
		}
		return false
	}
	e.emit(CleanURL{URL: cleanURL(s.PageURL)})
	f := e.savedFlow(s.Flow)
	if f != nil && f.Popup {
		// A popup's flow answers on its callback page, never here.
		f = nil
	}
	e.callback(p, f)
	return true
}

// relayed is a callback the popup handed back.
func (e *Engine) relayed(c Callback) {
	p, ok := parseCallback(c.URL)
	if !ok || e.oauth.flow == nil && e.sso.flow == nil {
		return
	}
	f := e.oauth.flow
	if p.sso != "" {
		f = e.sso.flow
	}
	e.emit(CloseWindow{})
	e.callback(p, f)
}

// callback finishes the flow f with what the callback URL carried. A
// callback whose state (or SSO nonce) is not the flow's is refused: it
// is not the answer to a sign-up this tab started (RFC 6749 §10.12).
func (e *Engine) callback(p callbackParams, f *Flow) {
	if f != nil {
		e.hs = matrix.Homeserver{BaseURL: f.Homeserver, ServerName: f.ServerName}
	}
	if p.sso != "" {
		e.ssoCallback(p, f)
		return
	}
	// Continue only once the metadata is known (again, after a page
	// load): a click before would do nothing.
	e.oauth.view = OAuthView{Issuer: e.serverName(), InWidget: e.oauth.md != nil, Popup: e.embedded}
	if f != nil {
		e.oauth.view.Issuer = f.Issuer
	}
	e.screen = ScreenOAuth
	if f == nil || f.Kind != FlowOAuth || p.state != f.State || f.ClientID == "" {
		e.oauthFailed(msg("oauth.state"))
		e.checkDelegation()
		return
	}
	e.oauth.flow = f
	if p.err != "" {
		m := Msg{Key: "oauth.refused", Args: []any{f.Issuer}, Detail: p.desc}
		if p.err == "access_denied" {
			m = msg("oauth.cancelled", f.Issuer)
		}
		e.oauthFailed(m)
		e.checkDelegation()
		return
	}
	e.oauth.view.Step = OAuthFinishing
	e.send(CodeToken{X: matrix.CodeExchange{Endpoint: f.Token, ClientID: f.ClientID, Code: p.code,
		Verifier: f.Verifier, Redirect: f.Redirect}}, pending{})
}

// tokenAnswered asks whose the new token is.
func (e *Engine) tokenAnswered(tok *matrix.OAuthToken, err error) {
	f := e.oauth.flow
	if f == nil || e.oauth.view.Step != OAuthFinishing {
		return
	}
	if err != nil || tok == nil {
		e.oauthFailed(e.oauthMsg(err, "oauth.token"))
		e.checkDelegation()
		return
	}
	e.oauth.token = tok
	e.send(WhoAmI{Base: f.Homeserver, AccessToken: tok.AccessToken}, pending{})
}

// whoamiAnswered shows the welcome panel, then revokes the token: the
// widget needs no session once the account exists.
func (e *Engine) whoamiAnswered(w matrix.Whoami, err error) {
	f, tok := e.oauth.flow, e.oauth.token
	if f == nil || tok == nil {
		return
	}
	e.oauth.flow, e.oauth.token = nil, nil
	e.emit(ForgetFlow{})
	if err != nil {
		e.revoke(f, tok)
		e.oauthFailed(e.oauthMsg(err, "oauth.whoami"))
		return
	}
	e.succeed(&matrix.RegisterResponse{UserID: w.UserID, DeviceID: w.DeviceID})
	e.revoke(f, tok)
}

// revoke revokes both tokens of the grant (RFC 7009 §2.1: an access
// token, then the refresh token); without a revocation endpoint they
// expire on their own.
func (e *Engine) revoke(f *Flow, tok *matrix.OAuthToken) {
	if f.Revocation == "" {
		return
	}
	e.send(Revoke{Endpoint: f.Revocation, ClientID: f.ClientID, Token: tok.AccessToken, Hint: "access_token"}, pending{})
	if tok.RefreshToken != "" {
		e.send(Revoke{Endpoint: f.Revocation, ClientID: f.ClientID, Token: tok.RefreshToken, Hint: "refresh_token"}, pending{})
	}
}
