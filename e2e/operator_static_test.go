package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A static export (bin/signup -static DIR -prefix /signup), served by a
// plain file server under /signup/, registers accounts on a real Dendrite;
// the operator edits its config.json, and a broken one is shown with the
// field at fault instead of the form.
func TestOperatorStaticExport(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	cfg := opBaseConfig(d.BaseURL)
	cfg["brand"] = map[string]any{"name": "Static Chat", "accent_color": "#c2185b"}
	footer := []any{
		map[string]any{"label": "Privacy policy", "url": "https://static.example.test/privacy", "kind": "privacy"},
		map[string]any{"label": "Contact", "url": "mailto:admins@static.example.test", "kind": "contact"},
	}
	cfg["texts"] = map[string]any{"title": "Join Static Chat", "footer": footer}
	dir := t.TempDir()
	code, stdout, stderr := runSignup(t, 60*time.Second, "-config", opWriteConfig(t, cfg), "-static", dir, "-prefix", "/signup")
	if code != 0 {
		t.Fatalf("export: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	t.Run("the site has every file", func(t *testing.T) {
		for _, f := range []string{"index.html", "app.js", "app-worker.js", "manifest.webmanifest", "wasm_exec.js",
			"app.css", "config.json", "web/app.wasm", "web/app.wasm.br", "web/app.wasm.gz", "web/loader.js", "web/app.css"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("missing %s: %v", f, err)
			}
		}
		b, err := os.ReadFile(filepath.Join(dir, "config.json"))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Homeserver struct {
				URL        string `json:"url"`
				ServerName string `json:"server_name"`
			} `json:"homeserver"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("config.json: %v", err)
		}
		if got.Homeserver.URL != d.BaseURL || got.Homeserver.ServerName != "localhost" {
			t.Errorf("config.json homeserver = %+v", got.Homeserver)
		}
	})

	files := http.StripPrefix("/signup", http.FileServer(http.Dir(dir)))
	// As a plain web server does (and GitHub Pages): the directory
	// /signup/ is served, /signup redirects to it, anything else is 404.
	mux := http.NewServeMux()
	mux.Handle("/signup/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	}))
	site := httptest.NewServer(mux)
	t.Cleanup(site.Close)

	ctx := NewBrowser(t)
	footerJS := `[...document.querySelectorAll("footer a")].map(a => a.textContent + " " + a.getAttribute("href")).join(", ")`
	wantFooter := "Privacy policy https://static.example.test/privacy, Contact mailto:admins@static.example.test"
	t.Run("the pre-rendered page, before the WASM", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(site.URL+"/signup/?wasm=false"))
		waitText(t, ctx, "#form-title", "Join Static Chat")
		if got := eval[string](t, ctx, footerJS); got != wantFooter {
			t.Errorf("footer links = %q\nwant            %q", got, wantFooter)
		}
	})

	t.Run("it registers an account on Dendrite", func(t *testing.T) {
		opOpen(t, ctx, site.URL+"/signup/")
		waitText(t, ctx, "#form-title", "Join Static Chat")
		if got := eval[string](t, ctx, `getComputedStyle(document.getElementById("submit")).backgroundColor`); got != "rgb(194, 24, 91)" {
			t.Errorf("submit background = %q, want the brand's rgb(194, 24, 91)", got)
		}
		if got := eval[string](t, ctx, footerJS); got != wantFooter {
			t.Errorf("footer links = %q\nwant            %q", got, wantFooter)
		}
		fill(t, ctx, "sven", operatorPassword)
		waitText(t, ctx, "#username-hint", "@sven:localhost")
		do(t, ctx, clickStable("submit"))
		if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.getElementById("success") !== null`,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(45*time.Second))); err != nil {
			t.Fatalf("no success panel: %v\npage text: %s\nconsole errors: %q\nend of the Dendrite log:\n%s",
				err, pageText(ctx), ConsoleErrors(ctx), d.Log(30))
		}
		if got := eval[string](t, ctx, `document.getElementById("user-id").textContent`); got != "@sven:localhost" {
			t.Errorf("user ID = %q", got)
		}
		if err := d.Login(t, "sven", operatorPassword); err != nil {
			t.Errorf("the account does not work: %v", err)
		}
	})

	t.Run("an edited config.json is read at start", func(t *testing.T) {
		cfg["texts"] = map[string]any{"title": "Welcome to Static Chat", "footer": footer}
		opWriteJSON(t, filepath.Join(dir, "config.json"), cfg)
		do(t, ctx, chromedp.Navigate(site.URL+"/signup/"))
		waitReady(t, ctx)
		waitText(t, ctx, "#form-title", "Welcome to Static Chat")
	})

	t.Run("a language's page stays in its language once the app runs", func(t *testing.T) {
		// The browser asks for English; /ar/ is the Arabic page (ui.Routes),
		// not go-app's "not found", and so is /ar (this file server
		// redirects it to /ar/; hosts that serve it as it is reach the
		// route without the slash).
		for _, path := range []string{"/signup/ar/", "/signup/ar"} {
			do(t, ctx, chromedp.Navigate(site.URL+path))
			waitReady(t, ctx)
			waitJS(t, ctx, `document.getElementById("signup-form") !== null`, "the form at "+path)
			waitText(t, ctx, "#submit", "إنشاء الحساب")
			if got := eval[string](t, ctx, `document.documentElement.lang + " " + document.documentElement.dir`); got != "ar rtl" {
				t.Errorf("%s: <html lang dir> = %q, want ar rtl", path, got)
			}
		}
	})

	t.Run("a broken config.json names the field", func(t *testing.T) {
		cfg["brand"] = map[string]any{"name": "Static Chat", "accent_color": "red"}
		opWriteJSON(t, filepath.Join(dir, "config.json"), cfg)
		do(t, ctx, chromedp.Navigate(site.URL+"/signup/"))
		waitJS(t, ctx, `document.getElementById("config-problem") !== null`, "the config problem")
		waitText(t, ctx, "#config-problem", "brand.accent_color")
		if eval[bool](t, ctx, `document.getElementById("signup-form") !== null`) {
			t.Error("the form is shown with a broken config")
		}
	})

	t.Run("offline, the site opens from the service worker's cache", func(t *testing.T) {
		cfg["brand"] = map[string]any{"name": "Static Chat", "accent_color": "#c2185b"}
		opWriteJSON(t, filepath.Join(dir, "config.json"), cfg)
		opOpen(t, ctx, site.URL+"/signup/")
		opWaitAcrossLoads(t, ctx, `navigator.serviceWorker.controller !== null`, "the service worker to control the page", 30*time.Second)
		cached := opEvalAwait[[]string](t, ctx, `caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys()))))
			.then(ls => ls.flat().map(r => new URL(r.url).pathname))`)
		site.Close()
		goOffline(t, ctx)
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatalf("reloading /signup/ offline: %v\nthe worker's cache holds %q", err, cached)
		}
		opWaitAcrossLoads(t, ctx, `document.querySelector('#signup[data-ready="true"]') !== null && document.getElementById("signup-form") !== null`,
			"the form, offline", 30*time.Second)
	})
	noDialogs(t, ctx)
}

func opWriteJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
