package e2e

import (
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// A page on another site that opens the widget (window.open, a link with
// an opener) must lose its handle on the widget's tab, so that it cannot
// later navigate it to a look-alike page (reverse tabnabbing):
// Cross-Origin-Opener-Policy: same-origin-allow-popups. The widget's own
// popup, the fallback page, keeps its opener (TestStageFallbackPopup and
// the Synapse reCAPTCHA fallback test report back through it).
func TestSecurityOpenerLosesTheWidget(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.dummy"}}})
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	// The other site: localhost, a different site from 127.0.0.1.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>another site</title>
<button id="open" onclick="window.w = window.open('%s')">Sign up</button>`, s.URL+"/")
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	ctx := NewBrowser(t)
	do(t, ctx, chromedp.Navigate("http://localhost:"+port+"/"), chromedp.Click(chromedp.ID("open")))
	waitJS(t, ctx, `window.w !== undefined && window.w !== null`, "the opened window")
	// Until the widget's answer arrives the handle is live; afterwards a
	// page of another site in its own browsing context group sees it
	// closed.
	deadline := time.Now().Add(20 * time.Second)
	for !eval[bool](t, ctx, `window.w.closed`) {
		if time.Now().After(deadline) {
			t.Fatal("the opener still holds the widget's tab (no Cross-Origin-Opener-Policy?)")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
