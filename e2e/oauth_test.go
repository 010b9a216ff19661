package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// oauthServer is a homeserver that delegates accounts to the test
// authorization server (matrix-authentication-service's behaviour), on its
// own origin when separate.
func oauthServer(t *testing.T, separate bool, patch func(*tesths.OAuthConfig)) *tesths.Server {
	t.Helper()
	oc := &tesths.OAuthConfig{AllowInsecureURIs: true, Separate: separate}
	if patch != nil {
		patch(oc)
	}
	return tesths.Start(t, tesths.Config{OAuth: oc})
}

// signUpAtAS fills the authorization server's sign-up page, once the
// browser has arrived there.
func signUpAtAS(t *testing.T, ctx context.Context, user, password string) {
	t.Helper()
	onASPage(t, ctx, chromedp.SendKeys(chromedp.ID("as-username"), user),
		chromedp.SendKeys(chromedp.ID("as-password"), password),
		chromedp.Click(chromedp.ID("as-create")))
}

// onASPage waits (across the navigation there) for the authorization
// server's page, then runs steps on it, each bounded in time: a step
// begun while the previous page was still leaving could otherwise wait
// for ever.
func onASPage(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	waitAfterNavigation(t, ctx, `document.getElementById("as-username") !== null && document.readyState === "complete"`,
		"the authorization server's page")
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("on the authorization server's page: %v\npage text: %s", err, pageText(ctx))
	}
}

// The whole round trip on a server that delegates accounts to OAuth 2.0,
// the widget on a page of its own: Continue registers the widget as a
// client, the browser goes to the server's sign-up page, comes back with
// the code, and the welcome panel shows the new account; the token is
// revoked, nothing of the flow stays in the tab, the code leaves the
// address bar, and the account signs in with its password. The
// authorization server on its own origin (as MAS usually is) must be
// listed in trusted_origins; without, the widget keeps the link.
func TestOAuthSignUp(t *testing.T) {
	for _, tc := range []struct {
		name     string
		separate bool
	}{{"same origin", false}, {"its own origin, trusted", true}} {
		t.Run(tc.name, func(t *testing.T) {
			hs := oauthServer(t, tc.separate, nil)
			var args []string
			if tc.separate {
				args = []string{"-trusted-origins", hs.AuthURL}
			}
			ctx, s := startWidget(t, hs.URL, args...)
			waitJS(t, ctx, `document.getElementById("oauth-continue") !== null`, "the Continue button")
			do(t, ctx, chromedp.Click(chromedp.ID("oauth-continue")))
			signUpAtAS(t, ctx, "olga", operatorPassword)
			waitAfterNavigation(t, ctx, `document.getElementById("success") !== null`, "the welcome panel after the round trip")
			waitText(t, ctx, "#success", "@olga:localhost")
			if loc := eval[string](t, ctx, `location.href`); strings.Contains(loc, "code") || strings.Contains(loc, "state") {
				t.Errorf("the address keeps the callback: %s", loc)
			}
			if v := eval[string](t, ctx, `sessionStorage.getItem("signup.flow") || ""`); v != "" {
				t.Errorf("the flow stays in sessionStorage: %s", v)
			}
			waitFor(t, 10e9, func() bool { return hs.ActiveOAuthTokens() == 0 })
			clients := hs.OAuthClients()
			if len(clients) != 1 {
				t.Fatalf("%d client registrations, want 1", len(clients))
			}
			if ru, _ := clients[0]["redirect_uris"].([]any); len(ru) != 1 || ru[0] != s.URL+"/" || clients[0]["client_uri"] != s.URL+"/" {
				t.Errorf("client metadata %v", clients[0])
			}
			if n := len(hs.RequestsTo("POST", "/_matrix/client/v3/register")); n != 0 {
				t.Errorf("/register was called %d times", n)
			}
			login(t, hs.URL, "olga", operatorPassword)
		})
	}

	t.Run("metadata over plain http: the link, and why", func(t *testing.T) {
		hs := oauthServer(t, false, func(o *tesths.OAuthConfig) {
			o.Patch = map[string]any{"token_endpoint": "http://auth.example.org/oauth2/token"}
		})
		ctx, _ := startWidget(t, hs.URL)
		waitJS(t, ctx, `document.getElementById("oauth-link") !== null`, "the link to the account page")
		waitText(t, ctx, "#oauth-declined", "cannot create the account itself")
		if n := len(hs.OAuthClients()); n != 0 {
			t.Errorf("%d client registrations", n)
		}
	})

	t.Run("its own origin, not trusted: the link to the server's page", func(t *testing.T) {
		hs := oauthServer(t, true, nil)
		ctx, _ := startWidget(t, hs.URL)
		waitJS(t, ctx, `document.getElementById("oauth-link") !== null`, "the link to the account page")
		waitText(t, ctx, "#oauth-declined", "has not allowed")
		if eval[bool](t, ctx, `document.getElementById("oauth-continue") !== null`) {
			t.Error("the widget would send a code to an origin the operator did not trust")
		}
		if n := len(hs.OAuthClients()); n != 0 {
			t.Errorf("%d client registrations", n)
		}
	})
}

// What goes wrong, in plain words, and a new flow starts from there: the
// user cancels on the server's page, the server refuses to register the
// widget, the token exchange fails.
func TestOAuthSignUpErrors(t *testing.T) {
	t.Run("cancelled on the server's page", func(t *testing.T) {
		hs := oauthServer(t, false, nil)
		ctx, _ := startWidget(t, hs.URL)
		waitJS(t, ctx, `document.getElementById("oauth-continue") !== null`, "the Continue button")
		do(t, ctx, chromedp.Click(chromedp.ID("oauth-continue")))
		onASPage(t, ctx, chromedp.Click(chromedp.ID("as-cancel")))
		waitAfterNavigation(t, ctx, `(document.getElementById("oauth-error") || {}).textContent?.includes("You cancelled the sign-up")`, "the cancel said")
		waitJS(t, ctx, `document.getElementById("oauth-continue") !== null`, "Continue, to start again")
		do(t, ctx, chromedp.Click(chromedp.ID("oauth-continue")))
		signUpAtAS(t, ctx, "pia", operatorPassword)
		waitAfterNavigation(t, ctx, `document.getElementById("success") !== null`, "the welcome panel")
		waitText(t, ctx, "#success", "@pia:localhost")
		if n := len(hs.OAuthClients()); n != 2 {
			t.Errorf("%d client registrations, want one per flow (2)", n)
		}
	})
	t.Run("client registration refused", func(t *testing.T) {
		hs := oauthServer(t, false, func(o *tesths.OAuthConfig) { o.RefuseRegistration = "invalid_client_metadata" })
		ctx, _ := startWidget(t, hs.URL)
		waitJS(t, ctx, `document.getElementById("oauth-continue") !== null`, "the Continue button")
		do(t, ctx, chromedp.Click(chromedp.ID("oauth-continue")))
		waitText(t, ctx, "#oauth-error", "refused to let this page start a sign-up")
	})
	t.Run("token exchange refused", func(t *testing.T) {
		hs := oauthServer(t, false, func(o *tesths.OAuthConfig) { o.TokenError = "invalid_grant" })
		ctx, _ := startWidget(t, hs.URL)
		waitJS(t, ctx, `document.getElementById("oauth-continue") !== null`, "the Continue button")
		do(t, ctx, chromedp.Click(chromedp.ID("oauth-continue")))
		signUpAtAS(t, ctx, "quinn", operatorPassword)
		waitAfterNavigation(t, ctx, `(document.getElementById("oauth-error") || {}).textContent?.includes("did not confirm your new account")`, "the token error said")
	})
	t.Run("a callback this tab did not start", func(t *testing.T) {
		hs := oauthServer(t, false, nil)
		s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
		ctx := NewBrowser(t)
		do(t, ctx, chromedp.Navigate(s.URL+"/?code=stolen&state=forged"))
		waitReady(t, ctx)
		waitText(t, ctx, "#oauth-error", "This page did not start that sign-up")
		if n := len(hs.RequestsTo("POST", tesths.PathOAuthToken)); n != 0 {
			t.Errorf("the code went to the token endpoint %d times", n)
		}
	})
}

// Embedded in another site's page, the server's sign-up page cannot be
// framed: it opens in a popup from the click, comes back to the widget's
// callback page, which hands the result to the iframe (its same-origin
// opener) and closes; the iframe shows the welcome panel and the host
// page gets signup:registered. The host is on another site (localhost
// against 127.0.0.1), so the iframe's storage is partitioned from the
// popup's, as on the web.
func TestOAuthSignUpEmbedded(t *testing.T) {
	hs := oauthServer(t, true, nil)
	var widgetURL string
	host := startHost(t, &widgetURL)
	hostURL := strings.Replace(host.URL, "127.0.0.1", "localhost", 1)
	cfg := opBaseConfig(hs.URL)
	cfg["embed"] = map[string]any{"allowed_origins": []string{hostURL}}
	cfg["homeserver"].(map[string]any)["trusted_origins"] = []string{hs.AuthURL}
	s := StartSignup(t, "-config", opWriteConfig(t, cfg))
	widgetURL = s.URL
	ctx := NewBrowser(t)
	do(t, ctx, chromedp.Navigate(hostURL+"/"))
	waitJS(t, ctx, `document.querySelector("[data-signup] iframe") !== null`, "the iframe")
	// Another site's iframe runs in a process of its own (an
	// out-of-process frame): the test attaches to it as to a tab.
	frame := frameTarget(t, ctx, s.URL)
	waitJS(t, frame, `document.getElementById("oauth-continue") !== null`, "Continue in the iframe")
	if !eval[bool](t, frame, `window.self !== window.top`) {
		t.Fatal("not the iframe")
	}

	do(t, frame, chromedp.Click(chromedp.ID("oauth-continue")))
	// The popup opens blank and is then sent to the authorization
	// server: attach to it once it is there.
	popup := pageTarget(t, ctx, hs.AuthURL+tesths.PathOAuthAuthorize)
	signUpAtAS(t, popup, "rosa", operatorPassword)
	waitJS(t, frame, `document.getElementById("success") !== null`, "the welcome panel in the iframe")
	waitText(t, frame, "#success", "@rosa:localhost")
	waitJS(t, ctx, `window.events.some(e => e.type === "signup:registered")`, "signup:registered on the host")
	if ev := hostEvents(t, ctx, "signup:registered"); ev[0].Detail["user_id"] != "@rosa:localhost" {
		t.Errorf("signup:registered %+v", ev)
	}
	waitFor(t, 10e9, func() bool { return hs.ActiveOAuthTokens() == 0 })
	clients := hs.OAuthClients()
	if ru, _ := clients[0]["redirect_uris"].([]any); len(ru) != 1 || ru[0] != s.URL+"/web/callback.html" {
		t.Errorf("redirect_uris %v", clients[0]["redirect_uris"])
	}
	raw := eval[string](t, ctx, `JSON.stringify(window.messages)`)
	for _, secret := range []string{"code=", "access_token", operatorPassword} {
		if strings.Contains(raw, secret) {
			t.Errorf("the host page received %q: %s", secret, raw)
		}
	}
}

// waitAfterNavigation is waitJS for a page that navigates meanwhile (a
// redirect back from another site): a poll cut by the navigation is
// polled again in the new document.
func waitAfterNavigation(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "navigated") || time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v\npage text: %s", what, err, pageText(ctx))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// frameTarget attaches to the out-of-process iframe whose URL starts with
// prefix.
func frameTarget(t *testing.T, ctx context.Context, prefix string) context.Context {
	t.Helper()
	return targetOf(t, ctx, "iframe", prefix)
}

// pageTarget attaches to the tab or popup whose URL starts with prefix,
// once there is one.
func pageTarget(t *testing.T, ctx context.Context, prefix string) context.Context {
	t.Helper()
	return targetOf(t, ctx, "page", prefix)
}

// targetOf attaches to the first target of kind (page, iframe) whose URL
// starts with prefix, waiting up to 30 s for one.
func targetOf(t *testing.T, ctx context.Context, kind, prefix string) context.Context {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, info := range infos {
			if info.Type == kind && strings.HasPrefix(info.URL, prefix) {
				tctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
				t.Cleanup(cancel)
				return tctx
			}
			urls = append(urls, info.Type+" "+info.URL)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s at %s; targets: %q", kind, prefix, urls)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
