package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// The service worker answers only from its own cache. On a shared origin
// (GitHub Pages serves every repository of an account from one) another
// site's page can fill a cache of its own; the widget must never serve
// from it: not for a path only that cache has, not for the page when the
// widget's own copy is gone, online or offline.
func TestSecurityWorkerOwnCache(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-config", opWriteConfig(t, opBaseConfig(hs.URL)))
	ctx := NewBrowser(t)
	opOpen(t, ctx, s.URL+"/")
	opEvalAwait[string](t, ctx, `navigator.serviceWorker.ready.then(r => r.active ? r.active.state : "none")`)
	do(t, ctx, chromedp.Reload())
	waitReady(t, ctx)
	waitJS(t, ctx, `navigator.serviceWorker.controller !== null`, "the service worker to control the page")

	// Another site's page on the origin puts its own "/" and a file of its
	// own into a cache of its own; the widget's copy of "/" is gone (evicted,
	// or deleted by that page).
	own := opEvalAwait[string](t, ctx, `(async () => {
		const own = (await caches.keys()).find((k) => k.startsWith("app-"));
		if (!own) return "";
		const evil = await caches.open("evil");
		const html = () => new Response("<!doctype html><title>EVIL</title><p>EVIL</p>", { headers: { "Content-Type": "text/html" } });
		await evil.put("/", html());
		await evil.put("/web/only-evil.js", new Response("EVIL", { headers: { "Content-Type": "text/javascript" } }));
		await (await caches.open(own)).delete("/");
		return own;
	})()`)
	if own == "" {
		t.Fatal("the worker's cache was not found")
	}
	fetched := func(path string) string {
		return opEvalAwait[string](t, ctx, `(async () => {
			try { const r = await fetch("`+path+`"); return r.status + " " + (await r.text()); }
			catch (e) { return "network error: " + e; }
		})()`)
	}

	t.Run("a path only the other cache has comes from the server", func(t *testing.T) {
		if got := fetched("/web/only-evil.js"); strings.Contains(got, "EVIL") || !strings.HasPrefix(got, "404 ") {
			t.Errorf("GET /web/only-evil.js = %.200q, want the server's 404", got)
		}
	})

	t.Run("the page its own cache lost comes from the server, not the other cache", func(t *testing.T) {
		if got := fetched("/"); strings.Contains(got, "EVIL") || !strings.HasPrefix(got, "200 ") {
			t.Errorf("GET / = %.200q, want the server's page", got)
		}
		do(t, ctx, chromedp.Reload())
		if got := eval[string](t, ctx, `document.title + " " + document.body.textContent`); strings.Contains(got, "EVIL") {
			t.Fatalf("the reloaded page is the other cache's: %.200q", got)
		}
		waitReady(t, ctx)
	})

	t.Run("offline, what its own cache lacks fails instead of coming from the other cache", func(t *testing.T) {
		opStopSignup(t, s)
		goOffline(t, ctx)
		if got := fetched("/web/only-evil.js"); !strings.HasPrefix(got, "network error") {
			t.Errorf("GET /web/only-evil.js offline = %.200q, want a network error", got)
		}
		// A navigation to the page, which only the other cache holds now.
		_, _ = chromedp.Run(ctx, chromedp.Navigate(s.URL+"/?offline"))
		html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		if strings.Contains(html, "EVIL") {
			t.Errorf("offline, the page came from the other cache: %.200q", html)
		}
	})
}

// A new version deletes the widget's earlier caches only: another site's
// cache on a shared origin is left alone.
func TestSecurityWorkerLeavesOtherCaches(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	addr := opFreeAddr(t)
	args := []string{"-homeserver", hs.URL, "-server-name", "localhost"}
	v1 := opStartSignupAt(t, addr, append(args, "-version", "v1")...)
	ctx := NewBrowser(t)
	opOpen(t, ctx, v1.URL+"/")
	opEvalAwait[string](t, ctx, `navigator.serviceWorker.ready.then(r => r.active ? r.active.state : "none")`)
	opEvalAwait[bool](t, ctx, `caches.open("other-site").then((c) => c.put("/other/", new Response("theirs"))).then(() => true)`)

	opStopSignup(t, v1)
	opStartSignupAt(t, addr, append(args, "-version", "v2")...)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`goappTryUpdate()`))
	opWaitAcrossLoads(t, ctx, `(caches.keys().then((k) => window.__k = k), (window.__k || []).includes("app-v2") && !(window.__k || []).includes("app-v1"))`,
		"the v2 worker to activate and delete v1's cache", 30*time.Second)
	keys := opEvalAwait[[]string](t, ctx, `caches.keys()`)
	if !slices.Contains(keys, "other-site") {
		t.Errorf("caches after the update = %q: the other site's cache was deleted", keys)
	}
}
