package tesths

// The OAuth 2.0 authorization server of an OAuth-delegated homeserver
// (spec.matrix.org/v1.16/client-server-api/#oauth-20-api), modelled on
// matrix-authentication-service (MAS) in front of Synapse: discovery here,
// client registration in oauth_register.go, the authorization endpoint and
// its pages in oauth_authorize.go, the token and revocation endpoints in
// oauth_token.go.

import (
	"maps"
	"net/http"
	"strings"
	"time"
)

// OAuthConfig sets up the OAuth 2.0 authorization server of Config.OAuth.
type OAuthConfig struct {
	// Separate runs the authorization server on its own origin, a second
	// listener whose base URL is Server.AuthURL, as MAS on
	// auth.example.org next to the homeserver. By default it shares the
	// homeserver's origin, its endpoints under /oauth2/.
	Separate bool
	// Unstable serves the metadata only at the MSC2965 path
	// /_matrix/client/unstable/org.matrix.msc2965/auth_metadata, as
	// Synapse did before spec v1.15: the stable path answers 404
	// M_UNRECOGNIZED and /versions lacks v1.15.
	Unstable bool
	// NoPromptCreate leaves "create" out of prompt_values_supported, as
	// MAS does when password registration is disabled; prompt=create then
	// shows the sign-in page.
	NoPromptCreate bool
	// AllowInsecureURIs accepts http client_uri, redirect_uris, logo_uri,
	// tos_uri and policy_uri on loopback hosts (localhost, 127.0.0.1,
	// [::1]), like MAS's policy.data.client_registration.allow_insecure_uris
	// (which allows any http URI). Without it web clients need https, as
	// the spec asks.
	AllowInsecureURIs bool
	// ResponseModes is response_modes_supported; default ["query",
	// "fragment"]. The authorization endpoint refuses any other mode.
	ResponseModes []string
	// RefuseRegistration, when set, makes the registration endpoint
	// answer 400 with this RFC 7591 error code, such as
	// "invalid_client_metadata".
	RefuseRegistration string
	// TokenError, when set, makes the token endpoint answer 400 with this
	// RFC 6749 error code, such as "invalid_grant".
	TokenError string
	// AccessTokenTTL is the lifetime of access tokens (expires_in);
	// default 5 minutes, MAS's access_token_ttl.
	AccessTokenTTL time.Duration
	// Patch is merged over the served metadata, at auth_metadata and the
	// authorization server's well-known URIs; a nil value deletes the key.
	Patch map[string]any
}

// Paths of the authorization server, under AuthURL.
const (
	PathOAuthAuthorize    = "/oauth2/authorize"
	PathOAuthToken        = "/oauth2/token"
	PathOAuthRegistration = "/oauth2/registration"
	PathOAuthRevoke       = "/oauth2/revoke"
	PathOAuthAccount      = "/oauth2/account/"
	// PathOAuthWellKnown is the RFC 8414 section 3 metadata URI; MAS
	// serves the same document at /.well-known/openid-configuration.
	PathOAuthWellKnown = "/.well-known/oauth-authorization-server"
	pathOIDCWellKnown  = "/.well-known/openid-configuration"
	// PathAuthMetadataUnstable is the MSC2965 discovery path.
	PathAuthMetadataUnstable = "/_matrix/client/unstable/org.matrix.msc2965/auth_metadata"
)

const (
	codeTTL       = 10 * time.Minute // MAS: "Code exchange took more than 10 minutes"
	codeReuseKill = 20 * time.Second // MAS ends the session of a code reused later than this
	defaultTTL    = 5 * time.Minute
)

// oauthState is the authorization server's memory; s.mu guards it.
type oauthState struct {
	cfg        OAuthConfig
	clients    map[string]*oauthClient
	clientList []string
	received   []map[string]any       // registration requests, as received
	grants     map[string]*oauthGrant // by grant ID, until the user answers
	codes      map[string]*oauthGrant // by code
	grantList  []string
	access     map[string]*oauthSession
	refresh    map[string]*oauthSession
}

// oauthClient is a registered client (RFC 7591 section 3.2.1).
type oauthClient struct {
	id           string
	name         string
	redirectURIs []string
	native       bool
	grantTypes   []string
	// authMethod is the token_endpoint_auth_method it registered: "none",
	// or "" when it sent none (see handleOAuthToken).
	authMethod string
}

// oauthGrant is one authorization request (RFC 6749 section 4.1.1).
type oauthGrant struct {
	id, clientID, redirectURI, mode, state string
	hasState                               bool
	// redirectGiven is whether the request carried redirect_uri, which the
	// token request must then repeat (RFC 6749 section 4.1.3).
	redirectGiven bool
	scope         string
	deviceID      string
	challenge     string
	create        bool
	code          string
	userID        string
	fulfilled     time.Time
	exchanged     time.Time
	session       *oauthSession
}

// oauthSession is what a token request creates: a device of a user with an
// access and a refresh token; revoking either ends both.
type oauthSession struct {
	clientID, userID, deviceID, scope string
	accessToken, refreshToken         string
	expires                           time.Time
	ended                             bool
	// prevRefresh is the refresh token this pair replaced; MAS accepts it
	// once more while the new access token is unused (a lost answer).
	prevRefresh string
	accessUsed  bool
}

func newOAuthState(cfg *OAuthConfig) *oauthState {
	if cfg == nil {
		return nil
	}
	c := *cfg
	if len(c.ResponseModes) == 0 {
		c.ResponseModes = []string{"query", "fragment"}
	}
	c.ResponseModes = append([]string(nil), c.ResponseModes...)
	if c.AccessTokenTTL <= 0 {
		c.AccessTokenTTL = defaultTTL
	}
	c.Patch = maps.Clone(c.Patch)
	return &oauthState{
		cfg:     c,
		clients: map[string]*oauthClient{},
		grants:  map[string]*oauthGrant{},
		codes:   map[string]*oauthGrant{},
		access:  map[string]*oauthSession{},
		refresh: map[string]*oauthSession{},
	}
}

// AuthHandler serves the authorization server alone, for a Server run
// through New with OAuthConfig.Separate (Start serves it itself). Its
// requests are recorded with the homeserver's.
func (s *Server) AuthHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, s.routeAuthServer)
	})
}

// routeAuthServer answers a request to the authorization server's own
// listener: its endpoints only.
func (s *Server) routeAuthServer(r *http.Request, body []byte) reply {
	byMethod := s.oauthServerRoutes(r.URL.Path)
	if byMethod == nil {
		return reply{status: http.StatusNotFound, html: "Not found\n"}
	}
	h, ok := byMethod[r.Method]
	if !ok {
		return reply{status: http.StatusMethodNotAllowed, html: "Method not allowed\n"}
	}
	return h(r, body)
}

// oauthHomeserverRoutes are the homeserver endpoints that change when
// Synapse delegates to MAS (synapse/rest/client/*.py register_servlets with
// hs.config.mas.enabled): auth_metadata at the stable path (unless
// Unstable) and the MSC2965 one; /login served by MAS's compatibility layer;
// no /register/available, token validity or requestToken endpoints.
// /register and /logout change in their handlers. Nil: not changed.
func (s *Server) oauthHomeserverRoutes(p string) map[string]handler {
	switch p {
	case pathAuthMetadata:
		if s.cfg.OAuth.Unstable {
			return map[string]handler{"GET": notFound}
		}
		return map[string]handler{"GET": s.handleOAuthMetadata}
	case PathAuthMetadataUnstable:
		return map[string]handler{"GET": s.handleOAuthMetadata}
	case pathAvailable, pathTokenValidity, pathEmailToken, pathMsisdnToken:
		return map[string]handler{"GET": notFound, "POST": notFound}
	case pathLogin:
		return map[string]handler{"GET": s.handleOAuthLoginFlows, "POST": s.handleLogin}
	}
	return nil
}

// oauthServerRoutes are the authorization server's endpoints.
func (s *Server) oauthServerRoutes(p string) map[string]handler {
	switch p {
	case PathOAuthWellKnown, pathOIDCWellKnown:
		return map[string]handler{"GET": s.handleOAuthMetadata}
	case PathOAuthRegistration:
		return map[string]handler{"POST": s.handleOAuthRegister}
	case PathOAuthAuthorize:
		return map[string]handler{"GET": s.handleAuthorize, "POST": s.handleAuthorizeForm}
	case PathOAuthToken:
		return map[string]handler{"POST": s.handleOAuthToken}
	case PathOAuthRevoke:
		return map[string]handler{"POST": s.handleOAuthRevoke}
	case PathOAuthAccount:
		return map[string]handler{"GET": s.handleOAuthAccount}
	}
	return nil
}

func notFound(*http.Request, []byte) reply {
	return errReply(http.StatusNotFound, "M_UNRECOGNIZED", "Unrecognized request")
}

// authBase is the base URL of the authorization server, without a
// trailing slash.
func (s *Server) authBase(r *http.Request) string {
	if s.AuthURL != "" {
		return strings.TrimRight(s.AuthURL, "/")
	}
	return s.baseURL(r)
}

// oauthMetadata is the RFC 8414 section 2 metadata, with the fields the
// Matrix spec names (spec.matrix.org/v1.16/client-server-api/#server-metadata-discovery)
// and MAS's values: issuer with a trailing slash, account_management_uri,
// prompt_values_supported ["login", "create"] (MAS drops "create" without
// password registration). Patch goes over it. The caller holds s.mu.
func (s *Server) oauthMetadata(r *http.Request) map[string]any {
	base := s.authBase(r)
	prompts := []string{"login", "create"}
	if s.oauth.cfg.NoPromptCreate {
		prompts = prompts[:1]
	}
	md := map[string]any{
		"issuer":                                     base + "/",
		"authorization_endpoint":                     base + PathOAuthAuthorize,
		"token_endpoint":                             base + PathOAuthToken,
		"registration_endpoint":                      base + PathOAuthRegistration,
		"revocation_endpoint":                        base + PathOAuthRevoke,
		"account_management_uri":                     base + PathOAuthAccount,
		"account_management_actions_supported":       []string{"org.matrix.profile", "org.matrix.devices_list", "org.matrix.device_view", "org.matrix.device_delete", "org.matrix.cross_signing_reset"},
		"response_types_supported":                   []string{"code"},
		"response_modes_supported":                   s.oauth.cfg.ResponseModes,
		"grant_types_supported":                      []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported":           []string{"S256"},
		"token_endpoint_auth_methods_supported":      []string{"none"},
		"revocation_endpoint_auth_methods_supported": []string{"none"},
		"scopes_supported":                           []string{"openid", "email"},
		"prompt_values_supported":                    prompts,
	}
	for k, v := range s.oauth.cfg.Patch {
		if v == nil {
			delete(md, k)
		} else {
			md[k] = v
		}
	}
	return md
}

// handleOAuthMetadata answers the metadata, at GET
// /_matrix/client/v1/auth_metadata as Synapse's AuthMetadataServlet
// (synapse/rest/client/auth_metadata.py, with its Cache-Control) and at the
// authorization server's well-known URIs.
func (s *Server) handleOAuthMetadata(r *http.Request, _ []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep := jsonReply(s.oauthMetadata(r))
	rep.header = map[string]string{"Cache-Control": "public, max-age=600, s-maxage=3600, stale-while-revalidate=600"}
	return rep
}

// handleOAuthLoginFlows answers GET /login as MAS's compatibility layer
// (crates/handlers/src/compat/login.rs) with password login enabled:
// m.login.password, m.login.sso with oauth_aware_preferred (and its
// MSC3824 unstable name) and no identity providers, m.login.token.
func (s *Server) handleOAuthLoginFlows(*http.Request, []byte) reply {
	return jsonReply(map[string]any{"flows": []any{
		map[string]any{"type": "m.login.password"},
		map[string]any{"type": "m.login.sso", "oauth_aware_preferred": true, "org.matrix.msc3824.delegated_oidc_compatibility": true},
		map[string]any{"type": "m.login.token"},
	}})
}

func (s *Server) handleOAuthAccount(*http.Request, []byte) reply {
	return reply{status: http.StatusOK, html: "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your account</title></head>" +
		"<body><h1>Your account</h1><p>The account page of the test authorization server.</p></body></html>\n"}
}

// oauthError is an OAuth 2.0 error answer (RFC 6749 section 5.2, RFC 7591
// section 3.2.2).
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func oauthErrReply(status int, code, description string) reply {
	return reply{status: status, json: oauthError{Error: code, Description: description}}
}

// OAuthClients returns the metadata of every client registration request,
// as received, oldest first (refused ones included).
func (s *Server) OAuthClients() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oauth == nil {
		return nil
	}
	out := make([]map[string]any, len(s.oauth.received))
	for i, m := range s.oauth.received {
		out[i] = maps.Clone(m)
	}
	return out
}

// ActiveOAuthTokens returns how many OAuth access tokens are live: issued
// by the token endpoint, not replaced by a refresh, not revoked (expired
// ones count).
func (s *Server) ActiveOAuthTokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oauth == nil {
		return 0
	}
	n := 0
	for tok, sess := range s.oauth.access {
		if !sess.ended && sess.accessToken == tok {
			n++
		}
	}
	return n
}

// registerDelegated answers POST /register on an OAuth-delegated server as
// Synapse's RegisterAppServiceOnlyRestServlet (synapse/rest/client/register.py,
// hs.config.mas.enabled), in its order: only application services may
// register; this server has none, so one that tries gets the answers that
// do not need one (inhibit_login, kind, username, the token).
func registerDelegated(r *http.Request, req map[string]any) reply {
	if t, _ := req["type"].(string); t != "m.login.application_service" {
		return errReply(http.StatusForbidden, "M_FORBIDDEN", "Registration has been disabled. Only m.login.application_service registrations are allowed.")
	}
	if inhibit, _ := req["inhibit_login"].(bool); !inhibit {
		return errReply(http.StatusBadRequest, "M_APPSERVICE_LOGIN_UNSUPPORTED", "This server uses OAuth2, so the inhibit_login parameter must be set to true for appservice registrations.")
	}
	switch kind := r.URL.Query().Get("kind"); {
	case !r.URL.Query().Has("kind"), kind == "user":
	case kind == "guest":
		return errReply(http.StatusForbidden, "M_UNKNOWN", "Guest access is disabled")
	default:
		return errReply(http.StatusBadRequest, "M_UNRECOGNIZED", "Do not understand membership kind: "+kind)
	}
	if u, ok := req["username"].(string); !ok || len(u) > 512 {
		return errReply(http.StatusBadRequest, "M_UNKNOWN", "Invalid username")
	}
	if r.Header.Get("Authorization") == "" && !r.URL.Query().Has("access_token") {
		return errReply(http.StatusBadRequest, "M_UNKNOWN", "Appservice token must be provided when using a type of m.login.application_service")
	}
	return errReply(http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Unrecognised access token")
}
