package e2e

import (
	"context"
	"fmt"
	"image"
	_ "image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// The widget is an installable PWA: a valid manifest whose icons exist, a
// service worker that takes control, and a form that opens offline from
// the worker's cache and says plainly that the user is offline.
func TestOperatorPWAOffline(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	cfg := opBaseConfig(hs.URL)
	cfg["brand"] = map[string]any{"name": "Acme Chat", "short_name": "Acme"}
	s := StartSignup(t, "-config", opWriteConfig(t, cfg))
	en := opCatalogue(t, "en")

	t.Run("the manifest is valid and its icons exist", func(t *testing.T) {
		m := fetchManifest(t, s.URL)
		if m.Name != "Acme Chat" || m.ShortName != "Acme" {
			t.Errorf("name/short_name = %q/%q", m.Name, m.ShortName)
		}
		if m.Display != "standalone" {
			t.Errorf("display = %q, want standalone", m.Display)
		}
		if m.StartURL != "/" || m.Scope != "/" {
			t.Errorf("start_url/scope = %q/%q, want / and /", m.StartURL, m.Scope)
		}
		var has192, has512 bool
		for _, ic := range m.Icons {
			checkIcon(t, s.URL, ic.Src, ic.Type, ic.Sizes)
			has192 = has192 || ic.Sizes == "192x192"
			has512 = has512 || ic.Sizes == "512x512" && ic.Purpose != "maskable"
		}
		if !has192 || !has512 {
			t.Errorf("the manifest lacks a 192x192 or a 512x512 icon: %+v", m.Icons)
		}
	})

	ctx := NewBrowser(t)
	opOpen(t, ctx, s.URL+"/")

	t.Run("Chromium reads the manifest without errors", func(t *testing.T) {
		res, err := chromedp.Call(ctx, page.GetAppManifest, page.GetAppManifestParams{})
		if err != nil {
			t.Fatal(err)
		}
		if res.URL != s.URL+"/manifest.webmanifest" {
			t.Errorf("manifest URL = %q", res.URL)
		}
		for _, e := range res.Errors {
			t.Errorf("manifest error: %s (critical %d, line %d)", e.Message, e.Critical, e.Line)
		}
	})

	t.Run("the service worker becomes active and controls the page", func(t *testing.T) {
		state := opEvalAwait[string](t, ctx, `navigator.serviceWorker.ready.then(r => r.active ? r.active.state : "none")`)
		if state != "activated" && state != "activating" {
			t.Errorf("active worker state = %q", state)
		}
		do(t, ctx, chromedp.Reload())
		waitReady(t, ctx)
		waitJS(t, ctx, `navigator.serviceWorker.controller !== null`, "the service worker to control the page")
		url := eval[string](t, ctx, `navigator.serviceWorker.controller.scriptURL`)
		if url != s.URL+"/app-worker.js" {
			t.Errorf("controller = %q", url)
		}
		// The app shell is cached, WASM included.
		cached := opEvalAwait[[]string](t, ctx, `caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys()))))
			.then(ls => ls.flat().map(r => new URL(r.url).pathname))`)
		for _, want := range []string{"/", "/web/app.wasm", "/app.js", "/wasm_exec.js", "/app.css"} {
			if !opContains(cached, want) {
				t.Errorf("the worker's cache lacks %s (has %q)", want, cached)
			}
		}
	})

	t.Run("offline: the form opens from the cache and says the user is offline", func(t *testing.T) {
		// Really offline for this page: the widget server is gone, and the
		// browser emulates no network (navigator.onLine false), for the
		// service worker too.
		opStopSignup(t, s)
		goOffline(t, ctx)
		do(t, ctx, chromedp.Reload())
		waitReady(t, ctx)
		if eval[bool](t, ctx, `navigator.onLine`) {
			t.Error("navigator.onLine is still true")
		}
		fill(t, ctx, "quinn", operatorPassword)
		do(t, ctx, clickStable("submit"))
		waitText(t, ctx, "#form-error", en["offline"])
		if v := values(t, ctx); v != [3]string{"quinn", operatorPassword, operatorPassword} {
			t.Errorf("form values after the error = %q", v)
		}
		if n := len(hs.RequestsTo("POST", "/_matrix/client/v3/register")); n != 0 {
			t.Errorf("the homeserver got %d registrations while the browser was offline", n)
		}
	})
	noDialogs(t, ctx)
}

// goOffline cuts the tab (and its service worker) off the network, and
// makes navigator.onLine false.
func goOffline(t *testing.T, ctx context.Context) {
	t.Helper()
	yes := true
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &yes,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true}},
	}); err != nil {
		t.Fatalf("emulating offline: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true}); err != nil {
		t.Fatalf("setting navigator.onLine: %v", err)
	}
}

// checkIcon fetches an icon of the manifest and checks its status, type
// and, for PNGs, its size.
func checkIcon(t *testing.T, base, src, typ, sizes string) {
	t.Helper()
	resp, err := http.Get(base + src)
	if err != nil {
		t.Errorf("icon %s: %v", src, err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Errorf("icon %s: %s", src, resp.Status)
		return
	}
	ct := resp.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, typ) {
		t.Errorf("icon %s: Content-Type %q, manifest says %q", src, ct, typ)
	}
	if typ == "image/png" {
		c, _, err := image.DecodeConfig(strings.NewReader(string(body)))
		if err != nil {
			t.Errorf("icon %s: %v", src, err)
			return
		}
		if got := fmt.Sprintf("%dx%d", c.Width, c.Height); got != sizes {
			t.Errorf("icon %s is %s, manifest says %s", src, got, sizes)
		}
	}
}

func opContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestOperatorPWAFirstInstallWaits checks that on a first visit the service
// worker caches the app only once the page is interactive: its download of
// app.wasm would otherwise compete with the page's own start. The page
// tells it (web/loader.js), so it installs right after, not after its
// 20 s fallback.
func TestOperatorPWAFirstInstallWaits(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-config", opWriteConfig(t, opBaseConfig(hs.URL)))
	ctx := NewBrowser(t)
	// At the moment the app takes over, note whether any cache already
	// holds app.wasm, and when the worker activates.
	const probe = `window.__pwa = { cachedAtReady: null, readyAt: null, activeAt: null };
new MutationObserver((_, obs) => {
  if (document.querySelector('#signup[data-ready="true"]') === null) return;
  obs.disconnect();
  __pwa.readyAt = performance.now();
  caches.keys().then((ks) => Promise.all(ks.map((k) => caches.open(k).then((c) => c.match("/web/app.wasm")))))
    .then((hits) => { __pwa.cachedAtReady = hits.some((h) => !!h); });
  navigator.serviceWorker.ready.then(() => { __pwa.activeAt = performance.now(); });
}).observe(document, { subtree: true, attributes: true, childList: true });`
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		t.Fatal(err)
	}
	opOpen(t, ctx, s.URL+"/")
	waitJS(t, ctx, `window.__pwa.cachedAtReady !== null`, "the cache check at take-over")
	if eval[bool](t, ctx, `__pwa.cachedAtReady`) {
		t.Error("app.wasm was already in the worker's cache when the page became interactive: the install competed with the start")
	}
	waitJS(t, ctx, `window.__pwa.activeAt !== null`, "the service worker to activate")
	if d := eval[float64](t, ctx, `__pwa.activeAt - __pwa.readyAt`); d > 10000 {
		t.Errorf("the worker activated %.0f ms after the page was interactive: it did not hear the page (the fallback is 20 s)", d)
	}
	// The installed worker serves the app: a reload works from its cache.
	state := opEvalAwait[string](t, ctx, `caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.match("/web/app.wasm"))))).then(h => h.some(x => !!x) ? "cached" : "missing")`)
	if state != "cached" {
		t.Errorf("after the install, app.wasm is %s in the worker's cache", state)
	}
}
