package tesths

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// oauthFixture is a server with Config.OAuth and a fake client site whose
// callback records the queries it receives.
type oauthFixture struct {
	s        *Server
	site     *httptest.Server
	redirect string // the registered redirect URI, with its own query

	mu        sync.Mutex
	callbacks []url.Values
}

func newOAuthFixture(t *testing.T, oc OAuthConfig) *oauthFixture {
	t.Helper()
	oc.AllowInsecureURIs = true
	f := &oauthFixture{}
	f.site = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.callbacks = append(f.callbacks, r.URL.Query())
		f.mu.Unlock()
		io.WriteString(w, "callback page")
	}))
	t.Cleanup(f.site.Close)
	f.redirect = f.site.URL + "/callback?from=widget"
	f.s = Start(t, Config{OAuth: &oc})
	return f
}

// meta is the metadata the widget registers.
func (f *oauthFixture) meta() map[string]any {
	return map[string]any{
		"client_name":                "Signup <widget>",
		"client_uri":                 f.site.URL + "/",
		"redirect_uris":              []any{f.redirect},
		"token_endpoint_auth_method": "none",
		"grant_types":                []any{"authorization_code", "refresh_token"},
		"response_types":             []any{"code"},
		"application_type":           "web",
	}
}

func (f *oauthFixture) registerClient(t *testing.T, md map[string]any) string {
	t.Helper()
	code, _, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthRegistration, md)
	if code != http.StatusCreated {
		t.Fatalf("registration: %d %s", code, b)
	}
	id, _ := decode(t, b)["client_id"].(string)
	if id == "" {
		t.Fatalf("no client_id: %s", b)
	}
	return id
}

func pkcePair() (verifier, challenge string) {
	verifier = randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", 64)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authParams are a valid authorization request's parameters.
func (f *oauthFixture) authParams(clientID, challenge, mode string) url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {f.redirect},
		"scope":                 {"urn:matrix:client:api:* urn:matrix:client:device:DEVICE0123"},
		"state":                 {"st&te=1"},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
		"response_mode":         {mode},
		"prompt":                {"create"},
	}
}

// authorize sends the authorization request; it returns the status, the
// Location header and the page.
func (f *oauthFixture) authorize(t *testing.T, q url.Values) (int, string, string) {
	t.Helper()
	code, h, b := call(t, f.s, "GET", f.s.AuthURL+PathOAuthAuthorize+"?"+q.Encode(), nil)
	return code, h.Get("Location"), string(b)
}

var grantRE = regexp.MustCompile(`name="grant" value="([^"]+)"`)

// submit posts the page's form with fields; it returns the status,
// Location and body.
func (f *oauthFixture) submit(t *testing.T, page string, fields url.Values) (int, string, string) {
	t.Helper()
	m := grantRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form in the page: %s", page)
	}
	fields.Set("grant", m[1])
	code, h, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthAuthorize, fields.Encode())
	return code, h.Get("Location"), string(b)
}

// callbackParams reads the parameters of a callback Location in mode.
func callbackParams(t *testing.T, loc, mode string) url.Values {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("Location %q: %v", loc, err)
	}
	raw := u.RawQuery
	if mode == "fragment" {
		raw = u.EscapedFragment()
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("Location %q: %v", loc, err)
	}
	return v
}

// codeFor runs the authorization for a new user and returns the code.
func (f *oauthFixture) codeFor(t *testing.T, clientID, challenge, user string) string {
	t.Helper()
	code, _, page := f.authorize(t, f.authParams(clientID, challenge, "fragment"))
	if code != 200 {
		t.Fatalf("authorize: %d %s", code, page)
	}
	code, loc, b := f.submit(t, page, url.Values{"username": {user}, "password": {"correct horse"}, "action": {"create"}})
	if code != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", code, b)
	}
	return callbackParams(t, loc, "fragment").Get("code")
}

func (f *oauthFixture) token(t *testing.T, form url.Values) (int, http.Header, map[string]any) {
	t.Helper()
	code, h, b := call(t, f.s, "POST", f.s.AuthURL+PathOAuthToken, form.Encode())
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("token answer not JSON: %s", b)
		}
	}
	return code, h, m
}

func (f *oauthFixture) exchange(t *testing.T, clientID, code, verifier string) map[string]any {
	t.Helper()
	status, _, m := f.token(t, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {f.redirect}, "client_id": {clientID}, "code_verifier": {verifier}})
	if status != 200 {
		t.Fatalf("token: %d %v", status, m)
	}
	return m
}

// whoami calls whoami with tok and returns the status and body.
func whoami(t *testing.T, s *Server, tok string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+pathWhoami, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func wantOAuthError(t *testing.T, code int, b []byte, wantCode int, wantErr string) {
	t.Helper()
	if code != wantCode {
		t.Fatalf("status %d, want %d: %s", code, wantCode, b)
	}
	if e, _ := decode(t, b)["error"].(string); e != wantErr {
		t.Fatalf("error %q, want %q: %s", e, wantErr, b)
	}
}

func hasID(page, id string) bool {
	return strings.Contains(page, `id="`+id+`"`)
}
