package e2e

import (
	"context"
	"errors"
	"testing"

	"signup/e2e/tesths"
	"signup/e2e/webdriver"
)

// In Firefox and in WebKit, the installed PWA opens again with the widget
// server gone: the service worker takes control on the first visit, and a
// reload without the server still shows the working form. Where the driver
// can emulate a network outage (Firefox), the page is offline too, and a
// submit says so instead of sending anything.
func TestEnginesPWAOffline(t *testing.T) {
	en := opCatalogue(t, "en")
	forEachEngine(t, func(t *testing.T, e *engineTab) {
		hs := tesths.Start(t, tesths.Config{})
		s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
		e.open(s.URL + "/")

		var hasSW bool
		e.eval(`"serviceWorker" in navigator && window.isSecureContext`, &hasSW)
		if !hasSW {
			t.Fatalf("%s offers no service workers on %s", e.b.Version(), s.URL)
		}
		var state string
		e.eval(`navigator.serviceWorker.ready.then(r => r.active ? r.active.state : "none")`, &state)
		if state != "activated" && state != "activating" {
			t.Errorf("active worker state = %q", state)
		}
		e.do("reloading", e.b.Reload)
		e.waitReady()
		e.wait(`navigator.serviceWorker.controller !== null`, "the service worker to control the page")
		var script string
		e.eval(`navigator.serviceWorker.controller.scriptURL`, &script)
		if script != s.URL+"/app-worker.js" {
			t.Errorf("controller = %q, want %s/app-worker.js", script, s.URL)
		}

		e.noConsoleErrors() // what follows fails network requests on purpose

		opStopSignup(t, s)
		offline := true
		e.do("going offline", func(ctx context.Context) error {
			err := e.b.SetOffline(ctx, true)
			if errors.Is(err, webdriver.ErrUnsupported) {
				t.Logf("%s: no network emulation in its driver; the widget server is stopped instead", e.b.Engine())
				offline, err = false, nil
			}
			return err
		})
		e.do("reloading without the server", e.b.Reload)
		e.waitReady()
		var fromWorker bool
		e.eval(`navigator.serviceWorker.controller !== null`, &fromWorker)
		if !fromWorker {
			t.Error("the page reloaded without the server is not controlled by the service worker")
		}
		e.typeInto("#username", "quinn")
		e.typeInto("#password", operatorPassword)
		e.typeInto("#confirm", operatorPassword)
		if offline {
			var online bool
			e.eval(`navigator.onLine`, &online)
			if online {
				t.Error("navigator.onLine is still true")
			}
			e.click("#submit")
			e.waitText("#form-error", en["offline"])
			if n := len(hs.RequestsTo("POST", "/_matrix/client/v3/register")); n != 0 {
				t.Errorf("the homeserver got %d registrations while the browser was offline", n)
			}
		} else {
			e.waitText("#username-status", "quinn is available")
		}
	})
}
