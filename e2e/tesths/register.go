package tesths

import (
	"net/http"
	"slices"
	"strings"
)

// Stage types the server checks itself. Any other type in a flow can only be
// completed through its fallback page.
const (
	stageDummy    = "m.login.dummy"
	stageTerms    = "m.login.terms"
	stageToken    = "m.login.registration_token"
	stageCaptcha  = "m.login.recaptcha"
	stageEmail    = "m.login.email.identity"
	stageMsisdn   = "m.login.msisdn"
	stagePassword = "m.login.password"
)

// uiaSession is one UIAA session, of /register or of get_token.
type uiaSession struct {
	id string
	// op is the operation the session authenticates (opRegister or
	// opGetToken): like Synapse, which keeps a session's URI and method,
	// a session cannot be carried over to another endpoint.
	op string
	// userID is, for /register, the account the session created (set once
	// the flow completed: a replay answers with it again); for get_token,
	// the user of the access token that started the session.
	userID string
	// username and password are those of the first request that carried
	// them; a later request with another value answers 403.
	username, password *string
	// params are the other top-level fields of the request body (device_id,
	// inhibit_login, ...), the latest value of each winning, as in Synapse.
	params    map[string]any
	completed []string
	// addresses are the threepids validated by the email/msisdn stages,
	// bound to the account when it is created ("email:x" / "msisdn:y").
	addresses []string
	// token is the registration token that passed the token stage (one
	// pending use of it), as Synapse keeps it in the session
	// (UIAuthSessionDataConstants.REGISTRATION_TOKEN); tokenUsed is set
	// once that use is completed or released.
	token     string
	tokenUsed bool
}

// uiaBody is the 401 answer of the UIAA API.
type uiaBody struct {
	Errcode string `json:"errcode,omitempty"`
	Error   string `json:"error,omitempty"`
	// Completed is nil (left out) in the answer to a request without
	// auth, and a list, empty or not, in the answer to one with auth.
	Completed *[]string      `json:"completed,omitempty"`
	Flows     []uiaFlow      `json:"flows"`
	Params    map[string]any `json:"params"`
	Session   string         `json:"session"`
}

type uiaFlow struct {
	Stages []string `json:"stages"`
}

// promptReply is the 401 for sess when the request carried no auth: the
// current flows, their params and the session, without "completed", as
// Synapse's check_ui_auth (synapse/handlers/auth.py) raises
// InteractiveAuthIncompleteError with _auth_dict_for_flows alone when the
// auth dict is empty. The caller holds s.mu.
func (s *Server) promptReply(sess *uiaSession) reply {
	return s.uiaBodyReply(sess, false, "", "")
}

// uiaReply is the 401 for sess when the request carried auth that did not
// complete a flow: the current flows, "completed" (the stages the session
// completed, an empty list when none) and, for a failed stage, errcode and
// error. Synapse's check_ui_auth sets ret["completed"] = list(creds), then
// merges the LoginError's error dict: a wrong token answers
// {"completed":[],"errcode":"M_UNAUTHORIZED","error":"Invalid registration
// token","flows":...,"params":...,"session":...}. The caller holds s.mu.
func (s *Server) uiaReply(sess *uiaSession, errcode, msg string) reply {
	return s.uiaBodyReply(sess, true, errcode, msg)
}

func (s *Server) uiaBodyReply(sess *uiaSession, withCompleted bool, errcode, msg string) reply {
	body := uiaBody{
		Errcode: errcode,
		Error:   msg,
		Flows:   make([]uiaFlow, 0, len(s.flows)),
		Params:  map[string]any{},
		Session: sess.id,
	}
	if withCompleted {
		completed := append([]string{}, sess.completed...)
		body.Completed = &completed
	}
	for _, f := range s.flows {
		body.Flows = append(body.Flows, uiaFlow{Stages: append([]string{}, f...)})
		for _, stage := range f {
			if p, ok := s.cfg.Params[stage]; ok {
				body.Params[stage] = p
			}
		}
	}
	return reply{status: http.StatusUnauthorized, json: body}
}

// inFlows reports whether some current flow has stage. The caller holds s.mu.
func (s *Server) inFlows(stage string) bool {
	for _, f := range s.flows {
		if slices.Contains(f, stage) {
			return true
		}
	}
	return false
}

// flowDone reports whether sess completed every stage of some current flow.
// The caller holds s.mu.
func (s *Server) flowDone(sess *uiaSession) bool {
	for _, f := range s.flows {
		done := true
		for _, stage := range f {
			if !slices.Contains(sess.completed, stage) {
				done = false
				break
			}
		}
		if done {
			return true
		}
	}
	return false
}

// The operations a UIAA session authenticates.
const (
	opRegister = "register"
	opGetToken = "get_token"
)

// errOpChanged is Synapse's answer when a session is used for another
// endpoint than the one that started it (check_ui_auth in
// synapse/handlers/auth.py compares the URI and method).
const errOpChanged = "Requested operation has changed during the UI authentication session."

// newSession starts a UIAA session for op; the caller holds s.mu.
func (s *Server) newSession(op string) *uiaSession {
	sess := &uiaSession{id: newID(24), op: op, params: map[string]any{}}
	s.sessions[sess.id] = sess
	s.sessionOrder = append(s.sessionOrder, sess.id)
	for len(s.sessions) > maxSessions && len(s.sessionOrder) > 0 {
		s.releaseToken(s.sessions[s.sessionOrder[0]])
		delete(s.sessions, s.sessionOrder[0])
		s.sessionOrder = s.sessionOrder[1:]
	}
	if len(s.sessionOrder) > 2*maxSessions {
		s.sessionOrder = slices.DeleteFunc(s.sessionOrder, func(id string) bool { return s.sessions[id] == nil })
	}
	return sess
}

// CompleteStage marks stage as completed in the UIAA session, as its
// fallback page does. It reports false when the session is unknown.
func (s *Server) CompleteStage(session, stage string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[session]
	if sess == nil {
		return false
	}
	if !slices.Contains(sess.completed, stage) {
		sess.completed = append(sess.completed, stage)
	}
	return true
}

// Sessions returns the IDs of the live UIAA sessions.
func (s *Server) Sessions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range s.sessionOrder {
		if s.sessions[id] != nil {
			out = append(out, id)
		}
	}
	return out
}

// Completed returns the stages the UIAA session completed, in order, and
// false when the session is unknown.
func (s *Server) Completed(session string) ([]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[session]
	if sess == nil {
		return nil, false
	}
	return append([]string{}, sess.completed...), true
}

// handleRegister answers POST /_matrix/client/v3/register in the order of
// Synapse's RegisterRestServlet.on_POST (synapse/rest/client/register.py):
// the kind (guests), whether registration is open, the desired username
// (checked on every request that carries one, before any stage: "Homeservers
// MUST perform the relevant checks and return these codes before performing
// User-Interactive Authentication", spec.matrix.org/v1.16/client-server-api/#post_matrixclientv3register),
// then the UIAA session. A session whose flow completed keeps its account: a replay, such
// as a retry after a lost answer, answers 200 with the same user_id again.
func (s *Server) handleRegister(r *http.Request, body []byte) reply {
	req, bad := parseObject(body)
	if bad != nil {
		return *bad
	}
	if s.cfg.OAuth != nil {
		return registerDelegated(r, req)
	}
	kind := "user"
	if q := r.URL.Query(); q.Has("kind") {
		kind = q.Get("kind")
	}
	switch kind {
	case "guest":
		return s.registerGuest(req)
	case "user":
	default:
		return errReply(http.StatusBadRequest, "M_UNRECOGNIZED", "Do not understand membership kind: "+kind)
	}
	if s.cfg.RegistrationDisabled {
		return errReply(http.StatusForbidden, "M_FORBIDDEN", "Registration has been disabled")
	}
	username, hasUsername, rep := optString(req, "username")
	if rep != nil {
		return *rep
	}
	password, hasPassword, rep := optString(req, "password")
	if rep != nil {
		return *rep
	}
	var auth map[string]any
	if a, ok := req["auth"]; ok && a != nil {
		if auth, ok = a.(map[string]any); !ok {
			return errReply(http.StatusBadRequest, "M_BAD_JSON", "auth must be an object")
		}
	}
	// Like Synapse, a missing or empty session starts a new one.
	sid, _ := auth["session"].(string)
	stage, hasType := auth["type"]
	stageType, _ := stage.(string)
	if hasType && stageType == "" {
		return errReply(http.StatusBadRequest, "M_INVALID_PARAM", "Bad parameter: type")
	}
	delete(req, "auth")
	delete(req, "username")
	delete(req, "password")

	s.mu.Lock()
	defer s.mu.Unlock()
	if hasUsername {
		// Synapse lowercases the desired username, then checks it with the
		// account the session already created, if any, as the one name
		// that is not "in use" (check_username's assigned_user_id).
		assigned := ""
		if known := s.sessions[sid]; sid != "" && known != nil && known.op == opRegister {
			assigned = known.userID
		}
		if rep := s.checkUsername(strings.ToLower(username), assigned, s.cfg.InhibitUserInUseError); rep != nil {
			return *rep
		}
	}
	var sess *uiaSession
	if sid == "" {
		sess = s.newSession(opRegister)
	} else if sess = s.sessions[sid]; sess == nil {
		// Synapse: SynapseError(400, "Unknown session ID: ...") whose
		// errcode defaults to M_UNKNOWN.
		return errReply(http.StatusBadRequest, "M_UNKNOWN", "Unknown session ID: "+sid)
	} else if sess.op != opRegister {
		return errReply(http.StatusForbidden, "M_FORBIDDEN", errOpChanged)
	}
	if changed(sess.username, username, hasUsername) || changed(sess.password, password, hasPassword) {
		return errReply(http.StatusForbidden, "M_FORBIDDEN", errOpChanged)
	}
	if hasUsername && sess.username == nil {
		sess.username = &username
	}
	if hasPassword && sess.password == nil {
		sess.password = &password
	}
	for k, v := range req {
		sess.params[k] = v
	}
	if len(auth) == 0 {
		return s.promptReply(sess)
	}
	var errcode, msg string
	if hasType {
		if !s.checksStage(stageType) {
			return unknownStage(stageType, auth)
		}
		errcode, msg = s.applyStage(sess, stageType, auth)
	}
	if !s.flowDone(sess) {
		return s.uiaReply(sess, errcode, msg)
	}
	if sess.userID != "" {
		// Synapse keeps the registered user ID in the session
		// (UIAuthSessionDataConstants.REGISTERED_USER_ID) and answers a
		// replay with it, logging in a new device unless inhibit_login;
		// Dendrite answers the same 200 again too.
		return s.registrationReply(sess)
	}
	return s.finishRegistration(sess)
}

// changed reports whether a request that has (or lacks) value differs from
// the first one of the session that set it.
func changed(first *string, value string, has bool) bool {
	return has && first != nil && *first != value
}

// optString reads an optional string field; null counts as absent.
func optString(m map[string]any, key string) (string, bool, *reply) {
	v, ok := m[key]
	if !ok || v == nil {
		return "", false, nil
	}
	str, ok := v.(string)
	if !ok {
		rep := errReply(http.StatusBadRequest, "M_BAD_JSON", key+" must be a string")
		return "", false, &rep
	}
	return str, true, nil
}

// finishRegistration creates the account of a session that completed a
// flow. The username was checked on the request already; like Synapse's
// register_user it is checked again here, for a name taken meanwhile or
// sent only on an earlier request. The session stays, with the account it
// made. The caller holds s.mu.
func (s *Server) finishRegistration(sess *uiaSession) reply {
	localpart := ""
	if sess.username != nil {
		// Synapse lowercases the desired username.
		localpart = strings.ToLower(*sess.username)
		if rep := s.checkUsername(localpart, "", false); rep != nil {
			return *rep
		}
	}
	if sess.password == nil || *sess.password == "" {
		return errReply(http.StatusBadRequest, "M_MISSING_PARAM", "Missing params: password")
	}
	if len([]rune(*sess.password)) < 8 {
		return errReply(http.StatusBadRequest, "M_WEAK_PASSWORD", "The password must be at least 8 characters long")
	}
	for _, addr := range sess.addresses {
		if s.bound[addr] {
			medium, _, _ := strings.Cut(addr, ":")
			return errReply(http.StatusBadRequest, "M_THREEPID_IN_USE", medium+" is already in use")
		}
	}
	sess.userID = s.createUser(localpart, *sess.password, false)
	for _, addr := range sess.addresses {
		s.bound[addr] = true
	}
	s.useToken(sess)
	s.recordConsent(sess)
	return s.registrationReply(sess)
}

// registrationReply is the 200 of a completed registration: the user ID
// alone with inhibit_login, else a new login (device_id honoured), as
// Synapse's _create_registration_details. The caller holds s.mu.
func (s *Server) registrationReply(sess *uiaSession) reply {
	if inhibit, _ := sess.params["inhibit_login"].(bool); inhibit {
		return jsonReply(loginResponse{UserID: sess.userID, HomeServer: s.cfg.ServerName})
	}
	deviceID, _ := sess.params["device_id"].(string)
	if deviceID == "" {
		deviceID = newDeviceID()
	}
	return jsonReply(loginResponse{UserID: sess.userID, AccessToken: s.issueAccess(sess.userID), DeviceID: deviceID, HomeServer: s.cfg.ServerName})
}

// registerGuest answers POST /register?kind=guest; every body field is
// ignored.
func (s *Server) registerGuest(map[string]any) reply {
	if !s.cfg.GuestsEnabled {
		// Synapse's _do_guest_registration (synapse/rest/client/register.py):
		// SynapseError(403, "Guest access is disabled"), whose errcode
		// defaults to M_UNKNOWN.
		return errReply(http.StatusForbidden, "M_UNKNOWN", "Guest access is disabled")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	userID := s.createUser("", "", true)
	return jsonReply(loginResponse{UserID: userID, AccessToken: newToken(), DeviceID: newDeviceID(), HomeServer: s.cfg.ServerName})
}
