package tesths

import (
	"crypto/rand"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// versions are the spec versions GET /_matrix/client/versions announces.
var versions = []string{"v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11"}

// oauthVersions are added with Config.OAuth (unless Unstable): v1.15 has
// the OAuth 2.0 API.
var oauthVersions = []string{"v1.12", "v1.13", "v1.14", "v1.15"}

func (s *Server) handleVersions(*http.Request, []byte) reply {
	if s.cfg.OAuth != nil && !s.cfg.OAuth.Unstable {
		return jsonReply(map[string]any{"versions": append(append([]string{}, versions...), oauthVersions...)})
	}
	return jsonReply(map[string]any{"versions": versions})
}

func (s *Server) handleAuthMetadata(*http.Request, []byte) reply {
	return jsonReply(s.cfg.AuthMetadata)
}

func (s *Server) handleWellKnown(*http.Request, []byte) reply {
	return jsonReply(s.cfg.WellKnown)
}

// handleLoginFlows answers GET /login. An OAuth-delegated server (one with
// AuthMetadata) offers m.login.sso with oauth_aware_preferred, as Synapse
// does behind matrix-authentication-service.
func (s *Server) handleLoginFlows(*http.Request, []byte) reply {
	if s.cfg.AuthMetadata != nil {
		return jsonReply(map[string]any{"flows": []any{
			map[string]any{"type": "m.login.sso", "oauth_aware_preferred": true},
			map[string]any{"type": "m.login.token"},
		}})
	}
	return jsonReply(map[string]any{"flows": []any{map[string]any{"type": "m.login.password"}}})
}

// loginResponse is the 200 of /register and /login. Synapse sends the
// deprecated home_server (its server name) in both: RegisterRestServlet's
// _create_registration_details and _do_guest_registration
// (synapse/rest/client/register.py), LoginRestServlet
// (synapse/rest/client/login.py).
type loginResponse struct {
	UserID      string `json:"user_id"`
	AccessToken string `json:"access_token,omitempty"`
	DeviceID    string `json:"device_id,omitempty"`
	HomeServer  string `json:"home_server"`
}

// handleLogin answers POST /login with m.login.password and an m.id.user
// identifier (or the deprecated top-level `user`).
func (s *Server) handleLogin(_ *http.Request, body []byte) reply {
	req, bad := parseObject(body)
	if bad != nil {
		return *bad
	}
	if t, _ := req["type"].(string); t != "m.login.password" {
		return errReply(http.StatusBadRequest, "M_UNKNOWN", "Unknown login type")
	}
	var user string
	if id, ok := req["identifier"].(map[string]any); ok {
		if t, _ := id["type"].(string); t != "m.id.user" {
			return errReply(http.StatusBadRequest, "M_UNKNOWN", "Unknown login identifier type")
		}
		user, _ = id["user"].(string)
	} else {
		user, _ = req["user"].(string)
	}
	password, _ := req["password"].(string)
	if user == "" {
		return errReply(http.StatusBadRequest, "M_MISSING_PARAM", "User identifier is missing 'user' key")
	}
	localpart := strings.ToLower(user)
	if strings.HasPrefix(localpart, "@") {
		lp, server, ok := strings.Cut(localpart[1:], ":")
		if !ok || server != strings.ToLower(s.cfg.ServerName) {
			return errReply(http.StatusForbidden, "M_FORBIDDEN", "Invalid username or password")
		}
		localpart = lp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.users[localpart]
	if a == nil || a.guest || a.password != password {
		return errReply(http.StatusForbidden, "M_FORBIDDEN", "Invalid username or password")
	}
	deviceID, _ := req["device_id"].(string)
	if deviceID == "" {
		deviceID = newDeviceID()
	}
	return jsonReply(loginResponse{UserID: a.userID, AccessToken: s.issueAccess(a.userID), DeviceID: deviceID, HomeServer: s.cfg.ServerName})
}

var (
	localpartRE = regexp.MustCompile(`^[a-z0-9._=/+-]+$`)
	// numericRE is Synapse's GUEST_USER_ID_PATTERN (synapse/types): such
	// localparts are the ones it generates, for guests among others.
	numericRE = regexp.MustCompile(`^[0-9]+$`)
)

// checkUsername checks a desired localpart as Synapse's
// RegistrationHandler.check_username (synapse/handlers/register.py), in its
// order and with its messages: the grammar, empty, a leading underscore,
// the account the session already made (assigned, a user ID or ""), the
// length, in use (unless inhibitInUse: Synapse's
// registration.inhibit_user_in_use_error, which register_user does not
// pass, so the request that creates the account still answers
// M_USER_IN_USE), then all digits. Dendrite refuses the same names
// (internal/validate.go: "username cannot start with a '_'";
// clientapi/routing/register.go: "Numeric user IDs are reserved"), with
// other words. The caller holds s.mu.
func (s *Server) checkUsername(localpart, assigned string, inhibitInUse bool) *reply {
	invalid := func(msg string) *reply {
		rep := errReply(http.StatusBadRequest, "M_INVALID_USERNAME", msg)
		return &rep
	}
	if localpart != "" && !localpartRE.MatchString(localpart) {
		return invalid("User ID can only contain characters a-z, 0-9, or '=_-./+'")
	}
	if localpart == "" {
		return invalid("User ID cannot be empty")
	}
	if localpart[0] == '_' {
		return invalid("User ID may not begin with _")
	}
	userID := "@" + localpart + ":" + s.cfg.ServerName
	if assigned != "" {
		if userID == assigned {
			return nil
		}
		rep := errReply(http.StatusBadRequest, "M_UNKNOWN", "A different user ID has already been registered for this session")
		return &rep
	}
	if len(userID) > 255 {
		return invalid("User ID may not be longer than 255 characters")
	}
	if s.users[localpart] != nil && !inhibitInUse {
		rep := errReply(http.StatusBadRequest, "M_USER_IN_USE", "User ID already taken.")
		return &rep
	}
	if numericRE.MatchString(localpart) {
		return invalid("Numeric user IDs are reserved for guest users.")
	}
	return nil
}

// handleAvailable answers GET /register/available. Like Synapse it does not
// lowercase the username (upper case is M_INVALID_USERNAME here, while
// /register lowercases) and it reserves nothing. With
// InhibitUserInUseError it answers {"available": true} to anything, before
// even reading the username, as Synapse's UsernameAvailabilityRestServlet
// (synapse/rest/client/register.py) does with inhibit_user_in_use_error.
func (s *Server) handleAvailable(r *http.Request, _ []byte) reply {
	if s.cfg.RegistrationDisabled {
		return errReply(http.StatusForbidden, "M_FORBIDDEN", "Registration has been disabled")
	}
	if s.cfg.InhibitUserInUseError {
		return jsonReply(map[string]any{"available": true})
	}
	q := r.URL.Query()
	if !q.Has("username") {
		return errReply(http.StatusBadRequest, "M_MISSING_PARAM", "Missing string query parameter 'username'")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rep := s.checkUsername(q.Get("username"), "", false); rep != nil {
		return *rep
	}
	return jsonReply(map[string]any{"available": true})
}

func (s *Server) handlePolicy(r *http.Request, _ []byte) reply {
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "Terms of service"
	}
	return reply{status: http.StatusOK, html: "<!doctype html><html><head><meta charset=\"utf-8\"><title>" +
		html.EscapeString(name) + "</title></head><body><h1>" + html.EscapeString(name) +
		"</h1><p>This is a placeholder policy of the test homeserver.</p></body></html>\n"}
}

// createUser adds an account; the caller holds s.mu. An empty localpart gets
// a numeric one, as Synapse generates.
func (s *Server) createUser(localpart, password string, guest bool) string {
	if localpart == "" {
		for {
			localpart = strconv.Itoa(s.nextLocalpart)
			s.nextLocalpart++
			if s.users[localpart] == nil {
				break
			}
		}
	}
	userID := "@" + localpart + ":" + s.cfg.ServerName
	if s.users[localpart] == nil {
		s.userOrder = append(s.userOrder, localpart)
	}
	s.users[localpart] = &account{userID: userID, password: password, guest: guest}
	return userID
}

const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// newDeviceID returns ten upper-case letters, like Synapse's device IDs.
func newDeviceID() string {
	return randomFrom(letters, 10)
}

func newToken() string {
	return "syt_" + randomFrom("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32)
}

func newID(n int) string {
	return randomFrom("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", n)
}

func newDigits(n int) string {
	return randomFrom("0123456789", n)
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
