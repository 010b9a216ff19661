package tesths

import (
	"net/http"
	"slices"
	"strings"
)

const pathGetToken = "/_matrix/client/v1/login/get_token"

// loginTokenTimeoutMs is Synapse's default lifetime of a login token
// (login_via_existing_session.token_timeout: 5m).
const loginTokenTimeoutMs = 300000

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
// one-time login_token for the user of the bearer token, once that user has
// passed User-Interactive Authentication with their password. The spec:
// "For this endpoint, servers MUST always re-prompt the user for
// verification" (https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv1loginget_token).
// It follows Synapse's LoginTokenRequestServlet
// (synapse/rest/client/login_token_request.py, require_ui_auth on by
// default) and AuthHandler.validate_user_via_ui_auth
// (synapse/handlers/auth.py): the access token first (401
// M_UNKNOWN_TOKEN), then a 401 with the single flow [m.login.password] for
// a user with a password, a wrong password merged into that 401 as 403
// M_FORBIDDEN "Invalid username or password" (a LoginError), another user
// than the token's 403 "Invalid auth". A session serves one token: the next
// one asks for the password again.
func (s *Server) handleGetToken(r *http.Request, body []byte) reply {
	req, bad := parseObject(body)
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, userID, rep := s.bearer(r)
	if rep != nil {
		return *rep
	}
	var auth map[string]any
	if a, ok := req["auth"]; ok && a != nil {
		if auth, ok = a.(map[string]any); !ok {
			return errReply(http.StatusBadRequest, "M_BAD_JSON", "auth must be an object")
		}
	}
	flows := [][]string{}
	if a := s.users[localpartOf(userID)]; a != nil && a.password != "" {
		flows = [][]string{{stagePassword}}
	}
	sid, _ := auth["session"].(string)
	var sess *uiaSession
	switch {
	case sid == "":
		sess = s.newSession(opGetToken)
		sess.userID = userID
	case s.sessions[sid] == nil:
		return errReply(http.StatusBadRequest, "M_UNKNOWN", "Unknown session ID: "+sid)
	case s.sessions[sid].op != opGetToken:
		return errReply(http.StatusForbidden, "M_FORBIDDEN", errOpChanged)
	default:
		sess = s.sessions[sid]
	}
	if len(auth) == 0 {
		return s.flowsReply(sess, flows, false, "", "")
	}
	switch stage, _ := auth["type"].(string); stage {
	case "":
		return s.flowsReply(sess, flows, true, "", "")
	case stagePassword:
	case stageDummy, stageTerms:
		// Always-enabled checkers (see checksStage): they complete, and
		// complete nothing of the flow.
		if !slices.Contains(sess.completed, stage) {
			sess.completed = append(sess.completed, stage)
		}
		return s.flowsReply(sess, flows, true, "", "")
	default:
		// Synapse falls back to its /login checks for a type without a
		// UIA checker (see unknownStage).
		return unknownStage(stage, auth)
	}
	validated, ok := s.checkPassword(auth)
	if !ok {
		return s.flowsReply(sess, flows, true, "M_FORBIDDEN", "Invalid username or password")
	}
	if validated != sess.userID {
		return errReply(http.StatusForbidden, "M_FORBIDDEN", "Invalid auth")
	}
	delete(s.sessions, sess.id)
	lt := "lt_" + strings.TrimPrefix(newToken(), "syt_")
	s.loginTokens = append(s.loginTokens, lt)
	return jsonReply(map[string]any{"login_token": lt, "expires_in_ms": loginTokenTimeoutMs, "expires_in": loginTokenTimeoutMs / 1000})
}

// flowsReply is the 401 of a get_token session with flows, with
// "completed" when the request carried auth (see uiaReply); the caller
// holds s.mu.
func (s *Server) flowsReply(sess *uiaSession, flows [][]string, withCompleted bool, errcode, msg string) reply {
	body := uiaBody{Errcode: errcode, Error: msg, Flows: []uiaFlow{}, Params: map[string]any{}, Session: sess.id}
	if withCompleted {
		completed := append([]string{}, sess.completed...)
		body.Completed = &completed
	}
	for _, f := range flows {
		body.Flows = append(body.Flows, uiaFlow{Stages: append([]string{}, f...)})
	}
	return reply{status: http.StatusUnauthorized, json: body}
}

// checkPassword checks an m.login.password auth dict (identifier m.id.user,
// or the deprecated top-level user; a localpart or a user ID of this
// server) and returns the user ID it proves. The caller holds s.mu.
func (s *Server) checkPassword(auth map[string]any) (string, bool) {
	var user string
	if id, ok := auth["identifier"].(map[string]any); ok {
		if t, _ := id["type"].(string); t != "m.id.user" {
			return "", false
		}
		user, _ = id["user"].(string)
	} else {
		user, _ = auth["user"].(string)
	}
	password, _ := auth["password"].(string)
	localpart := strings.ToLower(user)
	if strings.HasPrefix(localpart, "@") {
		lp, server, ok := strings.Cut(localpart[1:], ":")
		if !ok || server != strings.ToLower(s.cfg.ServerName) {
			return "", false
		}
		localpart = lp
	}
	a := s.users[localpart]
	if a == nil || a.guest || a.password == "" || a.password != password {
		return "", false
	}
	return a.userID, true
}

// localpartOf returns the localpart of a user ID of this server.
func localpartOf(userID string) string {
	lp, _, _ := strings.Cut(strings.TrimPrefix(userID, "@"), ":")
	return lp
}

// LoginTokensIssued lists the login tokens get_token handed out.
func (s *Server) LoginTokensIssued() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.loginTokens...)
}
