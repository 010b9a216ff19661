package tesths

// The tests' handles on a running Server: flows, sessions, rate limits,
// accounts, and the emails and texts it "sent".

import (
	"strings"
	"time"
)

// SetFlows replaces the UIAA flows of /register. Existing sessions keep the
// stages they completed; from now on they are checked against the new flows.
func (s *Server) SetFlows(flows [][]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flows = copyFlows(flows)
}

// ExpireSessions forgets every UIAA session, as a server restart or the
// session timeout would. The next request that names one of them answers,
// as Synapse does, 400 {"errcode":"M_UNKNOWN","error":"Unknown session ID:
// <id>"}; the registration tokens they held pending are free again, as
// Synapse's delete_old_ui_auth_sessions gives them back.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sess := range s.sessions {
		s.releaseToken(sess)
	}
	s.sessions = map[string]*uiaSession{}
	s.sessionOrder = nil
}

// RateLimit makes the next `times` requests to path (any method but
// OPTIONS) answer 429 M_LIMIT_EXCEEDED, with retry_after_ms and a
// Retry-After header in whole seconds rounded up. A new call replaces the
// previous one for the same path.
func (s *Server) RateLimit(path string, times int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if times <= 0 {
		delete(s.limits, path)
		return
	}
	s.limits[path] = &rateLimit{left: times, retryAfter: retryAfter}
}

// AddUser creates the account localpart with password, as if it had
// registered, and returns its user ID.
func (s *Server) AddUser(localpart, password string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createUser(strings.ToLower(localpart), password, false)
}

// Users returns the IDs of the accounts created so far, guests included, in
// creation order.
func (s *Server) Users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.userOrder))
	for _, lp := range s.userOrder {
		out = append(out, s.users[lp].userID)
	}
	return out
}

// Emails returns the validation emails sent so far, oldest first.
func (s *Server) Emails() []Email {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Email(nil), s.emails...)
}

// SMS returns the validation texts sent so far, oldest first.
func (s *Server) SMS() []SMS {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMS(nil), s.sms...)
}
