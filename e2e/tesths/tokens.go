package tesths

// Registration tokens (spec.matrix.org/v1.16/client-server-api/#token-authenticated-registration)
// with Synapse's counters: uses_allowed, pending and completed, as its
// admin API shows them (synapse/storage/databases/main/registration.py).

import (
	"net/http"
	"slices"
)

// TokenUses is the state of a registration token, as Synapse's admin API
// GET /_synapse/admin/v1/registration_tokens/<token> shows it.
type TokenUses struct {
	// UsesAllowed is the number of registrations the token allows; 0 is
	// unlimited.
	UsesAllowed int
	// Pending counts the UIAA sessions that passed the token stage and
	// have not registered yet; Completed the registrations made with it.
	Pending, Completed int
}

// newTokens is the token table of cfg; every token starts unused.
func newTokens(cfg Config) map[string]*TokenUses {
	tokens := map[string]*TokenUses{}
	for _, tok := range cfg.RegistrationTokens {
		tokens[tok] = &TokenUses{UsesAllowed: max(cfg.TokenUsesAllowed[tok], 0)}
	}
	return tokens
}

// tokenValid is Synapse's registration_token_is_valid: the token exists and
// its pending and completed uses leave room under uses_allowed. The caller
// holds s.mu.
func (s *Server) tokenValid(token string) bool {
	t := s.tokens[token]
	return t != nil && (t.UsesAllowed == 0 || t.Pending+t.Completed < t.UsesAllowed)
}

// applyToken checks an m.login.registration_token auth dict as Synapse's
// RegistrationTokenAuthChecker.check_auth (synapse/handlers/ui_auth/checkers.py):
// the token field, the session, then, for a session that passed the stage
// already, the same token again ("Registration token has changed"
// otherwise); else the token must be valid, and passing the stage counts
// it as pending at once, so that a token with uses_allowed 1 is no longer
// valid for anyone else (the validity endpoint answers false) while this
// session registers. The caller holds s.mu.
func (s *Server) applyToken(sess *uiaSession, auth map[string]any) (errcode, msg string) {
	tok, ok := auth["token"]
	if !ok {
		return "M_MISSING_PARAM", "Missing registration token"
	}
	str, ok := tok.(string)
	if !ok {
		return "M_INVALID_PARAM", "Registration token must be a string"
	}
	if _, ok := auth["session"]; !ok {
		return "M_MISSING_PARAM", "Missing UIA session"
	}
	if sess.token != "" {
		if str != sess.token {
			return "M_INVALID_PARAM", "Registration token has changed"
		}
		return "", ""
	}
	if !s.tokenValid(str) {
		return "M_UNAUTHORIZED", "Invalid registration token"
	}
	s.tokens[str].Pending++
	sess.token = str
	if !slices.Contains(sess.completed, stageToken) {
		sess.completed = append(sess.completed, stageToken)
	}
	return "", ""
}

// useToken turns the pending use of the session's token into a completed
// one once its account exists, as Synapse's RegisterRestServlet calls
// use_registration_token after register_user. The caller holds s.mu.
func (s *Server) useToken(sess *uiaSession) {
	if sess.token == "" || sess.tokenUsed {
		return
	}
	sess.tokenUsed = true
	if t := s.tokens[sess.token]; t != nil {
		t.Pending--
		t.Completed++
	}
}

// releaseToken gives back the pending use of a session that goes away
// without registering, as Synapse's delete_old_ui_auth_sessions decrements
// pending for the tokens of expired sessions. The caller holds s.mu.
func (s *Server) releaseToken(sess *uiaSession) {
	if sess == nil || sess.token == "" || sess.tokenUsed {
		return
	}
	sess.tokenUsed = true
	if t := s.tokens[sess.token]; t != nil && t.Pending > 0 {
		t.Pending--
	}
}

// handleTokenValidity answers GET
// /_matrix/client/v1/register/m.login.registration_token/validity as
// Synapse's RegistrationTokenValidityRestServlet
// (synapse/rest/client/register.py), which is registered whatever the
// configuration: 403 when registration is disabled, then the token query
// parameter, then {"valid": ...} by the token's uses (an unknown token, or
// a server that requires none, answers false).
func (s *Server) handleTokenValidity(r *http.Request, _ []byte) reply {
	if s.cfg.RegistrationDisabled {
		return errReply(http.StatusForbidden, "M_FORBIDDEN", "Registration has been disabled")
	}
	q := r.URL.Query()
	if !q.Has("token") {
		return errReply(http.StatusBadRequest, "M_MISSING_PARAM", "Missing string query parameter 'token'")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return jsonReply(map[string]any{"valid": s.tokenValid(q.Get("token"))})
}

// AddRegistrationToken makes token valid for usesAllowed registrations (0:
// unlimited), as Synapse's POST /_synapse/admin/v1/registration_tokens/new;
// an existing token keeps its counters and gets the new limit.
func (s *Server) AddRegistrationToken(token string, usesAllowed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tokens[token]; t != nil {
		t.UsesAllowed = max(usesAllowed, 0)
		return
	}
	s.tokens[token] = &TokenUses{UsesAllowed: max(usesAllowed, 0)}
}

// RegistrationToken returns the counters of token, and false when the
// server does not know it.
func (s *Server) RegistrationToken(token string) (TokenUses, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[token]
	if t == nil {
		return TokenUses{}, false
	}
	return *t, true
}
