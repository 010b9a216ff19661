package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// After sign-up: the operator's "Open in …" client links, filled in for the
// new account; the operator's redirect; and no redirect taken from the
// page's URL.
func TestOperatorAfterSignup(t *testing.T) {
	t.Run("Open in Element, with the account filled in", func(t *testing.T) {
		hs := tesths.Start(t, tesths.Config{})
		cfg := opBaseConfig(hs.URL)
		cfg["after_signup"] = map[string]any{"clients": []any{
			map[string]any{"name": "Element", "url": "https://app.example.test/#/login?hs={homeserver}&u={user_id}"},
		}}
		s := StartSignup(t, "-config", opWriteConfig(t, cfg))
		ctx := NewBrowser(t)
		opOpen(t, ctx, s.URL+"/")
		opRegister(t, ctx, "nina")
		waitJS(t, ctx, `document.getElementById("client-element") !== null`, "the Element link")
		link := eval[[2]string](t, ctx, `(() => { const a = document.getElementById("client-element");
			return [a.textContent.trim(), a.getAttribute("href")]; })()`)
		want := "https://app.example.test/#/login?hs=" + url.QueryEscape(hs.URL) + "&u=" + url.QueryEscape("@nina:localhost")
		if link[0] != "Open in Element" || link[1] != want {
			t.Errorf("client link = %q %q\nwant          %q %q", link[0], link[1], "Open in Element", want)
		}
		// Only the operator's clients, not the defaults.
		if n := eval[int](t, ctx, `document.querySelectorAll('#clients a[id^="client-"]:not(#client-any)').length`); n != 1 {
			t.Errorf("client links = %d, want 1 (the operator's Element only)", n)
		}
		if users := hs.Users(); len(users) != 1 {
			t.Errorf("accounts = %v", users)
		}
		noDialogs(t, ctx)
	})

	t.Run("the operator's redirect is followed; the page URL's is not", func(t *testing.T) {
		hs := tesths.Start(t, tesths.Config{})
		var welcomed atomic.Int32
		welcome := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/welcome" {
				welcomed.Add(1)
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<!doctype html><title>Welcome to Acme</title><h1 id="welcome">Welcome aboard</h1>`)
		}))
		t.Cleanup(welcome.Close)
		cfg := opBaseConfig(hs.URL)
		cfg["after_signup"] = map[string]any{"redirect": welcome.URL + "/welcome"}
		s := StartSignup(t, "-config", opWriteConfig(t, cfg))
		ctx := NewBrowser(t)
		opOpen(t, ctx, s.URL+"/?redirect="+url.QueryEscape("https://evil.example/"))
		// The redirect follows the success panel after 1.5 s: wait for the
		// welcome page only, which a slow poll cannot miss.
		fill(t, ctx, "omar", operatorPassword)
		do(t, ctx, clickStable("submit"))
		opWaitAcrossLoads(t, ctx, `location.href === `+js(welcome.URL+"/welcome")+` && document.getElementById("welcome") !== null`,
			"the operator's welcome page", 30*time.Second)
		if welcomed.Load() == 0 {
			t.Error("the welcome server got no request")
		}
		if users := hs.Users(); len(users) != 1 {
			t.Errorf("accounts = %v, want the new one", users)
		}
	})

	t.Run("?redirect= in the page URL does nothing", func(t *testing.T) {
		hs := tesths.Start(t, tesths.Config{})
		s := StartSignup(t, "-config", opWriteConfig(t, opBaseConfig(hs.URL)))
		ctx := NewBrowser(t)
		start := s.URL + "/?redirect=" + url.QueryEscape("https://evil.example/") + "&next=" + url.QueryEscape("https://evil.example/")
		opOpen(t, ctx, start)
		opRegister(t, ctx, "pia")
		// The configured redirect waits 1.5 s; give a page-URL one more
		// than twice that to show up.
		do(t, ctx, chromedp.Sleep(4*time.Second))
		if loc := eval[string](t, ctx, `location.href`); loc != start {
			t.Errorf("the page went to %q", loc)
		}
		if eval[bool](t, ctx, `document.getElementById("success") === null`) {
			t.Errorf("the success panel is gone: %s", pageText(ctx))
		}
		if eval[bool](t, ctx, `document.getElementById("redirecting") !== null`) {
			t.Errorf("the page says it is redirecting")
		}
		noDialogs(t, ctx)
	})
}
