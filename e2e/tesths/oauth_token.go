package tesths

// The token endpoint (RFC 6749 sections 4.1.3 and 6, RFC 7636 section
// 4.6), the revocation endpoint (RFC 7009) and the homeserver's view of the
// tokens they hand out, following MAS's crates/handlers/src/oauth2/token.rs
// and revoke.rs where the RFCs leave a choice.

import (
	"crypto/sha256"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// verifierRE is the code_verifier grammar of RFC 7636 section 4.1.
var verifierRE = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

const tokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// oauthForm reads a form-encoded POST body and the public client it names
// by client_id (RFC 6749 section 2.3.1; the spec's clients are public,
// token_endpoint_auth_method none). A body of another type is 400
// invalid_request; an unknown client is 401 invalid_client and one that
// registered no token_endpoint_auth_method 401 unauthorized_client, as
// MAS's ClientNotFound and ClientNotAllowed. The caller holds s.mu.
func (s *Server) oauthForm(r *http.Request, body []byte) (url.Values, *oauthClient, *reply) {
	fail := func(status int, code, desc string) (url.Values, *oauthClient, *reply) {
		rep := oauthErrReply(status, code, desc)
		return nil, nil, &rep
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return fail(http.StatusBadRequest, "invalid_request", "The body must be application/x-www-form-urlencoded")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return fail(http.StatusBadRequest, "invalid_request", "The form could not be parsed")
	}
	c := s.oauth.clients[form.Get("client_id")]
	if c == nil {
		return fail(http.StatusUnauthorized, "invalid_client", "Unknown client_id")
	}
	if c.authMethod != "none" {
		return fail(http.StatusUnauthorized, "unauthorized_client", "The client registered no token_endpoint_auth_method")
	}
	return form, c, nil
}

// handleOAuthToken answers POST {token_endpoint}. authorization_code:
// the code must exist, be unused and at most 10 minutes old, belong to the
// client (RFC 6749 section 5.2; MAS says unauthorized_client there), come
// with the redirect_uri of the authorization request when that had one
// (section 4.1.3; MAS does not check it), and with a code_verifier (none:
// invalid_request) of the RFC 7636 grammar whose S256 is the challenge,
// else 400 invalid_grant. A code used again is refused and, later than 20
// seconds after its first use, ends the session it made (section 4.1.2,
// as MAS). refresh_token: a live refresh token of the client gives a new
// pair and ends the old access token; the previous refresh token works once
// more while the new access token has not been used (the spec's lost
// answer, as MAS). Both need the grant type in the client's grant_types
// (else 401 unauthorized_client). The answer carries Cache-Control:
// no-store (section 5.1).
func (s *Server) handleOAuthToken(r *http.Request, body []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.oauth
	if st.cfg.TokenError != "" {
		return oauthErrReply(http.StatusBadRequest, st.cfg.TokenError, "Refused by the test server")
	}
	form, c, rep := s.oauthForm(r, body)
	if rep != nil {
		return *rep
	}
	grant := form.Get("grant_type")
	switch {
	case grant == "":
		return oauthErrReply(http.StatusBadRequest, "invalid_request", "Missing grant_type")
	case grant != "authorization_code" && grant != "refresh_token":
		return oauthErrReply(http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type")
	case !slices.Contains(c.grantTypes, grant):
		return oauthErrReply(http.StatusUnauthorized, "unauthorized_client", "The client did not register the "+grant+" grant type")
	}
	invalid := oauthErrReply(http.StatusBadRequest, "invalid_grant", "")
	now := time.Now()
	var sess *oauthSession
	if grant == "authorization_code" {
		g := st.codes[form.Get("code")]
		switch {
		case g == nil:
			return invalid
		case g.session != nil:
			if now.Sub(g.exchanged) > codeReuseKill {
				g.session.ended = true
			}
			return invalid
		case now.Sub(g.fulfilled) > codeTTL, g.clientID != c.id,
			g.redirectGiven && form.Get("redirect_uri") != g.redirectURI:
			return invalid
		case !form.Has("code_verifier"):
			return oauthErrReply(http.StatusBadRequest, "invalid_request", "Missing code_verifier")
		}
		v := form.Get("code_verifier")
		sum := sha256.Sum256([]byte(v))
		if !verifierRE.MatchString(v) || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			return oauthErrReply(http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
		}
		sess = &oauthSession{clientID: c.id, userID: g.userID, deviceID: g.deviceID, scope: strings.Join(strings.Fields(g.scope), " ")}
		g.session, g.exchanged = sess, now
	} else {
		rt := form.Get("refresh_token")
		if rt == "" {
			return oauthErrReply(http.StatusBadRequest, "invalid_request", "Missing refresh_token")
		}
		sess = st.refresh[rt]
		if sess == nil || sess.ended || sess.clientID != c.id ||
			(rt != sess.refreshToken && (rt != sess.prevRefresh || sess.accessUsed)) {
			return invalid
		}
		if rt == sess.refreshToken {
			delete(st.refresh, sess.prevRefresh)
			sess.prevRefresh = rt
		} else {
			delete(st.refresh, sess.refreshToken) // the lost pair
		}
		delete(st.access, sess.accessToken)
	}
	sess.accessToken = "mat_" + randomFrom(tokenAlphabet, 30)
	sess.refreshToken = "mar_" + randomFrom(tokenAlphabet, 30)
	sess.expires = now.Add(st.cfg.AccessTokenTTL)
	sess.accessUsed = false
	st.access[sess.accessToken] = sess
	st.refresh[sess.refreshToken] = sess
	return reply{
		status: http.StatusOK,
		header: map[string]string{"Cache-Control": "no-store", "Pragma": "no-cache"},
		json: map[string]any{
			"access_token":  sess.accessToken,
			"token_type":    "Bearer",
			"expires_in":    int(st.cfg.AccessTokenTTL / time.Second),
			"refresh_token": sess.refreshToken,
			"scope":         sess.scope,
		},
	}
}

// handleOAuthRevoke answers POST {revocation_endpoint} (RFC 7009 section
// 2, the spec's "Token revocation"): the client as the token endpoint's,
// token required (else invalid_request), a token_type_hint other than
// access_token and refresh_token is 400 unsupported_token_type (MAS). A
// live token of another client is 401 unauthorized_client (MAS, and RFC
// 7009 section 2.1). Otherwise 200 with an empty body, for unknown and
// already revoked tokens too, and for a hint that names the other type
// (MAS finds nothing then); a live token ends its session, access and
// refresh token both.
func (s *Server) handleOAuthRevoke(r *http.Request, body []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.oauth
	form, c, rep := s.oauthForm(r, body)
	if rep != nil {
		return *rep
	}
	tok, hint := form.Get("token"), form.Get("token_type_hint")
	if tok == "" {
		return oauthErrReply(http.StatusBadRequest, "invalid_request", "Missing token")
	}
	var sess *oauthSession
	switch hint {
	case "", "access_token", "refresh_token":
	default:
		return oauthErrReply(http.StatusBadRequest, "unsupported_token_type", "Unsupported token_type_hint")
	}
	if a := st.access[tok]; a != nil && a.accessToken == tok && hint != "refresh_token" && time.Now().Before(a.expires) {
		sess = a
	} else if rt := st.refresh[tok]; rt != nil && rt.refreshToken == tok && hint != "access_token" {
		sess = rt
	}
	if sess == nil || sess.ended {
		return reply{status: http.StatusOK}
	}
	if sess.clientID != c.id {
		return oauthErrReply(http.StatusUnauthorized, "unauthorized_client", "The token belongs to another client")
	}
	sess.ended = true
	delete(st.access, sess.accessToken)
	delete(st.refresh, sess.refreshToken)
	delete(st.refresh, sess.prevRefresh)
	return reply{status: http.StatusOK}
}

// oauthAccess returns the live session of an OAuth access token and marks
// the token used, or nil. The caller holds s.mu.
func (s *Server) oauthAccess(tok string) *oauthSession {
	if s.oauth == nil {
		return nil
	}
	sess := s.oauth.access[tok]
	if sess == nil || sess.ended || sess.accessToken != tok || !time.Now().Before(sess.expires) {
		return nil
	}
	sess.accessUsed = true
	return sess
}

// inactiveToken is Synapse's answer, behind MAS, for a token that MAS's
// introspection calls inactive (synapse/api/auth/mas.py:
// InvalidClientTokenError("Token is not active"), soft_logout false).
func inactiveToken() reply {
	return reply{status: http.StatusUnauthorized, json: map[string]any{
		"errcode": "M_UNKNOWN_TOKEN", "error": "Token is not active", "soft_logout": false,
	}}
}
