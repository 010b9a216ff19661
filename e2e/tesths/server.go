// Package tesths is an in-process Matrix homeserver for tests: just the
// account-registration part of the client-server API (spec.matrix.org,
// "User-Interactive Authentication API" and "Account registration"), with
// exact JSON shapes, in-memory state and knobs the real servers lack:
// configurable UIAA flows, emails and SMS that are recorded instead of sent,
// a fallback page with a "Complete" button, forced rate limits and a record
// of every request.
//
// Where the spec is silent the server answers as Synapse does; the few
// places where it follows Dendrite or the brief instead say so in their doc
// comments.
package tesths

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Caps that keep a long-running server bounded. The oldest entry goes first.
const (
	maxRecorded    = 10000   // requests, emails, SMS
	maxSessions    = 10000   // UIAA sessions
	maxThreepids   = 10000   // email/msisdn validation sessions
	maxBody        = 1 << 20 // request body bytes
	defaultCaptcha = "valid-captcha"
)

// Request is one request the server received (OPTIONS preflights are not
// recorded).
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Body     []byte
	Header   http.Header
	// Host is the Host header: the listener of the authorization server
	// (OAuthConfig.Separate) records its requests here too.
	Host string
	Time time.Time
	// Status is the HTTP status of the answer.
	Status int
}

// Decode unmarshals the JSON body of the request into v.
func (r Request) Decode(v any) error {
	return json.Unmarshal(r.Body, v)
}

// Email is a validation email "sent" by POST
// /_matrix/client/v3/register/email/requestToken.
type Email struct {
	To           string
	ClientSecret string
	SID          string
	SendAttempt  int
	// Link is the absolute URL of the validation link; fetching it
	// validates the address, like ValidateEmail.
	Link     string
	Token    string
	NextLink string
	Time     time.Time
}

// SMS is a validation text "sent" by POST
// /_matrix/client/v3/register/msisdn/requestToken.
type SMS struct {
	// To is the country code followed by the digits of the phone number,
	// such as "GB7700900123".
	To           string
	SID          string
	Code         string
	ClientSecret string
	SendAttempt  int
	Country      string
	PhoneNumber  string
	Time         time.Time
}

// Server is the test homeserver. It is an http.Handler; all its methods are
// safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, such as http://127.0.0.1:1234.
	// Start sets it. A server run through New alone builds absolute URLs
	// (email links, submit_url) from the request's Host when it is empty;
	// set it before serving to override that.
	URL string
	// AuthURL is the base URL of the OAuth 2.0 authorization server when
	// Config.OAuth is set: URL itself, or with OAuthConfig.Separate the
	// second listener that Start opens. Start sets it.
	AuthURL string

	cfg   Config
	oauth *oauthState

	mu             sync.Mutex
	flows          [][]string
	sessions       map[string]*uiaSession
	sessionOrder   []string
	threepids      map[string]*threepidSession
	threepidOrder  []string
	users          map[string]*account // by localpart
	tokens         map[string]*TokenUses
	consents       map[string]map[string]string // user ID -> policy -> version
	userOrder      []string
	bound          map[string]bool   // "email:addr" or "msisdn:To" of created accounts
	access         map[string]string // access token -> user ID
	loginTokens    []string
	emails         []Email
	sms            []SMS
	limits         map[string]*rateLimit
	nextLocalpart  int
	recMu          sync.Mutex
	requests       []Request
	droppedRecords int
}

type account struct {
	userID   string
	password string
	guest    bool
}

type rateLimit struct {
	left       int
	retryAfter time.Duration
}

// New returns a Server for cfg. Serve it yourself, or use Start.
func New(cfg Config) *Server {
	if cfg.ServerName == "" {
		cfg.ServerName = "localhost"
	}
	if cfg.RecaptchaResponse == "" {
		cfg.RecaptchaResponse = defaultCaptcha
	}
	params := make(map[string]any, len(cfg.Params))
	for k, v := range cfg.Params {
		params[k] = v
	}
	cfg.Params = params
	cfg.RegistrationTokens = append([]string(nil), cfg.RegistrationTokens...)
	cfg.ThreepidInUse = append([]string(nil), cfg.ThreepidInUse...)
	cfg.ThreepidDenied = append([]string(nil), cfg.ThreepidDenied...)
	s := &Server{
		cfg:           cfg,
		sessions:      map[string]*uiaSession{},
		threepids:     map[string]*threepidSession{},
		users:         map[string]*account{},
		tokens:        newTokens(cfg),
		consents:      map[string]map[string]string{},
		bound:         map[string]bool{},
		limits:        map[string]*rateLimit{},
		nextLocalpart: 1,
	}
	s.flows = copyFlows(cfg.Flows)
	s.oauth = newOAuthState(cfg.OAuth)
	return s
}

// Start serves a new Server for cfg on a free port of 127.0.0.1 and sets its
// URL. The server closes when the test ends.
func Start(t testing.TB, cfg Config) *Server {
	t.Helper()
	s := New(cfg)
	ts := httptest.NewUnstartedServer(s)
	s.URL = "http://" + ts.Listener.Addr().String()
	s.AuthURL = s.URL
	if cfg.OAuth != nil && cfg.OAuth.Separate {
		as := httptest.NewUnstartedServer(s.AuthHandler())
		s.AuthURL = "http://" + as.Listener.Addr().String()
		as.Start()
		t.Cleanup(as.Close)
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return s
}

func copyFlows(flows [][]string) [][]string {
	if len(flows) == 0 {
		return [][]string{{"m.login.dummy"}}
	}
	out := make([][]string, len(flows))
	for i, f := range flows {
		out[i] = append([]string{}, f...)
	}
	return out
}

// ServeHTTP answers one request: CORS headers, OPTIONS preflights, forced
// rate limits, then the endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, s.route)
}

// serve is ServeHTTP for the homeserver's listener and for the
// authorization server's (AuthHandler), each with its routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, route func(*http.Request, []byte) reply) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Origin, X-Requested-With, Content-Type, Accept, Authorization")
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusOK)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	rw := &recorder{ResponseWriter: w, s: s, req: Request{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Body:     body,
		Header:   r.Header.Clone(),
		Host:     r.Host,
		Time:     time.Now(),
	}}
	defer func() {
		if !rw.done {
			rw.WriteHeader(http.StatusOK)
		}
	}()
	if err != nil {
		writeReply(rw, errReply(http.StatusBadRequest, "M_UNKNOWN", "Reading the request body failed"))
		return
	}
	if len(body) > maxBody {
		writeReply(rw, errReply(http.StatusRequestEntityTooLarge, "M_TOO_LARGE", "Request body too large"))
		return
	}
	if rep, limited := s.checkRateLimit(r.URL.Path); limited {
		writeReply(rw, rep)
		return
	}
	writeReply(rw, route(r, body))
}

func (s *Server) checkRateLimit(path string) (reply, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.limits[path]
	if l == nil {
		return reply{}, false
	}
	l.left--
	if l.left <= 0 {
		delete(s.limits, path)
	}
	ms := l.retryAfter.Milliseconds()
	if l.retryAfter%time.Millisecond != 0 {
		ms++
	}
	secs := int64(l.retryAfter / time.Second)
	if l.retryAfter%time.Second != 0 {
		secs++
	}
	return reply{
		status: http.StatusTooManyRequests,
		header: map[string]string{"Retry-After": fmt.Sprint(secs)},
		json: limitError{
			Errcode:      "M_LIMIT_EXCEEDED",
			Error:        "Too Many Requests",
			RetryAfterMs: ms,
		},
	}, true
}

type limitError struct {
	Errcode      string `json:"errcode"`
	Error        string `json:"error"`
	RetryAfterMs int64  `json:"retry_after_ms"`
}

// Paths of the endpoints.
const (
	pathVersions      = "/_matrix/client/versions"
	pathRegister      = "/_matrix/client/v3/register"
	pathAvailable     = "/_matrix/client/v3/register/available"
	pathTokenValidity = "/_matrix/client/v1/register/m.login.registration_token/validity"
	pathEmailToken    = "/_matrix/client/v3/register/email/requestToken"
	pathMsisdnToken   = "/_matrix/client/v3/register/msisdn/requestToken"
	pathLogin         = "/_matrix/client/v3/login"
	pathAuthMetadata  = "/_matrix/client/v1/auth_metadata"
	pathWellKnown     = "/.well-known/matrix/client"
	pathFallbackPre   = "/_matrix/client/v3/auth/"
	pathFallbackSuf   = "/fallback/web"

	// PathValidateEmail is the test endpoint of the links in emails.
	PathValidateEmail = "/_test/validate_email"
	// PathSubmitMsisdn is the submit_url of msisdn requestToken answers.
	PathSubmitMsisdn = "/_test/submit_msisdn_token"
	// PathPolicy serves a placeholder policy document, for terms params.
	PathPolicy = "/_test/policy"
)

// handler answers one endpoint for one method.
type handler func(*http.Request, []byte) reply

// route answers a request to the homeserver's listener. With Config.OAuth
// the endpoints that Synapse hands to matrix-authentication-service come
// first, then, on the same origin, the authorization server's own.
func (s *Server) route(r *http.Request, body []byte) reply {
	var byMethod map[string]handler
	if s.cfg.OAuth != nil {
		if byMethod = s.oauthHomeserverRoutes(r.URL.Path); byMethod == nil && !s.cfg.OAuth.Separate {
			byMethod = s.oauthServerRoutes(r.URL.Path)
		}
	}
	if byMethod == nil {
		byMethod = s.matrixRoutes(r.URL.Path)
	}
	if byMethod == nil {
		return errReply(http.StatusNotFound, "M_UNRECOGNIZED", "Unrecognized request")
	}
	h, ok := byMethod[r.Method]
	if !ok {
		return errReply(http.StatusMethodNotAllowed, "M_UNRECOGNIZED", "Unrecognized request")
	}
	return h(r, body)
}

// matrixRoutes are the client-server endpoints by method, nil for an
// unknown path.
func (s *Server) matrixRoutes(p string) map[string]handler {
	var byMethod map[string]handler
	switch {
	case p == pathVersions:
		byMethod = map[string]handler{"GET": s.handleVersions}
	case p == pathRegister:
		byMethod = map[string]handler{"POST": s.handleRegister}
	case p == pathAvailable:
		byMethod = map[string]handler{"GET": s.handleAvailable}
	case p == pathTokenValidity && !s.cfg.NoTokenValidity:
		byMethod = map[string]handler{"GET": s.handleTokenValidity}
	case p == pathEmailToken:
		byMethod = map[string]handler{"POST": s.handleEmailRequestToken}
	case p == pathMsisdnToken:
		byMethod = map[string]handler{"POST": s.handleMsisdnRequestToken}
	case p == pathLogin:
		byMethod = map[string]handler{"GET": s.handleLoginFlows, "POST": s.handleLogin}
	case (p == pathAuthMetadata || p == PathAuthMetadataUnstable) && s.cfg.AuthMetadata != nil:
		// Both paths, as Synapse registers them (rest/client/auth_metadata.py).
		byMethod = map[string]handler{"GET": s.handleAuthMetadata}
	case p == pathGetToken && s.cfg.LoginTokens:
		byMethod = map[string]handler{"POST": s.handleGetToken}
	case p == pathLogout:
		byMethod = map[string]handler{"POST": s.handleLogout}
	case p == pathWhoami:
		byMethod = map[string]handler{"GET": s.handleWhoami}
	case p == pathWellKnown && s.cfg.WellKnown != nil:
		byMethod = map[string]handler{"GET": s.handleWellKnown}
	case strings.HasPrefix(p, pathFallbackPre) && strings.HasSuffix(p, pathFallbackSuf) &&
		len(p) > len(pathFallbackPre)+len(pathFallbackSuf) &&
		!strings.Contains(p[len(pathFallbackPre):len(p)-len(pathFallbackSuf)], "/"):
		byMethod = map[string]handler{"GET": s.handleFallbackGet, "POST": s.handleFallbackPost}
	case p == PathValidateEmail:
		byMethod = map[string]handler{"GET": s.handleValidateEmail}
	case p == PathSubmitMsisdn:
		byMethod = map[string]handler{"POST": s.handleSubmitMsisdn}
	case p == PathPolicy:
		byMethod = map[string]handler{"GET": s.handlePolicy}
	}
	return byMethod
}
