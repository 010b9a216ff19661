package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser helpers for single sign-on through the test OpenID provider
// (StartSynapseSSO). A sign-up from a client goes:
//
//  1. the client sends the tab to Synapse's SSORedirectURL, which
//     redirects to the provider's login page: signInAtTestIdP;
//  2. for a provider user Synapse has not mapped yet, Synapse's
//     username picker: pickSynapseUsername (a user it knows skips it);
//  3. only when the client's page is outside sso.client_whitelist,
//     Synapse's "Continue to your account": continueAtSynapse;
//  4. the client's redirectUrl with loginToken added: waitSSOReturn.
//
// The provider keeps no session, so every sign-in (also a second one of
// the same user) shows its login page again.

// ssoPageTimeout bounds the wait for one page of the flow.
const ssoPageTimeout = 45 * time.Second

// signInAtTestIdP waits for the provider's login page, signs in as user
// with password and waits until the browser has left the page (for
// Synapse's callback and what follows). A refused password fails the
// test with the page's message.
func signInAtTestIdP(t *testing.T, ctx context.Context, user, password string) {
	t.Helper()
	waitSSOPage(t, ctx, `document.getElementById(`+js(OIDCLoginFormID)+`) !== null && !document.getElementById(`+js(OIDCLoginErrorID)+`)`,
		"the test provider's login page")
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID(OIDCLoginUsernameID), user),
		chromedp.SendKeys(chromedp.ID(OIDCLoginPasswordID), password),
		chromedp.Click(chromedp.ID(OIDCLoginSubmitID)),
	)
	waitSSOPage(t, ctx, `(() => { const e = document.getElementById(`+js(OIDCLoginErrorID)+`);
		if (e) throw new Error("SSO: the provider said: " + e.textContent); return document.getElementById(`+js(OIDCLoginFormID)+`) === null; })()`,
		"the browser to leave the provider's login page")
}

// pickSynapseUsername waits for Synapse's username picker
// (SSOPickUsernamePath), types name, waits for the page's own
// availability check to pass, submits and waits until the browser has left
// the picker. A name the page refuses (taken, or not allowed) fails the
// test with the page's message.
func pickSynapseUsername(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	waitSSOPage(t, ctx, `location.pathname === `+js(SSOPickUsernamePath)+` && document.getElementById("field-username") !== null`,
		"Synapse's username picker")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("field-username"), name))
	// The page checks the name 0.5 s after the last key
	// (pick_username/check) and says nothing when it is free.
	waitSSOPage(t, ctx, `(() => { const o = document.getElementById("field-username-output");
		if (o.classList.contains("error")) throw new Error("SSO: the picker said: " + o.innerText);
		return document.getElementById("field-username").value === `+js(name)+` && o.innerText === ""; })()`,
		"the picker's availability check")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#form input[type=submit]`)))
	waitSSOPage(t, ctx, `location.pathname !== `+js(SSOPickUsernamePath), "the browser to leave the username picker")
}

// continueAtSynapse waits for Synapse's "Continue to your account" page
// and follows its Continue link (to the client's page with loginToken).
func continueAtSynapse(t *testing.T, ctx context.Context) {
	t.Helper()
	waitSSOPage(t, ctx, `document.title === `+js(SSOConfirmTitle)+` && document.querySelector("a.primary-button") !== null`,
		"Synapse's "+SSOConfirmTitle+" page")
	do(t, ctx, chromedp.Click(chromedp.CSS(`a.primary-button`)))
	waitSSOPage(t, ctx, `document.title !== `+js(SSOConfirmTitle), "the browser to leave the confirmation page")
}

// waitSSOReturn waits until the tab is on base (the client's page,
// compared without its query) with a loginToken in the query, and returns
// the tab's URL.
func waitSSOReturn(t *testing.T, ctx context.Context, base string) *url.URL {
	t.Helper()
	waitSSOPage(t, ctx, `location.href.split("?")[0] === `+js(base)+` && new URLSearchParams(location.search).get("loginToken") !== null`,
		base+" with a loginToken")
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// waitSSOPage waits until a JavaScript expression is truthy in the tab,
// across navigations (chromedp's Poll ends with the page it started on).
// An expression that throws an Error whose message starts with "SSO: "
// fails the test at once with the rest of the message.
func waitSSOPage(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	deadline := time.Now().Add(ssoPageTimeout)
	var last string
	for time.Now().Before(deadline) {
		try, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(try, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if err != nil {
			last = err.Error()
			var exc *chromedp.ExceptionError
			if errors.As(err, &exc) && exc.Exception != nil {
				if msg, ok := strings.CutPrefix(exc.Exception.Description, "Error: SSO: "); ok {
					t.Fatalf("waiting for %s: %s", what, strings.SplitN(msg, "\n", 2)[0])
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("waiting for %s: not there after %s (at %s; last error %q)\npage text: %s", what, ssoPageTimeout, loc, last, pageText(ctx))
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
