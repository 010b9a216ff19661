package matrix_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signup/app/matrix"
	"signup/internal/nethttp"
)

// The unstable MSC2965 path is asked when the stable one is unknown, as
// servers before v1.15 (MAS with an older Synapse) serve only it.
func TestGetAuthMetadataUnstable(t *testing.T) {
	rec := &recorder{}
	mux := http.NewServeMux()
	mux.HandleFunc("/_matrix/client/unstable/org.matrix.msc2965/auth_metadata", respond(200, `{"issuer":"https://auth.example.org/"}`))
	mux.HandleFunc("/", respond(404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`))
	c, _ := newClient(t, rec.wrap(mux.ServeHTTP))
	md, delegated, err := c.GetAuthMetadata(ctx, matrix.AuthUnknown)
	if err != nil || !delegated || md.Issuer != "https://auth.example.org/" {
		t.Fatalf("got %+v, %v, %v", md, delegated, err)
	}
	if got := rec.last(t).Path; got != "/_matrix/client/unstable/org.matrix.msc2965/auth_metadata" {
		t.Errorf("last request %s", got)
	}
}

// Problem says which part of the metadata stops the widget from running
// the code flow itself.
func TestAuthMetadataProblem(t *testing.T) {
	good := func() *matrix.AuthMetadata {
		return &matrix.AuthMetadata{Issuer: "https://auth.example.org/",
			AuthorizationEndpoint: "https://auth.example.org/authorize", TokenEndpoint: "https://auth.example.org/token",
			RegistrationEndpoint: "https://auth.example.org/register", RevocationEndpoint: "https://auth.example.org/revoke",
			ResponseTypesSupported: []string{"code"}, ResponseModesSupported: []string{"query", "fragment"},
			GrantTypesSupported: []string{"authorization_code"}, CodeChallengeMethodsSupported: []string{"S256"},
			PromptValuesSupported: []string{"create"}}
	}
	for _, tc := range []struct {
		name string
		edit func(*matrix.AuthMetadata)
		want matrix.OAuthProblem
	}{
		{"as served", func(*matrix.AuthMetadata) {}, ""},
		{"loopback http (development)", func(m *matrix.AuthMetadata) {
			m.Issuer, m.AuthorizationEndpoint, m.TokenEndpoint, m.RegistrationEndpoint, m.RevocationEndpoint =
				"http://127.0.0.1:8008/", "http://127.0.0.1:8008/a", "http://[::1]:8008/t", "http://localhost:8008/r", ""
		}, ""},
		{"grant types omitted (RFC 8414 default)", func(m *matrix.AuthMetadata) { m.GrantTypesSupported = nil }, ""},
		{"response modes omitted", func(m *matrix.AuthMetadata) { m.ResponseModesSupported = nil }, ""},
		{"a javascript issuer", func(m *matrix.AuthMetadata) { m.Issuer = "javascript:alert(1)" }, matrix.OAuthIssuerBroken},
		{"no create", func(m *matrix.AuthMetadata) { m.PromptValuesSupported = []string{"login"} }, matrix.OAuthNoCreate},
		{"no token endpoint", func(m *matrix.AuthMetadata) { m.TokenEndpoint = "" }, matrix.OAuthNoEndpoints},
		{"plain http elsewhere", func(m *matrix.AuthMetadata) { m.RegistrationEndpoint = "http://auth.example.org/r" }, matrix.OAuthInsecure},
		{"a revocation endpoint with a fragment", func(m *matrix.AuthMetadata) { m.RevocationEndpoint = "https://auth.example.org/r#x" }, matrix.OAuthInsecure},
		{"implicit only", func(m *matrix.AuthMetadata) { m.ResponseTypesSupported = []string{"token"} }, matrix.OAuthNoCode},
		{"no code grant", func(m *matrix.AuthMetadata) { m.GrantTypesSupported = []string{"client_credentials"} }, matrix.OAuthNoCode},
		{"plain PKCE", func(m *matrix.AuthMetadata) { m.CodeChallengeMethodsSupported = []string{"plain"} }, matrix.OAuthNoPKCE},
		{"confidential clients only", func(m *matrix.AuthMetadata) { m.TokenEndpointAuthMethodsSupported = []string{"client_secret_basic"} }, matrix.OAuthNoPublic},
		{"form_post only", func(m *matrix.AuthMetadata) { m.ResponseModesSupported = []string{"form_post"} }, matrix.OAuthNoMode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := good()
			tc.edit(m)
			if got := m.Problem(); got != tc.want {
				t.Errorf("Problem() = %q, want %q", got, tc.want)
			}
		})
	}
	m := good()
	if m.ResponseMode() != "fragment" {
		t.Errorf("response mode %q, want fragment (kept out of server logs)", m.ResponseMode())
	}
	m.ResponseModesSupported = []string{"query"}
	if m.ResponseMode() != "query" {
		t.Errorf("response mode %q", m.ResponseMode())
	}
}

// The client metadata drops optional URIs the spec would refuse: those
// not on client_uri's host or a subdomain of it.
func TestNewClientMetadata(t *testing.T) {
	m := matrix.NewClientMetadata("Acme", "https://signup.example.org/", "https://signup.example.org/",
		"https://cdn.signup.example.org/logo.svg", "https://evil.example/terms", "javascript:alert(1)")
	if m.LogoURI != "https://cdn.signup.example.org/logo.svg" || m.TOSURI != "" || m.PolicyURI != "" {
		t.Errorf("%+v", m)
	}
	m = matrix.NewClientMetadata("Acme", "https://signup.example.org/", "https://signup.example.org/",
		"https://notsignup.example.org/logo.svg", "", "")
	if m.LogoURI != "" {
		t.Errorf("a look-alike host kept: %q", m.LogoURI)
	}
}

// The requests to the authorization server, as RFC 7591, 6749 and 7009
// shape them, and their error answers.
func TestOAuthEndpoints(t *testing.T) {
	var got []*http.Request
	var bodies []string
	answer := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got, bodies = append(got, r), append(bodies, string(b))
			respond(status, body)(w, r)
		}
	}
	srv := func(h http.HandlerFunc) (matrix.Doer, string) {
		_, s := newClient(t, h)
		return nethttp.Doer{Client: s.Client()}, s.URL
	}

	d, base := srv(answer(201, `{"client_id":"c-1"}`))
	md := matrix.NewClientMetadata("Acme", "https://signup.example.org/", "https://signup.example.org/", "", "", "")
	id, err := matrix.RegisterClient(ctx, d, base+"/register", md)
	if err != nil || id != "c-1" {
		t.Fatalf("RegisterClient: %q, %v", id, err)
	}
	if ct := got[0].Header.Get("Content-Type"); ct != "application/json" ||
		!strings.Contains(bodies[0], `"token_endpoint_auth_method":"none"`) || !strings.Contains(bodies[0], `"application_type":"web"`) {
		t.Errorf("registration %s %s", ct, bodies[0])
	}

	d, base = srv(answer(400, `{"error":"invalid_client_metadata","error_description":"<b>no</b>"}`))
	_, err = matrix.RegisterClient(ctx, d, base+"/register", md)
	if oe, ok := matrix.AsOAuthError(err); !ok || oe.Code != "invalid_client_metadata" || oe.Description != "<b>no</b>" {
		t.Errorf("refusal: %v", err)
	}
	d, base = srv(answer(201, `{}`))
	if _, err := matrix.RegisterClient(ctx, d, base+"/register", md); !isResponseError(err) {
		t.Errorf("no client_id: %v", err)
	}

	got, bodies = nil, nil
	d, base = srv(answer(200, `{"access_token":"at","token_type":"Bearer","refresh_token":"rt"}`))
	tok, err := matrix.ExchangeCode(ctx, d, matrix.CodeExchange{Endpoint: base + "/token", ClientID: "c-1", Code: "co&de",
		Verifier: "v", Redirect: "https://signup.example.org/"})
	if err != nil || tok.AccessToken != "at" || tok.RefreshToken != "rt" {
		t.Fatalf("ExchangeCode: %+v, %v", tok, err)
	}
	form, _ := url.ParseQuery(bodies[0])
	if got[0].Header.Get("Content-Type") != "application/x-www-form-urlencoded" || form.Get("grant_type") != "authorization_code" ||
		form.Get("code") != "co&de" || form.Get("code_verifier") != "v" || form.Get("client_id") != "c-1" ||
		form.Get("redirect_uri") != "https://signup.example.org/" {
		t.Errorf("token request %s %q", got[0].Header.Get("Content-Type"), bodies[0])
	}
	d, base = srv(answer(200, `{"access_token":"at","token_type":"mac"}`))
	if _, err := matrix.ExchangeCode(ctx, d, matrix.CodeExchange{Endpoint: base}); !isResponseError(err) {
		t.Errorf("a non-bearer token: %v", err)
	}
	d, base = srv(answer(400, `<html>`))
	if _, err := matrix.ExchangeCode(ctx, d, matrix.CodeExchange{Endpoint: base}); !isResponseError(err) {
		t.Errorf("an HTML error: %v", err)
	}

	got, bodies = nil, nil
	d, base = srv(answer(200, ``))
	if err := matrix.RevokeToken(ctx, d, base+"/revoke", "c-1", "at", "access_token"); err != nil {
		t.Fatal(err)
	}
	form, _ = url.ParseQuery(bodies[0])
	if form.Get("token") != "at" || form.Get("token_type_hint") != "access_token" || form.Get("client_id") != "c-1" {
		t.Errorf("revocation %q", bodies[0])
	}
	if v := matrix.S256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); v != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Errorf("S256 = %q (RFC 7636 appendix B)", v)
	}
}

// Login flows, the SSO redirect and the token login of an SSO sign-up.
func TestSSO(t *testing.T) {
	c, _ := newClient(t, respond(200, `{"flows":[{"type":"m.login.password"},{"type":"m.login.sso","identity_providers":[
		{"id":"oidc-a","name":"A","brand":"github"},{"id":"","name":"nameless id"},{"id":"b","name":""}]}]}`))
	lf, err := c.GetLoginFlows(ctx)
	if err != nil || !lf.Password || !lf.SSO || len(lf.Providers) != 1 || lf.Providers[0].ID != "oidc-a" || lf.OAuthAware {
		t.Fatalf("%+v, %v", lf, err)
	}
	c, _ = newClient(t, respond(200, `{"flows":[{"type":"m.login.sso","oauth_aware_preferred":true}]}`))
	if lf, _ := c.GetLoginFlows(ctx); !lf.OAuthAware || lf.Password {
		t.Errorf("%+v", lf)
	}
	u, _ := url.Parse(matrix.NewClient("https://hs.example.org", nil).SSORedirectURL("oidc a/b", "https://s.example.org/?x=1"))
	if u.EscapedPath() != "/_matrix/client/v3/login/sso/redirect/oidc%20a%2Fb" || u.Query().Get("redirectUrl") != "https://s.example.org/?x=1" ||
		u.Query().Get("action") != "register" {
		t.Errorf("SSO redirect %s", u)
	}

	rec := &recorder{}
	c, _ = newClient(t, rec.wrap(respond(200, `{"user_id":"@a:example.org","access_token":"syt","device_id":"D"}`)))
	lr, err := c.LoginWithToken(ctx, "lt", "Sign-up")
	if err != nil || lr.UserID != "@a:example.org" || lr.AccessToken != "syt" {
		t.Fatalf("%+v, %v", lr, err)
	}
	if b := string(rec.last(t).Body); !strings.Contains(b, `"type":"m.login.token"`) || !strings.Contains(b, `"token":"lt"`) {
		t.Errorf("login body %s", b)
	}
	c, _ = newClient(t, respond(200, `{"user_id":"not an id","access_token":"syt"}`))
	if _, err := c.LoginWithToken(ctx, "lt", ""); !isResponseError(err) {
		t.Errorf("a bad user_id: %v", err)
	}
	c, _ = newClient(t, respond(200, `{"user_id":"@a:example.org","device_id":"D"}`))
	if w, err := c.WhoAmI(ctx, "at"); err != nil || w.UserID != "@a:example.org" || w.DeviceID != "D" {
		t.Errorf("whoami %+v %v", w, err)
	}
	c, _ = newClient(t, respond(401, `{"errcode":"M_UNKNOWN_TOKEN","error":"Token is not active"}`))
	if _, err := c.WhoAmI(ctx, "at"); err == nil {
		t.Error("a refused token is no error")
	}
}

// An identity provider's icon loads from the legacy thumbnail endpoint,
// and only a well-formed mxc URI becomes a URL.
func TestIconURL(t *testing.T) {
	c := matrix.NewClient("https://hs.example.org", nil)
	if got := c.IconURL("mxc://example.org/AbC-1_x", 48); got != "https://hs.example.org/_matrix/media/v3/thumbnail/example.org/AbC-1_x?height=48&method=scale&width=48" {
		t.Errorf("IconURL = %q", got)
	}
	for _, bad := range []string{"", "https://evil.example/x.png", "mxc://example.org/", "mxc://exa mple.org/x",
		"mxc://example.org/../../admin", "mxc://example.org/x?y", "javascript:alert(1)", "mxc:///x"} {
		if got := c.IconURL(bad, 48); got != "" {
			t.Errorf("IconURL(%q) = %q, want none", bad, got)
		}
	}
}

// Which auth_metadata endpoint to ask follows /versions: the stable one
// since v1.15, MSC2965's unstable one before, both when unknown; one
// request when the versions say.
func TestAuthMetadataPath(t *testing.T) {
	for _, tc := range []struct {
		versions []string
		want     matrix.AuthPath
	}{
		{nil, matrix.AuthUnknown},
		{[]string{"r0.6.1", "v1.1", "v1.14"}, matrix.AuthUnstable},
		{[]string{"v1.11", "v1.15"}, matrix.AuthStable},
		{[]string{"v1.16"}, matrix.AuthStable},
		{[]string{"v2.0"}, matrix.AuthStable},
		{[]string{"v1.150x", "vx.20"}, matrix.AuthUnstable},
	} {
		if got := matrix.AuthPathOf(tc.versions); got != tc.want {
			t.Errorf("AuthPathOf(%q) = %v, want %v", tc.versions, got, tc.want)
		}
	}
	for _, tc := range []struct {
		where matrix.AuthPath
		paths []string
	}{
		{matrix.AuthStable, []string{"/_matrix/client/v1/auth_metadata"}},
		{matrix.AuthUnstable, []string{"/_matrix/client/unstable/org.matrix.msc2965/auth_metadata"}},
		{matrix.AuthUnknown, []string{"/_matrix/client/v1/auth_metadata", "/_matrix/client/unstable/org.matrix.msc2965/auth_metadata"}},
	} {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)))
		if _, delegated, err := c.GetAuthMetadata(ctx, tc.where); err != nil || delegated {
			t.Fatalf("%v: %v %v", tc.where, delegated, err)
		}
		var got []string
		for _, r := range rec.reqs {
			got = append(got, r.Path)
		}
		if strings.Join(got, " ") != strings.Join(tc.paths, " ") {
			t.Errorf("where %v: asked %v, want %v", tc.where, got, tc.paths)
		}
	}
}
