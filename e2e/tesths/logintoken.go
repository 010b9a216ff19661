package tesths

import (
	"net/http"
	"strings"
)

const pathGetToken = "/_matrix/client/v1/login/get_token"

// issueAccess records a new access token of userID; s.mu must be held.
func (s *Server) issueAccess(userID string) string {
	tok := newToken()
	if s.access == nil {
		s.access = map[string]string{}
	}
	s.access[tok] = userID
	return tok
}

// handleGetToken answers POST /_matrix/client/v1/login/get_token: a
// one-time login_token for the user of the bearer token. See
// https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv1loginget_token.
func (s *Server) handleGetToken(r *http.Request, _ []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, _, rep := s.bearer(r); rep != nil {
		return *rep
	}
	lt := "lt_" + strings.TrimPrefix(newToken(), "syt_")
	s.loginTokens = append(s.loginTokens, lt)
	return jsonReply(map[string]any{"login_token": lt, "expires_in_ms": 120000})
}

// LoginTokensIssued lists the login tokens get_token handed out.
func (s *Server) LoginTokensIssued() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.loginTokens...)
}
