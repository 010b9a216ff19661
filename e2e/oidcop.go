package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"html/template"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// The OpenID provider of the single sign-on tests.
//
// The protocol is github.com/zitadel/oidc's op package (an OpenID
// Connect Core 1.0 provider, https://openid.net/specs/openid-connect-core-1_0.html,
// with PKCE, RFC 7636). Its storage is the in-memory Storage of the same
// module's example/server/storage, which the module's own op and client
// integration tests run against, so it is kept working with op at every
// version; writing our own would be some sixty methods of op.Storage,
// op.Client and op.AuthRequest that nobody else exercises. What we take
// from the example is given our own values: the users (an
// [OIDCProvider.AddUser] store, not the example's fixed ones), the one
// client (built with its WebClient: client_secret_basic, the code flow)
// and its redirect URIs, which [opStorage] answers from
// [OIDCProvider.AllowRedirectURI]. The example's login UI
// (example/server/exampleop) is not used: its setup replaces the
// process-wide slog default, exits the process on an error (log.Fatal) and
// derives the token key from a fixed string; the login page here is a
// small form whose ids the browser helpers rely on.

// Element ids of the provider's login page (GET /login/username): the
// browser fills OIDCLoginUsernameID and OIDCLoginPasswordID and clicks
// OIDCLoginSubmitID; a wrong password shows the page again with
// OIDCLoginErrorID.
const (
	OIDCLoginFormID     = "idp-login"
	OIDCLoginUsernameID = "idp-username"
	OIDCLoginPasswordID = "idp-password"
	OIDCLoginSubmitID   = "idp-submit"
	OIDCLoginErrorID    = "idp-error"
	// OIDCLoginTitle is the login page's title.
	OIDCLoginTitle = "Test IdP: sign in"
)

// oidcLoginPath is where the example storage's WebClient sends the browser
// to log in, with ?authRequestID=.
const oidcLoginPath = "/login/username"

// OIDCProvider is an OpenID provider on a free port of 127.0.0.1, started
// by [StartOIDCProvider]. It has one confidential client
// (ClientID/ClientSecret, client_secret_basic), the users added with
// AddUser, and no session: every authorization request shows the login
// page, also for a user who logged in before.
type OIDCProvider struct {
	// Issuer is http://127.0.0.1:PORT, without a final slash; discovery is
	// at Issuer + "/.well-known/openid-configuration".
	Issuer       string
	ClientID     string
	ClientSecret string

	provider *op.Provider
	srv      *http.Server

	mu        sync.Mutex
	users     map[string]*storage.User // by username
	redirects []string
	authReqs  []OIDCAuthRequest
	tokenReqs []OIDCTokenRequest
	logins    []string
}

// OIDCAuthRequest is what a relying party sent to the authorization
// endpoint, as the provider recorded it.
type OIDCAuthRequest struct {
	ClientID            string
	RedirectURI         string
	Scopes              []string
	CodeChallengeMethod string // "S256" with PKCE, "" without
	Nonce               bool
}

// OIDCTokenRequest is one request to the token endpoint.
type OIDCTokenRequest struct {
	GrantType    string
	BasicAuth    bool // client_secret_basic: the credentials in Authorization
	CodeVerifier bool // PKCE's code_verifier was sent
}

// StartOIDCProvider starts the provider on a free port of 127.0.0.1. It
// stops when the test ends. Register the relying party's callback with
// AllowRedirectURI before the first login.
func StartOIDCProvider(t testing.TB) *OIDCProvider {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening for the OpenID provider failed: %v", err)
	}
	p := &OIDCProvider{
		Issuer:       "http://" + l.Addr().String(),
		ClientID:     "synapse",
		ClientSecret: randomHex(16),
		users:        map[string]*storage.User{},
	}
	clients := map[string]*storage.Client{p.ClientID: storage.WebClient(p.ClientID, p.ClientSecret)}
	store := opStorage{Storage: storage.NewStorageWithClients(opUsers{p}, clients), p: p}
	var key [32]byte
	rand.Read(key[:])
	config := &op.Config{
		CryptoKey:          key,
		CodeMethodS256:     true,
		SupportedUILocales: []language.Tag{language.English},
	}
	// op logs to slog's default logger (its WithLogger option has no
	// effect), which go test shows for a failed test.
	p.provider, err = op.NewProvider(config, store, op.StaticIssuer(p.Issuer), op.WithAllowInsecure())
	if err != nil {
		l.Close()
		t.Fatalf("creating the OpenID provider failed: %v", err)
	}
	mux := http.NewServeMux()
	login := op.NewIssuerInterceptor(p.provider.IssuerFromRequest).HandlerFunc(p.serveLogin(store))
	mux.HandleFunc(oidcLoginPath, login)
	mux.Handle("/", p.recordToken(p.provider))
	p.srv = &http.Server{Handler: mux}
	go p.srv.Serve(l)
	t.Cleanup(func() { p.srv.Close() })
	return p
}

// AddUser adds a user who logs in with name and password, and returns
// the user's subject (the "sub" claim), which is "sub-" + name.
func (p *OIDCProvider) AddUser(name, password string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := &storage.User{ID: "sub-" + name, Username: name, Password: password,
		PreferredLanguage: language.English}
	p.users[name] = u
	return u.ID
}

// AllowRedirectURI registers uri as a redirect URI of the client (an
// OpenID provider refuses an authorization request for any other).
func (p *OIDCProvider) AllowRedirectURI(uri string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.redirects = append(p.redirects, uri)
}

// AuthRequests returns the authorization requests received so far.
func (p *OIDCProvider) AuthRequests() []OIDCAuthRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.authReqs)
}

// TokenRequests returns the token requests received so far.
func (p *OIDCProvider) TokenRequests() []OIDCTokenRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.tokenReqs)
}

// Logins returns the usernames of the successful logins on the login
// page, in order.
func (p *OIDCProvider) Logins() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.logins)
}

// loginPage is the provider's login form. The hidden id is the
// authorization request, which the provider passed as authRequestID.
var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>` + OIDCLoginTitle + `</title></head>
<body>
<h1>Sign in to the Test IdP</h1>
{{if .Error}}<p id="` + OIDCLoginErrorID + `" role="alert">{{.Error}}</p>{{end}}
<form id="` + OIDCLoginFormID + `" method="post" action="` + oidcLoginPath + `">
<input type="hidden" name="id" value="{{.ID}}">
<label for="` + OIDCLoginUsernameID + `">Username</label>
<input id="` + OIDCLoginUsernameID + `" name="username" autocomplete="username" value="{{.Username}}">
<label for="` + OIDCLoginPasswordID + `">Password</label>
<input id="` + OIDCLoginPasswordID + `" name="password" type="password" autocomplete="current-password">
<button id="` + OIDCLoginSubmitID + `" type="submit">Sign in</button>
</form>
</body>
</html>
`))

// serveLogin serves the login page (GET) and checks it (POST): a right
// username and password complete the authorization request and send the
// browser to the provider's callback, which redirects to the client.
func (p *OIDCProvider) serveLogin(store opStorage) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		data := struct{ ID, Username, Error string }{ID: r.FormValue("authRequestID")}
		switch r.Method {
		case http.MethodGet:
		case http.MethodPost:
			data.ID, data.Username = r.PostFormValue("id"), r.PostFormValue("username")
			err := store.CheckUsernamePassword(data.Username, r.PostFormValue("password"), data.ID)
			if err == nil {
				p.mu.Lock()
				p.logins = append(p.logins, data.Username)
				p.mu.Unlock()
				http.Redirect(w, r, op.AuthCallbackURL(p.provider)(r.Context(), data.ID), http.StatusFound)
				return
			}
			data.Error = "Wrong username or password."
			w.WriteHeader(http.StatusUnauthorized)
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		loginPage.Execute(w, data)
	}
}

// recordToken records the requests to the token endpoint and passes them
// on to next.
func (p *OIDCProvider) recordToken(next http.Handler) http.Handler {
	tokenPath := p.provider.TokenEndpoint().Relative()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath && r.Method == http.MethodPost {
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
			r.Body = io.NopCloser(bytes.NewReader(body))
			form := cloneRequestForm(r, body)
			p.mu.Lock()
			p.tokenReqs = append(p.tokenReqs, OIDCTokenRequest{
				GrantType:    form.PostFormValue("grant_type"),
				BasicAuth:    strings.HasPrefix(r.Header.Get("Authorization"), "Basic "),
				CodeVerifier: form.PostFormValue("code_verifier") != "",
			})
			p.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

// cloneRequestForm returns a copy of r with body, parsed, so that r's own
// body stays for the provider.
func cloneRequestForm(r *http.Request, body []byte) *http.Request {
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(body))
	c.ParseForm()
	return c
}

// opUsers is the example storage's UserStore over the provider's users.
type opUsers struct{ p *OIDCProvider }

func (u opUsers) GetUserByID(id string) *storage.User {
	u.p.mu.Lock()
	defer u.p.mu.Unlock()
	for _, user := range u.p.users {
		if user.ID == id {
			return user
		}
	}
	return nil
}

func (u opUsers) GetUserByUsername(name string) *storage.User {
	u.p.mu.Lock()
	defer u.p.mu.Unlock()
	return u.p.users[name]
}

func (u opUsers) ExampleClientID() string { return u.p.ClientID }

// opStorage is the example storage with the client's redirect URIs taken
// from the provider, and the authorization requests recorded.
type opStorage struct {
	*storage.Storage
	p *OIDCProvider
}

// GetClientByClientID implements op.Storage.
func (s opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return opClient{Client: c, p: s.p}, nil
}

// CreateAuthRequest implements op.Storage.
func (s opStorage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, userID string) (op.AuthRequest, error) {
	s.p.mu.Lock()
	s.p.authReqs = append(s.p.authReqs, OIDCAuthRequest{
		ClientID: req.ClientID, RedirectURI: req.RedirectURI, Scopes: slices.Clone(req.Scopes),
		CodeChallengeMethod: string(req.CodeChallengeMethod), Nonce: req.Nonce != "",
	})
	s.p.mu.Unlock()
	return s.Storage.CreateAuthRequest(ctx, req, userID)
}

// opClient is a client whose redirect URIs are those the provider allows.
type opClient struct {
	op.Client
	p *OIDCProvider
}

// RedirectURIs implements op.Client.
func (c opClient) RedirectURIs() []string {
	c.p.mu.Lock()
	defer c.p.mu.Unlock()
	return slices.Clone(c.p.redirects)
}
