package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// A broken new version (its app.wasm does not compile) deployed while a
// copy is installed: the installed copy keeps working and offers no
// update; a good version after it is offered as usual.
func TestFaultBrokenDeployDoesNotBrick(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.dummy"}}})
	addr := opFreeAddr(t)
	args := []string{"-homeserver", hs.URL, "-server-name", "localhost"}
	v1 := opStartSignupAt(t, addr, append(args, "-version", "v1")...)
	ctx := NewBrowser(t)
	opOpen(t, ctx, v1.URL+"/")
	opEvalAwait[string](t, ctx, `navigator.serviceWorker.ready.then(r => r.active.state)`)
	do(t, ctx, chromedp.Reload())
	waitReady(t, ctx)
	waitJS(t, ctx, `navigator.serviceWorker.controller !== null`, "the v1 worker to control the page")

	// v2: the same assets but an app.wasm that is not WebAssembly.
	broken := t.TempDir()
	web := filepath.Join(RepoRoot(), "web")
	entries, err := os.ReadDir(web)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) == ".br" || filepath.Ext(e.Name()) == ".gz" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(web, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "app.wasm" {
			b = []byte("<html>502 Bad Gateway</html>")
		}
		if err := os.WriteFile(filepath.Join(broken, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opStopSignup(t, v1)
	v2 := opStartSignupAt(t, addr, append(args, "-version", "v2", "-web", broken)...)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`goappTryUpdate()`))
	do(t, ctx, chromedp.Sleep(3*time.Second))
	if eval[bool](t, ctx, `document.getElementById("update") !== null`) {
		t.Error("a broken version is offered as an update")
	}
	// A new visit still gets the working installed version.
	do(t, ctx, chromedp.Reload())
	waitReady(t, ctx)
	if v := eval[string](t, ctx, `goappGetenv("GOAPP_VERSION")`); v != "v1" {
		t.Errorf("version after the broken deploy = %q, want v1 kept", v)
	}
	fill(t, ctx, "nora", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "a registration on the kept version")

	t.Run("a good version deployed after it installs and is served next", func(t *testing.T) {
		opStopSignup(t, v2)
		opStartSignupAt(t, addr, append(args, "-version", "v3")...)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`goappTryUpdate()`))
		// v3's worker deletes the other versions' caches when it activates.
		waitJS(t, ctx, `caches.keys().then(k => window.__k = k), JSON.stringify(window.__k || []) === '["app-v3"]'`, "the v3 worker to activate")
		do(t, ctx, chromedp.Reload())
		waitReady(t, ctx)
		if v := eval[string](t, ctx, `goappGetenv("GOAPP_VERSION")`); v != "v3" {
			t.Errorf("version after the good deploy = %q, want v3", v)
		}
	})
}
