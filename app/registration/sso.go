package registration

import (
	"time"

	"signup/app/matrix"
)

// SSOView is "Continue with <provider>" beside the form.
type SSOView struct {
	Providers []matrix.IdentityProvider
	// Only: the server offers no password, so no form: the buttons alone.
	Only bool
	// Finishing: back from the provider, logging in with its token.
	Finishing bool
	Error     Msg
}

type ssoState struct {
	flows     matrix.LoginFlows
	flow      *Flow
	finishing bool
	err       Msg
}

// LoginFlows is GET /_matrix/client/v3/login; the answer is a
// matrix.LoginFlows.
type LoginFlows struct {
	_    noEq
	Base string
}

// TokenLogin is POST /login with m.login.token; the answer is a
// *matrix.LoginResponse.
type TokenLogin struct {
	_                   noEq
	Base, Token, Device string
}

// Logout logs the widget's own device out.
type Logout struct {
	_                 noEq
	Base, AccessToken string
}

// Timeout implements Request.
func (LoginFlows) Timeout() time.Duration { return checkTimeout }

// Timeout implements Request.
func (TokenLogin) Timeout() time.Duration { return discoverTimeout }

// Timeout implements Request.
func (Logout) Timeout() time.Duration { return checkTimeout }

// checkProviders asks which identity providers the server offers.
func (e *Engine) checkProviders() {
	if !e.set.Operator.Registration.OffersSSO() {
		return
	}
	e.sso.flows = matrix.LoginFlows{}
	e.send(LoginFlows{Base: e.hs.BaseURL}, pending{})
}

func (e *Engine) providersAnswered(lf matrix.LoginFlows, err error) {
	if err != nil || lf.OAuthAware {
		// A server that prefers OAuth lists its compatibility SSO
		// here: sign-up goes through OAuth (auth_metadata) instead.
		return
	}
	e.sso.flows = lf
}

// ssoView is what the form shows of SSO.
func (e *Engine) ssoView() SSOView {
	v := SSOView{Providers: e.sso.flows.Providers, Finishing: e.sso.finishing, Error: e.sso.err}
	v.Only = len(v.Providers) > 0 && !e.sso.flows.Password
	return v
}

// chooseProvider sends the user to the provider through the homeserver
// (a popup when the widget is embedded), back to this page with a
// nonce the callback must carry.
func (e *Engine) chooseProvider(i int) {
	ps := e.sso.flows.Providers
	if e.screen != ScreenForm || i < 0 || i >= len(ps) || e.busy() || e.sso.finishing || !e.started {
		return
	}
	base := e.redirectURI()
	if base == "" {
		return
	}
	nonce := e.random(32)
	redirect := base + "?" + ssoParam + "=" + nonce
	f := Flow{Kind: FlowSSO, State: nonce, Redirect: redirect, Issuer: ps[i].Name,
		Homeserver: e.hs.BaseURL, ServerName: e.hs.ServerName, Popup: e.embedded, Started: e.now.Unix()}
	e.sso.err = Msg{}
	e.emit(SaveFlow{Flow: f})
	target := matrix.NewClient(e.hs.BaseURL, nil).SSORedirectURL(ps[i].ID, redirect)
	if !f.Popup {
		e.sso.finishing = true
		e.emit(Navigate{URL: target})
		return
	}
	e.sso.flow = &f
	e.emit(OpenWindow{URL: target})
}

// ssoCallback logs in with the provider's loginToken when the nonce is
// the one this tab sent.
func (e *Engine) ssoCallback(p callbackParams, f *Flow) {
	e.screen = ScreenForm
	e.sso.flow = nil
	e.emit(ForgetFlow{})
	if f == nil || f.Kind != FlowSSO || p.sso != f.State || p.loginToken == "" {
		e.sso.err = msg("sso.state")
		e.checkDelegation()
		return
	}
	e.sso.finishing = true
	e.sso.flow = f
	e.send(TokenLogin{Base: f.Homeserver, Token: p.loginToken, Device: e.set.DeviceName}, pending{})
}

// tokenLoggedIn shows the welcome panel and logs the widget's device
// out: the user signs in with their own client.
func (e *Engine) tokenLoggedIn(resp *matrix.LoginResponse, err error) {
	f := e.sso.flow
	e.sso.finishing, e.sso.flow = false, nil
	if f == nil {
		return
	}
	if err != nil || resp == nil {
		m := msg("sso.failed", f.Issuer)
		if me, ok := matrix.AsError(err); ok {
			m.Detail = me.Message
		}
		e.sso.err = m
		e.checkDelegation()
		e.focus("sso-error")
		return
	}
	e.succeed(&matrix.RegisterResponse{UserID: resp.UserID, DeviceID: resp.DeviceID})
	e.send(Logout{Base: f.Homeserver, AccessToken: resp.AccessToken}, pending{})
}
