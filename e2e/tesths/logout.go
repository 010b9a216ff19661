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
func (s *Server) handleLogout(r *http.Request, _ []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
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
func (s *Server) handleWhoami(r *http.Request, _ []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
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
