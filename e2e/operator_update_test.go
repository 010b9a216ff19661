package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// A new version deployed while a tab is open: the tab offers a reload
// (nothing reloads by surprise), and the Reload button brings the new
// version.
func TestOperatorUpdatePrompt(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	en := opCatalogue(t, "en")
	addr := opFreeAddr(t)
	args := []string{"-homeserver", hs.URL, "-server-name", "localhost"}
	v1 := opStartSignupAt(t, addr, append(args, "-version", "v1")...)

	ctx := NewBrowser(t)
	opOpen(t, ctx, v1.URL+"/")
	if state := opEvalAwait[string](t, ctx, `navigator.serviceWorker.ready.then(r => r.active.state)`); state != "activated" && state != "activating" {
		t.Fatalf("the v1 service worker is %q", state)
	}
	if v := eval[string](t, ctx, `goappGetenv("GOAPP_VERSION")`); v != "v1" {
		t.Fatalf("running version = %q, want v1", v)
	}
	t.Run("a first visit offers no update", func(t *testing.T) {
		// Give a (wrong) prompt the time to show up.
		do(t, ctx, chromedp.Sleep(2*time.Second))
		if eval[bool](t, ctx, `document.getElementById("update") !== null`) {
			t.Errorf("the first visit says %q: the service worker's first install is taken for an update",
				eval[string](t, ctx, `document.getElementById("update").textContent`))
		}
	})
	// From here on the page is controlled by v1 from its start, so only a
	// real update can bring the prompt.
	do(t, ctx, chromedp.Reload())
	waitReady(t, ctx)
	waitJS(t, ctx, `navigator.serviceWorker.controller !== null`, "the v1 service worker to control the page")
	do(t, ctx, chromedp.Sleep(time.Second))
	if eval[bool](t, ctx, `document.getElementById("update") !== null`) {
		t.Fatal("an update is offered on a reload, with no new version")
	}
	// Something typed must not be lost by the update itself.
	do(t, ctx, chromedp.SendKeys(chromedp.ID("username"), "rita"))

	opStopSignup(t, v1)
	opStartSignupAt(t, addr, append(args, "-version", "v2")...)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`goappTryUpdate()`))

	waitJS(t, ctx, `document.getElementById("update-reload") !== null`, "the update prompt")
	if got := eval[string](t, ctx, `document.querySelector("#update p").textContent`); got != en["update.available"] {
		t.Errorf("update prompt = %q, want %q", got, en["update.available"])
	}
	if got := eval[string](t, ctx, `document.getElementById("update-reload").textContent`); got != en["update.reload"] {
		t.Errorf("update button = %q, want %q", got, en["update.reload"])
	}
	if got := eval[string](t, ctx, `goappGetenv("GOAPP_VERSION")`); got != "v1" {
		t.Errorf("the page changed version (%q) before the user chose to reload", got)
	}
	if v := eval[string](t, ctx, `document.getElementById("username").value`); v != "rita" {
		t.Errorf("username after the prompt = %q, want rita", v)
	}

	do(t, ctx, chromedp.Click(chromedp.ID("update-reload")))
	opWaitAcrossLoads(t, ctx, `goappGetenv("GOAPP_VERSION") === "v2" && document.querySelector('#signup[data-ready="true"]') !== null`,
		"the page to reload into v2", 45*time.Second)
	if eval[bool](t, ctx, `document.getElementById("update") !== null`) {
		t.Error("the update prompt is still shown after the reload")
	}
	noDialogs(t, ctx)
}
