package registration

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"signup/app/config"
	"signup/app/matrix"
)

// OAuthStep is where a sign-up on the server's own page stands.
type OAuthStep int

// The steps.
const (
	OAuthIdle      OAuthStep = iota // the Continue button
	OAuthOpening                    // registering the widget as a client
	OAuthAway                       // the user is on the server's page (a popup)
	OAuthFinishing                  // exchanging the code, asking whoami
)

// OAuthView is the sign-up on an OAuth 2.0 server's own page.
type OAuthView struct {
	// Issuer names the authorization server (its host).
	Issuer string
	// InWidget: the widget runs the flow and comes back; otherwise
	// SignUpURL is a link to the server's account page ("" when the
	// operator asked for OAuth and the server has none).
	InWidget  bool
	SignUpURL string
	// Declined says why the widget links out instead (metadata it cannot
	// use, or an authorization server the operator did not trust).
	Declined Msg
	Step     OAuthStep
	Error    Msg
	// Popup: the flow runs in a popup (the widget is embedded); Blocked
	// that the browser refused to open it.
	Popup, Blocked bool
}

// oauthState is the engine's side of OAuthView.
type oauthState struct {
	md    *matrix.AuthMetadata
	view  OAuthView
	flow  *Flow
	token *matrix.OAuthToken
}

// Delegation is the answer to [Metadata].
type Delegation struct {
	Delegated bool
	Metadata  *matrix.AuthMetadata
}

// ClientRegistration registers the widget as an OAuth 2.0 client
// (RFC 7591); the answer is the client_id.
type ClientRegistration struct {
	_        noEq
	Endpoint string
	Metadata matrix.ClientMetadata
}

// CodeToken exchanges the authorization code at the token endpoint; the
// answer is a *matrix.OAuthToken.
type CodeToken struct {
	_ noEq
	X matrix.CodeExchange
}

// WhoAmI asks the homeserver whose token it is; the answer is a
// matrix.Whoami.
type WhoAmI struct {
	_                 noEq
	Base, AccessToken string
}

// Revoke revokes a token at the revocation endpoint (RFC 7009).
type Revoke struct {
	_                               noEq
	Endpoint, ClientID, Token, Hint string
}

// Timeout implements Request.
func (ClientRegistration) Timeout() time.Duration { return discoverTimeout }

// Timeout implements Request.
func (CodeToken) Timeout() time.Duration { return discoverTimeout }

// Timeout implements Request.
func (WhoAmI) Timeout() time.Duration { return checkTimeout }

// Timeout implements Request.
func (Revoke) Timeout() time.Duration { return checkTimeout }

// delegated applies the answer of [Metadata]: the sign-up method the
// operator chose, the server's metadata, and whether its endpoints are
// on origins the operator trusts with a code.
func (e *Engine) delegated(d Delegation, err error) {
	method := e.set.Operator.Registration.SignUpMethod()
	// After a callback that failed, the OAuth screen waits for the
	// metadata again (its error stays).
	again := e.screen == ScreenOAuth && e.oauth.md == nil && e.oauth.view.Step == OAuthIdle
	if e.screen != ScreenForm && !again || method == config.MethodPassword {
		return
	}
	keep := e.oauth.view.Error
	if err != nil || !d.Delegated || d.Metadata == nil {
		switch {
		case method == config.MethodOAuth:
			e.oauth = oauthState{view: OAuthView{Issuer: e.serverName(), Error: msg("oauth.unavailable", e.serverName())}}
			e.screen = ScreenOAuth
		case again && err == nil:
			// The server no longer delegates: the form, with the error.
			e.screen, e.formErr = ScreenForm, keep
		}
		return
	}
	md := d.Metadata
	e.oauth = oauthState{view: OAuthView{Issuer: hostOf(md.Issuer), SignUpURL: md.SignUpURL(), Popup: e.embedded, Error: keep}}
	switch p := md.Problem(); {
	case p != "":
		e.oauth.view.Declined = Msg{Key: "oauth.declined", Args: []any{e.oauth.view.Issuer}, Detail: string(p)}
	case !e.trusts(md):
		e.oauth.view.Declined = msg("oauth.untrusted", hostOf(md.TokenEndpoint))
	default:
		e.oauth.md = md
		e.oauth.view.InWidget = true
	}
	e.screen = ScreenOAuth
}

// trusts reports whether the token, registration and revocation
// endpoints are on origins that may receive a code and a token: the
// homeserver's, one the operator listed (homeserver.trusted_origins), or
// any when the operator lets users pick any homeserver.
func (e *Engine) trusts(md *matrix.AuthMetadata) bool {
	h := e.set.Operator.Homeserver
	if h.AllowCustom {
		return true
	}
	for _, u := range []string{md.TokenEndpoint, md.RegistrationEndpoint, md.RevocationEndpoint} {
		o := matrix.Origin(u)
		if u == "" || o == matrix.Origin(e.hs.BaseURL) {
			continue
		}
		if !slices.ContainsFunc(h.TrustedOrigins, func(t string) bool { return strings.EqualFold(matrix.Origin(t), o) }) {
			return false
		}
	}
	return true
}

// oauthStart is the Continue button: open the popup first (while the
// click still counts as the user's), then register the widget as a
// client for this flow, as the spec asks for each one.
func (e *Engine) oauthStart() {
	o := &e.oauth
	if e.screen != ScreenOAuth || o.md == nil || o.view.Step != OAuthIdle && o.view.Step != OAuthAway {
		return
	}
	if o.view.Step == OAuthAway {
		// "Open the window again": the flow starts over.
		e.emit(CloseWindow{}, ForgetFlow{})
	}
	o.view.Error, o.view.Blocked = Msg{}, false
	if o.view.Popup {
		// WindowOpened says whether the browser let it open.
		e.emit(OpenWindow{})
	}
	redirect := e.redirectURI()
	if redirect == "" {
		o.view.Error = msg("oauth.failed", o.view.Issuer)
		return
	}
	md := o.md
	o.flow = &Flow{Kind: FlowOAuth, State: e.random(32), Verifier: e.random(64), Redirect: redirect,
		Token: md.TokenEndpoint, Revocation: md.RevocationEndpoint, Issuer: o.view.Issuer,
		Homeserver: e.hs.BaseURL, ServerName: e.hs.ServerName, Popup: o.view.Popup, Started: e.now.Unix()}
	op := e.set.Operator
	var tos, policy string
	for _, l := range op.Texts.Footer {
		switch l.Kind {
		case "terms":
			tos = l.URL
		case "privacy":
			policy = l.URL
		}
	}
	origin := matrix.Origin(redirect)
	meta := matrix.NewClientMetadata(op.Brand.Name, origin+"/", redirect, absolute(origin, op.Brand.Logo), tos, policy)
	o.view.Step = OAuthOpening
	e.send(ClientRegistration{Endpoint: md.RegistrationEndpoint, Metadata: meta}, pending{})
}

// redirectURI is where a flow comes back: the page itself, or in a
// popup its callback page.
func (e *Engine) redirectURI() string {
	if e.embedded {
		if matrix.Origin(e.callbackURL) == "" || matrix.Origin(e.callbackURL) != matrix.Origin(e.pageURL) {
			return ""
		}
		return e.callbackURL
	}
	return pageBase(e.pageURL)
}

// absolute resolves a path on the widget's own site against origin.
func absolute(origin, ref string) string {
	if ref == "" || matrix.IsWebURL(ref) {
		return ref
	}
	if strings.HasPrefix(ref, "/") && !strings.HasPrefix(ref, "//") {
		return origin + ref
	}
	return ""
}

// windowOpened is the answer of OpenWindow: a blocked (or closed)
// window ends the flow that needed it.
func (e *Engine) windowOpened(ok bool) {
	switch {
	case ok:
	case e.sso.flow != nil:
		e.sso.flow, e.sso.err = nil, msg("oauth.blocked")
		e.emit(ForgetFlow{})
		e.focus("sso-error")
	case e.screen == ScreenOAuth && (e.oauth.view.Step == OAuthAway || e.oauth.view.Step == OAuthOpening):
		e.oauthFailed(msg("oauth.blocked"))
		e.oauth.view.Blocked = true
	}
}

// clientRegistered sends the user to the authorization endpoint.
func (e *Engine) clientRegistered(id string, err error) {
	o := &e.oauth
	if o.flow == nil || o.view.Step != OAuthOpening {
		return
	}
	if err != nil {
		e.oauthFailed(e.oauthMsg(err, "oauth.client"))
		return
	}
	f := o.flow
	f.ClientID = id
	q := url.Values{
		"response_type": {"code"}, "client_id": {id}, "redirect_uri": {f.Redirect},
		"scope": {"urn:matrix:client:api:* urn:matrix:client:device:" + e.random(12)},
		"state": {f.State}, "code_challenge": {matrix.S256(f.Verifier)}, "code_challenge_method": {"S256"},
		"prompt": {"create"},
	}
	if m := o.md.ResponseMode(); m != "" {
		q.Set("response_mode", m)
	}
	if lang := e.set.Languages; len(lang) > 0 {
		q.Set("ui_locales", strings.Join(lang, " "))
	}
	sep := "?"
	if strings.Contains(o.md.AuthorizationEndpoint, "?") {
		sep = "&"
	}
	target := o.md.AuthorizationEndpoint + sep + q.Encode()
	e.emit(SaveFlow{Flow: *f})
	if f.Popup {
		o.view.Step = OAuthAway
		e.emit(OpenWindow{URL: target, Move: true})
		return
	}
	// The page leaves: the callback loads the widget again.
	o.view.Step = OAuthFinishing
	e.emit(Navigate{URL: target})
}

// oauthCancel stops waiting for the popup.
func (e *Engine) oauthCancel() {
	if e.screen != ScreenOAuth || e.oauth.view.Step != OAuthAway && e.oauth.view.Step != OAuthOpening {
		return
	}
	e.emit(CloseWindow{}, ForgetFlow{})
	e.oauth.flow = nil
	e.oauth.view.Step = OAuthIdle
	e.newEpoch()
	e.focus("oauth-continue")
}

// oauthFailed ends the flow with m on the OAuth screen.
func (e *Engine) oauthFailed(m Msg) {
	o := &e.oauth
	if o.view.Popup {
		e.emit(CloseWindow{})
	}
	e.emit(ForgetFlow{})
	o.flow, o.view.Step, o.view.Error = nil, OAuthIdle, m
	e.screen = ScreenOAuth
	e.focus("oauth-error")
}

// oauthMsg says what went wrong with the authorization server in plain
// words, its own text as the detail.
func (e *Engine) oauthMsg(err error, key string) Msg {
	name := e.oauth.view.Issuer
	if oe, ok := matrix.AsOAuthError(err); ok {
		return Msg{Key: key, Args: []any{name}, Detail: oe.Description}
	}
	if errors.Is(err, matrix.ErrUnreachable) {
		return msg("oauth.unreachable", name)
	}
	return Msg{Key: key, Args: []any{name}, Detail: err.Error()}
}
