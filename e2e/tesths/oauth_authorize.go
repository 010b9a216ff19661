package tesths

// The authorization endpoint (RFC 6749 section 4.1.1, RFC 7636 section
// 4.3) with the Matrix spec's scopes
// (spec.matrix.org/v1.16/client-server-api/#authorisation-code-flow), its
// sign-up and sign-in pages, and the callback (section 4.1.2).

import (
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Scope tokens (spec.matrix.org/v1.16/client-server-api/#allocated-scope-tokens),
// with the MSC2967 unstable names MAS accepts too.
const (
	scopeAPI            = "urn:matrix:client:api:*"
	scopeDevice         = "urn:matrix:client:device:"
	scopeAPIUnstable    = "urn:matrix:org.matrix.msc2967.client:api:*"
	scopeDeviceUnstable = "urn:matrix:org.matrix.msc2967.client:device:"
)

var (
	// deviceIDRE is MAS's device scope grammar
	// (policies/authorization_grant/authorization_grant.rego): RFC 3986
	// unreserved and sub-delims plus ":@/", at least 10 of them.
	deviceIDRE = regexp.MustCompile(`^[A-Za-z0-9._~!$&'()*+,;=:@/-]{10,}$`)
	// challengeRE is an S256 code_challenge: BASE64URL of a SHA-256 hash
	// without padding (RFC 7636 section 4.2).
	challengeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
)

// handleAuthorize answers GET {authorization_endpoint}. An unknown
// client_id, or a redirect_uri that is not one the client registered
// (missing is allowed when it registered only one, as MAS), gets an HTML
// error page and never a redirect (RFC 6749 section 4.1.2.1). Other errors
// go back to redirect_uri in the response mode with error,
// error_description and state: a response_mode not in
// response_modes_supported (query and fragment are the ones implemented)
// is invalid_request; response_type other than code is
// unsupported_response_type; a client whose grant_types lack
// authorization_code is unauthorized_client (MAS); prompt=none is
// login_required (MAS); a missing code_challenge or a
// code_challenge_method other than S256 is invalid_request (MAS accepts
// requests without PKCE; the spec's flow always sends it); a scope without
// urn:matrix:client:api:*, without exactly one
// urn:matrix:client:device:<device ID> (MAS's grammar), mixing stable and
// MSC2967 tokens, or with a token other than openid and email, is
// invalid_scope (MAS refuses those on its consent page instead). Then
// prompt=create (when supported) shows the sign-up page, anything else the
// sign-in page.
func (s *Server) handleAuthorize(r *http.Request, _ []byte) reply {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.oauth
	c := st.clients[q.Get("client_id")]
	if c == nil {
		return errorPage(http.StatusBadRequest, "The application that sent you here is not registered with this server (unknown client_id).")
	}
	redirect := q.Get("redirect_uri")
	if !q.Has("redirect_uri") && len(c.redirectURIs) == 1 {
		redirect = c.redirectURIs[0]
	} else if !c.redirectAllowed(redirect) {
		return errorPage(http.StatusBadRequest, "The application asked to return to an address it did not register (redirect_uri).")
	}
	g := &oauthGrant{
		id: newID(24), clientID: c.id, redirectURI: redirect, redirectGiven: q.Has("redirect_uri"),
		mode: q.Get("response_mode"), state: q.Get("state"), hasState: q.Has("state"), scope: q.Get("scope"),
		challenge: q.Get("code_challenge"),
	}
	if g.mode == "" {
		g.mode = "query" // the default of response_type=code (OAuth 2.0 Multiple Response Types section 2.1)
	}
	fail := func(code, desc string) reply {
		return st.callback(g, g.hasState, "error", code, "error_description", desc)
	}
	if !slices.Contains(st.cfg.ResponseModes, g.mode) || (g.mode != "query" && g.mode != "fragment") {
		g.mode = "query"
		return fail("invalid_request", "Unsupported response_mode")
	}
	prompt := strings.Fields(q.Get("prompt"))
	switch {
	case !q.Has("response_type"):
		return fail("invalid_request", "Missing response_type")
	case q.Get("response_type") != "code":
		return fail("unsupported_response_type", "Only response_type=code is supported")
	case !slices.Contains(c.grantTypes, "authorization_code"):
		return fail("unauthorized_client", "The client did not register the authorization_code grant type")
	case slices.Contains(prompt, "none"):
		return fail("login_required", "prompt=none is not supported")
	case g.challenge == "":
		return fail("invalid_request", "Missing code_challenge (PKCE is required)")
	case q.Get("code_challenge_method") != "S256":
		return fail("invalid_request", "code_challenge_method must be S256")
	case !challengeRE.MatchString(g.challenge):
		return fail("invalid_request", "code_challenge is not an S256 challenge")
	}
	device, msg := checkScope(g.scope)
	if msg != "" {
		return fail("invalid_scope", msg)
	}
	g.deviceID = device
	g.create = slices.Contains(prompt, "create") && !st.cfg.NoPromptCreate
	st.grants[g.id] = g
	st.grantList = append(st.grantList, g.id)
	for len(st.grants) > maxSessions && len(st.grantList) > 0 {
		delete(st.grants, st.grantList[0])
		st.grantList = st.grantList[1:]
	}
	if len(st.grantList) > 2*maxSessions {
		st.grantList = slices.DeleteFunc(st.grantList, func(id string) bool { return st.grants[id] == nil })
	}
	return s.grantPage(g, c, "", "")
}

// checkScope returns the device ID of a Matrix scope, or why it is refused.
func checkScope(scope string) (device, refused string) {
	var api, stable, unstable int
	var devices []string
	for _, tok := range strings.Fields(scope) {
		switch {
		case tok == scopeAPI:
			api++
			stable++
		case tok == scopeAPIUnstable:
			api++
			unstable++
		case strings.HasPrefix(tok, scopeDevice):
			devices = append(devices, tok[len(scopeDevice):])
			stable++
		case strings.HasPrefix(tok, scopeDeviceUnstable):
			devices = append(devices, tok[len(scopeDeviceUnstable):])
			unstable++
		case tok == "openid" || tok == "email":
		default:
			return "", "scope '" + tok + "' not allowed"
		}
	}
	switch {
	case api == 0:
		return "", "the scope must include " + scopeAPI
	case len(devices) != 1:
		return "", "the scope must include exactly one " + scopeDevice + "<device ID>"
	case !deviceIDRE.MatchString(devices[0]):
		return "", "invalid device ID in scope: " + devices[0]
	case stable > 0 && unstable > 0:
		return "", "request cannot mix unstable and stable scopes"
	}
	return devices[0], ""
}

// redirectAllowed is RFC 6749 section 3.1.2.3's simple string comparison,
// except that a native client's loopback redirect URI matches any port
// (RFC 8252 section 7.3, the spec's native clients).
func (c *oauthClient) redirectAllowed(raw string) bool {
	if slices.Contains(c.redirectURIs, raw) {
		return true
	}
	u, err := url.Parse(raw)
	if !c.native || err != nil || u.User != nil || strings.Contains(raw, "#") {
		return false
	}
	for _, reg := range c.redirectURIs {
		ru, err := url.Parse(reg)
		if err == nil && ru.Scheme == "http" && isLoopback(ru.Hostname()) && ru.Port() == "" &&
			u.Scheme == "http" && u.Hostname() == ru.Hostname() && u.Path == ru.Path && u.RawQuery == ru.RawQuery {
			return true
		}
	}
	return false
}

// callback is the 303 See Other (as MAS's axum Redirect::to) back to the
// grant's redirect URI with state (when the request had one) and the
// key/value pairs kv, per RFC 6749 section 4.1.2 and the spec's
// "Callback": in the query, after the redirect URI's own query, with an
// empty fragment that drops any fragment the browser had (as MAS); or in
// the fragment.
func (st *oauthState) callback(g *oauthGrant, withState bool, kv ...string) reply {
	var params []string
	if withState {
		params = append(params, "state="+url.QueryEscape(g.state))
	}
	for i := 0; i+1 < len(kv); i += 2 {
		params = append(params, url.QueryEscape(kv[i])+"="+url.QueryEscape(kv[i+1]))
	}
	enc := strings.Join(params, "&")
	loc := g.redirectURI
	if g.mode == "fragment" {
		loc += "#" + enc
	} else {
		if strings.Contains(loc, "?") {
			loc += "&" + enc
		} else {
			loc += "?" + enc
		}
		loc += "#"
	}
	return reply{status: http.StatusSeeOther, header: map[string]string{"Location": loc, "Cache-Control": "no-store"}}
}

// handleAuthorizeForm answers the pages' form (POST to the authorization
// endpoint): "cancel" returns access_denied (RFC 6749 section 4.1.2.1);
// "create" makes the account (a name taken or invalid, or a password under
// 8 characters, shows the page again with the reason); "signin" checks
// the password of an existing account. Then the callback carries a code
// valid 10 minutes, once (MAS).
func (s *Server) handleAuthorizeForm(r *http.Request, body []byte) reply {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return errorPage(http.StatusBadRequest, "The form was not sent as a form.")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return errorPage(http.StatusBadRequest, "The form could not be read.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.oauth
	g := st.grants[form.Get("grant")]
	var c *oauthClient
	if g != nil {
		c = st.clients[g.clientID]
	}
	if c == nil {
		return errorPage(http.StatusBadRequest, "This sign-in request is unknown or was already answered.")
	}
	withState := g.hasState
	username, password := form.Get("username"), form.Get("password")
	switch form.Get("action") {
	case "cancel":
		delete(st.grants, g.id)
		return st.callback(g, withState, "error", "access_denied", "error_description", "The user cancelled the request")
	case "create":
		if !g.create {
			return errorPage(http.StatusBadRequest, "This request does not allow creating an account.")
		}
		if rep := s.checkUsername(username, "", false); rep != nil {
			msg := "That username is not allowed."
			if e, ok := rep.json.(matrixError); ok {
				msg = e.Error
			}
			return s.grantPage(g, c, username, msg)
		}
		if len([]rune(password)) < 8 {
			return s.grantPage(g, c, username, "The password must be at least 8 characters long.")
		}
		g.userID = s.createUser(username, password, false)
	case "signin":
		a := s.users[strings.ToLower(username)]
		if a == nil || a.guest || a.password != password || password == "" {
			return s.grantPage(g, c, username, "Invalid username or password.")
		}
		g.userID = a.userID
	default:
		return errorPage(http.StatusBadRequest, "Unknown action.")
	}
	delete(st.grants, g.id)
	g.code = randomFrom("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32)
	g.fulfilled = time.Now()
	st.codes[g.code] = g
	return st.callback(g, withState, "code", g.code)
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head><body><main>
<h1>{{.Title}}</h1>
{{if .Client}}<p>{{.Client}} wants to use your account on {{.Server}}.</p>{{end}}
{{if .Error}}<p id="as-error" role="alert">{{.Error}}</p>{{end}}
{{if .Grant}}<form method="post" action="{{.Action}}">
<input type="hidden" name="grant" value="{{.Grant}}">
<p><label for="as-username">Username</label> <input id="as-username" name="username" autocomplete="username" value="{{.Username}}" required></p>
<p><label for="as-password">Password</label> <input id="as-password" name="password" type="password" autocomplete="{{if .Create}}new-password{{else}}current-password{{end}}" required></p>
<p>{{if .Create}}<button id="as-create" type="submit" name="action" value="create">Create account</button>{{else}}<button id="as-signin" type="submit" name="action" value="signin">Sign in</button>{{end}}
<button id="as-cancel" type="submit" name="action" value="cancel" formnovalidate>Cancel</button></p>
</form>{{end}}
</main></body></html>
`))

type pageData struct {
	Title, Client, Server, Error string
	Grant, Action, Username      string
	Create                       bool
}

func renderPage(status int, d pageData) reply {
	var b strings.Builder
	if err := pageTemplate.Execute(&b, d); err != nil {
		return reply{status: http.StatusInternalServerError, html: "Rendering the page failed\n"}
	}
	return reply{status: status, html: b.String(), header: map[string]string{"Cache-Control": "no-store"}}
}

// errorPage is the HTML page of a request that cannot go back to the
// client.
func errorPage(status int, msg string) reply {
	return renderPage(status, pageData{Title: "This request cannot be completed", Error: msg})
}

// grantPage is the sign-up or sign-in page of g, with the username typed
// and an error. The caller holds s.mu.
func (s *Server) grantPage(g *oauthGrant, c *oauthClient, username, errMsg string) reply {
	d := pageData{Title: "Sign in", Client: c.name, Server: s.cfg.ServerName, Error: errMsg,
		Grant: g.id, Action: PathOAuthAuthorize, Username: username, Create: g.create}
	if d.Client == "" {
		d.Client = "An application"
	}
	if g.create {
		d.Title = "Create your account"
	}
	return renderPage(http.StatusOK, d)
}
