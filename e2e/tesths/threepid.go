package tesths

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// threepidSession is one email or msisdn validation session.
type threepidSession struct {
	sid          string
	medium       string // "email" or "msisdn"
	address      string // canonical email, or the SMS.To form
	clientSecret string
	token        string
	sendAttempt  int
	nextLink     string
	validated    bool
	used         bool
}

func (t *threepidSession) key() string { return t.medium + ":" + t.address }

var clientSecretRE = regexp.MustCompile(`^[0-9a-zA-Z.=_-]{1,255}$`)

// threepidRequest holds the common fields of both requestToken bodies.
type threepidRequest struct {
	clientSecret string
	sendAttempt  int
	nextLink     string
}

// parseThreepidRequest checks what both requestToken endpoints share, with
// Synapse's errors: missing fields (400 M_MISSING_PARAM), client_secret
// (400 M_INVALID_PARAM), send_attempt (400 M_INVALID_PARAM).
func parseThreepidRequest(req map[string]any, required ...string) (threepidRequest, *reply) {
	var missing []string
	for _, k := range required {
		if _, ok := req[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		rep := errReply(http.StatusBadRequest, "M_MISSING_PARAM", "Missing params: "+strings.Join(missing, ", "))
		return threepidRequest{}, &rep
	}
	secret, _ := req["client_secret"].(string)
	if !clientSecretRE.MatchString(secret) {
		rep := errReply(http.StatusBadRequest, "M_INVALID_PARAM", "Invalid client_secret parameter")
		return threepidRequest{}, &rep
	}
	n, ok := req["send_attempt"].(float64)
	if !ok || n != float64(int(n)) {
		rep := errReply(http.StatusBadRequest, "M_INVALID_PARAM", "send_attempt must be an integer")
		return threepidRequest{}, &rep
	}
	next, _ := req["next_link"].(string)
	return threepidRequest{clientSecret: secret, sendAttempt: int(n), nextLink: next}, nil
}

// canonicalEmail applies Synapse's check (one "@", at most 320 characters;
// this server also wants both parts non-empty) and lowercases the address.
func canonicalEmail(addr string) (string, bool) {
	addr = strings.TrimSpace(addr)
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || len(addr) > 320 {
		return "", false
	}
	return strings.ToLower(local) + "@" + strings.ToLower(domain), true
}

// threepidListed reports whether one of the forms of an address is in list
// (case-insensitively).
func threepidListed(list []string, forms ...string) bool {
	for _, item := range list {
		for _, f := range forms {
			if f != "" && strings.EqualFold(strings.TrimSpace(item), f) {
				return true
			}
		}
	}
	return false
}

// startValidation finds or starts the validation session of address for
// client_secret and reports whether a message must be sent, following
// Synapse's send_threepid_validation: an unvalidated session with the same
// secret and address is reused, and a message only goes out when
// send_attempt is higher than the last one. The caller holds s.mu.
func (s *Server) startValidation(medium, address string, tr threepidRequest, newToken func() string) (*threepidSession, bool) {
	for _, id := range s.threepidOrder {
		t := s.threepids[id]
		if t == nil || t.medium != medium || t.address != address || t.clientSecret != tr.clientSecret || t.validated {
			continue
		}
		if tr.sendAttempt <= t.sendAttempt {
			return t, false
		}
		t.sendAttempt = tr.sendAttempt
		t.nextLink = tr.nextLink
		return t, true
	}
	t := &threepidSession{
		sid:          newID(16),
		medium:       medium,
		address:      address,
		clientSecret: tr.clientSecret,
		token:        newToken(),
		sendAttempt:  tr.sendAttempt,
		nextLink:     tr.nextLink,
	}
	s.threepids[t.sid] = t
	s.threepidOrder = append(s.threepidOrder, t.sid)
	for len(s.threepidOrder) > maxThreepids {
		delete(s.threepids, s.threepidOrder[0])
		s.threepidOrder = s.threepidOrder[1:]
	}
	return t, true
}

// handleEmailRequestToken answers POST /register/email/requestToken with
// {"sid"} (no submit_url: the link in the email validates).
func (s *Server) handleEmailRequestToken(r *http.Request, body []byte) reply {
	req, bad := parseObject(body)
	if bad != nil {
		return *bad
	}
	tr, bad := parseThreepidRequest(req, "client_secret", "email", "send_attempt")
	if bad != nil {
		return *bad
	}
	raw, _ := req["email"].(string)
	email, ok := canonicalEmail(raw)
	if !ok {
		// Synapse: SynapseError(400, "Unable to parse email address"),
		// errcode defaulting to M_UNKNOWN.
		return errReply(http.StatusBadRequest, "M_UNKNOWN", "Unable to parse email address")
	}
	if threepidListed(s.cfg.ThreepidDenied, email) {
		return errReply(http.StatusForbidden, "M_THREEPID_DENIED", "Your email domain is not authorized to register on this server")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if threepidListed(s.cfg.ThreepidInUse, email) || s.bound["email:"+email] {
		return errReply(http.StatusBadRequest, "M_THREEPID_IN_USE", "Email is already in use")
	}
	t, send := s.startValidation("email", email, tr, func() string { return newID(32) })
	if send {
		link := s.baseURL(r) + PathValidateEmail + "?" + url.Values{
			"sid":           {t.sid},
			"client_secret": {t.clientSecret},
			"token":         {t.token},
		}.Encode()
		s.emails = append(s.emails, Email{
			To: email, ClientSecret: t.clientSecret, SID: t.sid, SendAttempt: tr.sendAttempt,
			Link: link, Token: t.token, NextLink: tr.nextLink, Time: time.Now(),
		})
		if n := len(s.emails) - maxRecorded; n > 0 {
			s.emails = append([]Email(nil), s.emails[n:]...)
		}
	}
	return jsonReply(map[string]any{"sid": t.sid})
}

var countryRE = regexp.MustCompile(`^[A-Za-z]{2}$`)

// handleMsisdnRequestToken answers POST /register/msisdn/requestToken with
// {"sid", "submit_url"}; the code goes to SMS().
func (s *Server) handleMsisdnRequestToken(r *http.Request, body []byte) reply {
	req, bad := parseObject(body)
	if bad != nil {
		return *bad
	}
	tr, bad := parseThreepidRequest(req, "client_secret", "country", "phone_number", "send_attempt")
	if bad != nil {
		return *bad
	}
	country, _ := req["country"].(string)
	phone, _ := req["phone_number"].(string)
	digits := strings.Map(func(c rune) rune {
		switch {
		case c >= '0' && c <= '9':
			return c
		case strings.ContainsRune(" -.()+", c):
			return -1
		}
		return 'x'
	}, phone)
	if !countryRE.MatchString(country) || strings.Contains(digits, "x") || len(digits) < 4 || len(digits) > 15 {
		return errReply(http.StatusBadRequest, "M_UNKNOWN", "Unable to parse phone number")
	}
	country = strings.ToUpper(country)
	to := country + digits
	if threepidListed(s.cfg.ThreepidDenied, phone, digits, to) {
		return errReply(http.StatusForbidden, "M_THREEPID_DENIED", "Phone numbers are not authorized to register on this server")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if threepidListed(s.cfg.ThreepidInUse, phone, digits, to) || s.bound["msisdn:"+to] {
		return errReply(http.StatusBadRequest, "M_THREEPID_IN_USE", "Phone number is already in use")
	}
	t, send := s.startValidation("msisdn", to, tr, func() string { return newDigits(6) })
	if send {
		s.sms = append(s.sms, SMS{
			To: to, SID: t.sid, Code: t.token, ClientSecret: t.clientSecret, SendAttempt: tr.sendAttempt,
			Country: country, PhoneNumber: phone, Time: time.Now(),
		})
		if n := len(s.sms) - maxRecorded; n > 0 {
			s.sms = append([]SMS(nil), s.sms[n:]...)
		}
	}
	return jsonReply(map[string]any{"sid": t.sid, "submit_url": s.baseURL(r) + PathSubmitMsisdn})
}

// handleSubmitMsisdn answers POST submit_url {sid, client_secret, token}
// with {"success": true} when the code matches (the number is then
// validated), else {"success": false}.
func (s *Server) handleSubmitMsisdn(_ *http.Request, body []byte) reply {
	var req struct {
		SID          string `json:"sid"`
		ClientSecret string `json:"client_secret"`
		Token        string `json:"token"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return errReply(http.StatusBadRequest, "M_NOT_JSON", "Content not JSON.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.threepids[req.SID]
	ok := t != nil && t.medium == "msisdn" && t.clientSecret == req.ClientSecret && t.token == req.Token
	if ok {
		t.validated = true
	}
	return jsonReply(map[string]any{"success": ok})
}

// ValidateEmail marks the email validation session sid as validated, like a
// click on the link of its email. It reports false when there is no such
// session.
func (s *Server) ValidateEmail(sid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.threepids[sid]
	if t == nil || t.medium != "email" {
		return false
	}
	t.validated = true
	return true
}

// ValidateMsisdn marks the msisdn validation session sid as validated, as a
// right code sent to submit_url does. It reports false when there is no
// such session.
func (s *Server) ValidateMsisdn(sid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.threepids[sid]
	if t == nil || t.medium != "msisdn" {
		return false
	}
	t.validated = true
	return true
}

// handleValidateEmail serves the link of the emails: it validates the
// session and answers "Email verified", or redirects (302) to the next_link
// of the request when it is http(s), as Synapse does.
func (s *Server) handleValidateEmail(r *http.Request, _ []byte) reply {
	q := r.URL.Query()
	s.mu.Lock()
	t := s.threepids[q.Get("sid")]
	ok := t != nil && t.medium == "email" && t.clientSecret == q.Get("client_secret") && t.token == q.Get("token")
	next := ""
	if ok {
		t.validated = true
		next = t.nextLink
	}
	s.mu.Unlock()
	if !ok {
		return reply{status: http.StatusBadRequest, html: page("Verification failed",
			`<p id="failure">Validation token not found or has expired.</p>`)}
	}
	if u, err := url.Parse(next); next != "" && err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return reply{status: http.StatusFound, header: map[string]string{"Location": next}}
	}
	return reply{status: http.StatusOK, html: page("Email verified",
		`<p id="success">Email verified. You may now return to the application.</p>`)}
}

// page is a small HTML document; body is trusted HTML.
func page(title, body string) string {
	return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
		html.EscapeString(title) + "</title></head>\n<body><h1>" + html.EscapeString(title) + "</h1>\n" + body + "\n</body></html>\n"
}
