package tesths

import (
	"net/http"
	"strings"
)

const (
	pathLogout = "/_matrix/client/v3/logout"
	pathWhoami = "/_matrix/client/v3/account/whoami"
)

// bearer returns the user of the request's access token, or the 401
// M_UNKNOWN_TOKEN the spec prescribes for a missing or unknown one; s.mu
// must be held.
func (s *Server) bearer(r *http.Request) (tok, userID string, rep *reply) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	userID, known := s.access[tok]
	if !ok || !known {
		e := errReply(http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Unknown access token")
		return "", "", &e
	}
	return tok, userID, nil
}

// handleLogout answers POST /_matrix/client/v3/logout: the access token is
// invalidated at once, so every later request with it answers 401
// M_UNKNOWN_TOKEN. See
// https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv3logout.
//
// With Config.OAuth, /logout is MAS's compatibility endpoint
// (crates/handlers/src/compat/logout.rs): it ends the tokens of password
// logins (POST /login) only; no token is 401 M_MISSING_TOKEN, and any
// other, an OAuth access token included (those end through the revocation
// endpoint), 401 M_UNKNOWN_TOKEN "Invalid access token".
func (s *Server) handleLogout(r *http.Request, _ []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.OAuth != nil {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			return errReply(http.StatusUnauthorized, "M_MISSING_TOKEN", "Missing access token")
		}
		if _, known := s.access[tok]; !known {
			return errReply(http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Invalid access token")
		}
		delete(s.access, tok)
		return jsonReply(map[string]any{})
	}
	tok, _, rep := s.bearer(r)
	if rep != nil {
		return *rep
	}
	delete(s.access, tok)
	return jsonReply(map[string]any{})
}

// handleWhoami answers GET /_matrix/client/v3/account/whoami with the user
// of the access token. See
// https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv3accountwhoami.
//
// With Config.OAuth it also knows the access tokens of the token endpoint
// and answers, as Synapse's WhoamiRestServlet (synapse/rest/client/account.py),
// user_id, is_guest and the device_id of the token's scope; an unknown,
// missing, expired or revoked token is Synapse's answer behind MAS: 401
// M_MISSING_TOKEN, or M_UNKNOWN_TOKEN "Token is not active".
func (s *Server) handleWhoami(r *http.Request, _ []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.OAuth != nil {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			return errReply(http.StatusUnauthorized, "M_MISSING_TOKEN", "Missing access token")
		}
		if sess := s.oauthAccess(tok); sess != nil {
			return jsonReply(map[string]any{"user_id": sess.userID, "is_guest": false, "device_id": sess.deviceID})
		}
		if _, known := s.access[tok]; !known {
			return inactiveToken()
		}
	}
	_, userID, rep := s.bearer(r)
	if rep != nil {
		return *rep
	}
	return jsonReply(map[string]any{"user_id": userID})
}

// AccessTokens returns how many access tokens are valid: each one a
// logged-in device that /register or /login made and no /logout ended.
func (s *Server) AccessTokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.access)
}
