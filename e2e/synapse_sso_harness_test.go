package e2e

import (
	"encoding/json"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Single sign-on on a real Synapse through the test OpenID provider, at
// HTTP level (a cookie-jar client in place of the browser): what GET
// /login lists, the redirect flow with action=register through the
// provider's login and Synapse's username picker back to the client's own
// page with its query kept, the login token, and a second sign-in of the
// same provider user.
func TestSynapseSSOSignUpHTTP(t *testing.T) {
	client := startSSOClientPage(t)
	hs, idp := StartSynapseSSO(t, SynapseSSOOptions{ClientWhitelist: []string{client.URL + "/"}})
	idp.AddUser("carol", "idp password")
	hs.Register(t, "taken", "a password")

	t.Run("GET /login lists the provider under m.login.sso", func(t *testing.T) {
		idps := ssoProviders(t, hs)
		if len(idps) != 1 || idps[0].ID != SSOIdPID || idps[0].Name != SSOIdPName {
			t.Fatalf("identity_providers = %+v, want one {%s %s}", idps, SSOIdPID, SSOIdPName)
		}
	})

	b := newSSOBrowser(t)
	var first string
	t.Run("a new provider user picks a username on Synapse's page", func(t *testing.T) {
		page := b.get(t, hs.SSORedirectURL(client.URL+"/done?nonce=n1"))
		if !strings.Contains(page.body, OIDCLoginUsernameID) {
			t.Fatalf("the redirect did not end on the provider's login page: %s\n%s", page.url, page.body)
		}
		if page = b.login(t, page, "carol", "wrong"); page.code != http.StatusUnauthorized || !strings.Contains(page.body, OIDCLoginErrorID) {
			t.Fatalf("a wrong password: %d %s", page.code, page.body)
		}
		page = b.login(t, page, "carol", "idp password")
		if page.url.Path != SSOPickUsernamePath || !strings.Contains(page.body, `id="field-username"`) {
			t.Fatalf("after the provider's login: %s, want Synapse's username picker\n%s", page.url, page.body)
		}
		if !b.available(t, hs, "chosen") || b.available(t, hs, "taken") {
			t.Fatal("the picker's check does not tell a free name from a taken one")
		}
		page = b.post(t, page.url.String(), url.Values{"username": {"chosen"}})
		first = page.loginToken(t, client.URL+"/done", "n1")
		if got := b.visited(SSOPickUsernamePath); got != 2 {
			t.Errorf("the picker was visited %d times, want 2 (GET, POST)", got)
		}
	})

	t.Run("the login token logs in once as the chosen user", func(t *testing.T) {
		if got := ssoTokenLogin(t, hs, first); got != "@chosen:localhost" {
			t.Fatalf("user_id = %q", got)
		}
		code, resp, err := hs.Do(http.MethodPost, "/_matrix/client/v3/login", "", map[string]any{"type": "m.login.token", "token": first})
		if err != nil || code != http.StatusForbidden || !strings.Contains(string(resp), "M_FORBIDDEN") {
			t.Fatalf("the token used again: %d %v %s", code, err, resp)
		}
	})

	t.Run("the same provider user signs in again as the same Matrix user, without the picker", func(t *testing.T) {
		b.reset()
		page := b.get(t, hs.SSORedirectURL(client.URL+"/done?nonce=n2"))
		page = b.login(t, page, "carol", "idp password")
		second := page.loginToken(t, client.URL+"/done", "n2")
		if b.visited(SSOPickUsernamePath) != 0 {
			t.Error("the picker was shown to a user Synapse had mapped")
		}
		if second == first {
			t.Error("the second sign-in got the first login token")
		}
		if got := ssoTokenLogin(t, hs, second); got != "@chosen:localhost" {
			t.Fatalf("user_id = %q", got)
		}
	})

	t.Run("Synapse used PKCE and client_secret_basic", func(t *testing.T) {
		for _, r := range idp.AuthRequests() {
			if r.CodeChallengeMethod != "S256" || !r.Nonce || r.RedirectURI != hs.BaseURL+SSOCallbackPath {
				t.Errorf("authorization request %+v", r)
			}
		}
		tokens := idp.TokenRequests()
		if len(tokens) != 2 {
			t.Errorf("%d token requests, want 2", len(tokens))
		}
		for _, r := range tokens {
			if !r.BasicAuth || !r.CodeVerifier || r.GrantType != "authorization_code" {
				t.Errorf("token request %+v", r)
			}
		}
	})
}

// Without the client's page in sso.client_whitelist, Synapse does not
// send the browser back at once: it shows "Continue to your account",
// whose Continue link is the client's page with the login token.
func TestSynapseSSOConfirmPage(t *testing.T) {
	client := startSSOClientPage(t)
	hs, idp := StartSynapseSSO(t, SynapseSSOOptions{})
	idp.AddUser("dora", "idp password")
	b := newSSOBrowser(t)
	page := b.get(t, hs.SSORedirectURL(client.URL+"/done?nonce=n3"))
	page = b.login(t, page, "dora", "idp password")
	page = b.post(t, page.url.String(), url.Values{"username": {"dora"}})
	if page.url.Host == strings.TrimPrefix(client.URL, "http://") {
		t.Fatalf("Synapse sent the browser back without asking: %s", page.url)
	}
	if !strings.Contains(page.body, SSOConfirmTitle) {
		t.Fatalf("no %q page: %s\n%s", SSOConfirmTitle, page.url, page.body)
	}
	link := regexp.MustCompile(`<a href="([^"]+)" class="primary-button">`).FindStringSubmatch(page.body)
	if link == nil {
		t.Fatalf("no Continue link in %s", page.body)
	}
	page = b.get(t, html.UnescapeString(link[1]))
	if got := ssoTokenLogin(t, hs, page.loginToken(t, client.URL+"/done", "n3")); got != "@dora:localhost" {
		t.Fatalf("user_id = %q", got)
	}
}

// ssoProvider is one of m.login.sso's identity_providers.
type ssoProvider struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Icon  string `json:"icon"`
	Brand string `json:"brand"`
}

// ssoProviders returns the identity providers of m.login.sso in GET /login.
func ssoProviders(t *testing.T, hs *Synapse) []ssoProvider {
	t.Helper()
	code, resp, err := hs.Do(http.MethodGet, "/_matrix/client/v3/login", "", nil)
	var login struct {
		Flows []struct {
			Type string        `json:"type"`
			IdPs []ssoProvider `json:"identity_providers"`
		} `json:"flows"`
	}
	if err != nil || code != http.StatusOK || json.Unmarshal(resp, &login) != nil {
		t.Fatalf("GET /login: %d %v %s", code, err, resp)
	}
	for _, f := range login.Flows {
		if f.Type == "m.login.sso" {
			return f.IdPs
		}
	}
	t.Fatalf("no m.login.sso in %s", resp)
	return nil
}

// ssoTokenLogin logs in with POST /login m.login.token, logs the new
// device out and returns the user ID.
func ssoTokenLogin(t *testing.T, hs *Synapse, token string) string {
	t.Helper()
	code, resp, err := hs.Do(http.MethodPost, "/_matrix/client/v3/login", "", map[string]any{"type": "m.login.token", "token": token})
	var ok struct {
		UserID      string `json:"user_id"`
		AccessToken string `json:"access_token"`
	}
	if err != nil || code != http.StatusOK || json.Unmarshal(resp, &ok) != nil || ok.AccessToken == "" {
		t.Fatalf("m.login.token login: %d %v %s", code, err, resp)
	}
	if code, resp, err := hs.Do(http.MethodPost, "/_matrix/client/v3/logout", ok.AccessToken, map[string]any{}); err != nil || code != http.StatusOK {
		t.Errorf("logout: %d %v %s", code, err, resp)
	}
	return ok.UserID
}

// startSSOClientPage serves the client's page that Synapse sends the
// browser back to (any path: a small page saying so).
func startSSOClientPage(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="en"><head><title>Client page</title></head><body><p id="client-page">Back at the client.</p></body></html>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// ssoBrowser is an HTTP client that follows redirects, keeps cookies and
// records the URLs it went through.
type ssoBrowser struct {
	c    *http.Client
	path []*url.URL
}

// ssoPage is where a request ended.
type ssoPage struct {
	url  *url.URL
	code int
	body string
}

func newSSOBrowser(t *testing.T) *ssoBrowser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := &ssoBrowser{}
	b.c = &http.Client{Jar: loopbackJar{jar}, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		b.path = append(b.path, req.URL)
		if len(via) > 20 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

// reset forgets the recorded URLs.
func (b *ssoBrowser) reset() { b.path = nil }

// visited counts the recorded URLs with this path.
func (b *ssoBrowser) visited(path string) int {
	n := 0
	for _, u := range b.path {
		if u.Path == path {
			n++
		}
	}
	return n
}

func (b *ssoBrowser) get(t *testing.T, u string) ssoPage {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b.do(t, req)
}

func (b *ssoBrowser) post(t *testing.T, u string, form url.Values) ssoPage {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

func (b *ssoBrowser) do(t *testing.T, req *http.Request) ssoPage {
	t.Helper()
	b.path = append(b.path, req.URL)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return ssoPage{url: resp.Request.URL, code: resp.StatusCode, body: string(body)}
}

// login submits the provider's login page with name and password.
func (b *ssoBrowser) login(t *testing.T, page ssoPage, name, password string) ssoPage {
	t.Helper()
	id := regexp.MustCompile(`name="id" value="([^"]*)"`).FindStringSubmatch(page.body)
	if id == nil {
		t.Fatalf("no login form at %s:\n%s", page.url, page.body)
	}
	action := page.url.ResolveReference(&url.URL{Path: oidcLoginPath})
	return b.post(t, action.String(), url.Values{"id": {id[1]}, "username": {name}, "password": {password}})
}

// available asks the picker's own check (GET pick_username/check, with
// the mapping session's cookie) whether a username is free.
func (b *ssoBrowser) available(t *testing.T, hs *Synapse, name string) bool {
	t.Helper()
	page := b.get(t, hs.BaseURL+"/_synapse/client/pick_username/check?username="+url.QueryEscape(name))
	var v struct {
		Available bool `json:"available"`
	}
	if page.code != http.StatusOK || json.Unmarshal([]byte(page.body), &v) != nil {
		t.Fatalf("pick_username/check: %d %s", page.code, page.body)
	}
	return v.Available
}

// loginToken checks that the page is base (the client's page) with its
// nonce query kept and a loginToken added, and returns the token.
func (p ssoPage) loginToken(t *testing.T, base, nonce string) string {
	t.Helper()
	q := p.url.Query()
	at := *p.url
	at.RawQuery = ""
	if at.String() != base || q.Get("nonce") != nonce || q.Get("loginToken") == "" || p.code != http.StatusOK {
		t.Fatalf("ended at %d %s, want %s?nonce=%s&loginToken=…\n%s", p.code, p.url, base, nonce, p.body)
	}
	return q.Get("loginToken")
}

// loopbackJar is a cookie jar that treats http://127.0.0.1 like https,
// as browsers do for a loopback address (a secure context): Synapse's
// OpenID session cookie is Secure, and Go's jar would not send it over
// http.
type loopbackJar struct{ http.CookieJar }

func (j loopbackJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.CookieJar.SetCookies(secureLoopback(u), cookies)
}

func (j loopbackJar) Cookies(u *url.URL) []*http.Cookie {
	return j.CookieJar.Cookies(secureLoopback(u))
}

func secureLoopback(u *url.URL) *url.URL {
	if ip := net.ParseIP(u.Hostname()); u.Scheme == "http" && ip != nil && ip.IsLoopback() {
		c := *u
		c.Scheme = "https"
		return &c
	}
	return u
}
