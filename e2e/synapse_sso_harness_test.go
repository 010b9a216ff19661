package e2e

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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
	// The steps after this one need its login token.
	if !t.Run("a new provider user picks a username on Synapse's page", func(t *testing.T) {
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
	}) {
		return
	}

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

// Sign-up through the provider does not depend on the homeserver's
// enable_registration: with registration closed, a new provider user
// still picks a username and gets an account. The provider's own
// enable_registration: false (NoRegistration) is what refuses new users,
// on a Synapse error page, before the picker.
func TestSynapseSSORegistrationSettings(t *testing.T) {
	client := startSSOClientPage(t)
	whitelist := []string{client.URL + "/"}
	t.Run("the homeserver's registration closed", func(t *testing.T) {
		hs, idp := StartSynapseSSO(t, SynapseSSOOptions{ClientWhitelist: whitelist,
			Synapse: SynapseOptions{RegistrationDisabled: true}})
		idp.AddUser("fay", "idp password")
		b := newSSOBrowser(t)
		page := b.login(t, b.get(t, hs.SSORedirectURL(client.URL+"/done?nonce=c1")), "fay", "idp password")
		if page.url.Path != SSOPickUsernamePath {
			t.Fatalf("ended at %s, want the username picker", page.url)
		}
		page = b.post(t, page.url.String(), url.Values{"username": {"fay"}})
		if got := ssoTokenLogin(t, hs, page.loginToken(t, client.URL+"/done", "c1")); got != "@fay:localhost" {
			t.Fatalf("user_id = %q", got)
		}
	})
	t.Run("the provider's registration closed", func(t *testing.T) {
		hs, idp := StartSynapseSSO(t, SynapseSSOOptions{ClientWhitelist: whitelist, NoRegistration: true})
		idp.AddUser("gus", "idp password")
		b := newSSOBrowser(t)
		page := b.login(t, b.get(t, hs.SSORedirectURL(client.URL+"/done?nonce=c2")), "gus", "idp password")
		if page.code != http.StatusBadRequest || page.url.Path != SSOCallbackPath || b.visited(SSOPickUsernamePath) != 0 ||
			!strings.Contains(page.body, SSONoRegistrationText) {
			t.Fatalf("ended at %d %s, want Synapse's error page saying %q", page.code, page.url, SSONoRegistrationText)
		}
	})
}

// The same in Chromium, with the helpers a widget test uses: from Synapse's
// redirect URL through the provider's login page and Synapse's username
// picker to the client's page with loginToken in its URL; then a second
// sign-in to a page outside sso.client_whitelist, through Synapse's
// confirmation page, as the same Matrix user.
func TestSynapseSSOSignUpBrowser(t *testing.T) {
	client := startSSOClientPage(t)
	base := client.URL + "/signed-in"
	hs, idp := StartSynapseSSO(t, SynapseSSOOptions{ClientWhitelist: []string{base}})
	idp.AddUser("erin", "idp password")
	ctx := NewBrowser(t)

	do(t, ctx, chromedp.Navigate(hs.SSORedirectURL(base+"?nonce=b1")))
	signInAtTestIdP(t, ctx, "erin", "idp password")
	pickSynapseUsername(t, ctx, "erin.b")
	u := waitSSOReturn(t, ctx, base)
	if u.Query().Get("nonce") != "b1" {
		t.Errorf("the client's query was not kept: %s", u)
	}
	if got := ssoTokenLogin(t, hs, u.Query().Get("loginToken")); got != "@erin.b:localhost" {
		t.Fatalf("user_id = %q", got)
	}

	elsewhere := client.URL + "/elsewhere"
	do(t, ctx, chromedp.Navigate(hs.SSORedirectURL(elsewhere+"?nonce=b2")))
	signInAtTestIdP(t, ctx, "erin", "idp password")
	continueAtSynapse(t, ctx)
	u = waitSSOReturn(t, ctx, elsewhere)
	if got := ssoTokenLogin(t, hs, u.Query().Get("loginToken")); got != "@erin.b:localhost" {
		t.Fatalf("second sign-in: user_id = %q", got)
	}
	if got := idp.Logins(); len(got) != 2 {
		t.Errorf("logins at the provider = %q, want two", got)
	}
}

// ssoBrowser is an HTTP client that follows redirects, keeps cookies and
// records the URLs it went through. Go's cookie jar, like a browser, sends
// Secure cookies (Synapse's oidc_session) to http://127.0.0.1.
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
	b.c = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
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
