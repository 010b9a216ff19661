package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// Embedded on a site the operator did not allow, the browser refuses the
// frame: embed.js notices that the widget never said hello, hides the
// broken frame, shows a link that opens the widget in a new tab, and fires
// signup:error with a reason. On an allowed site the frame stays, with a
// transparent page around the card.
func TestEmbedRefusedShowsALink(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	allowed, other, s := startEmbedding(t, hs.URL)
	ctx := NewBrowser(t)

	t.Run("a site not allowed: a link and signup:error", func(t *testing.T) {
		tab := NewTab(t, ctx)
		do(t, tab, chromedp.Navigate(other.URL+"/"))
		opWaitJS(t, tab, `window.events.some(e => e.type === "signup:error")`, "signup:error on the host", 30*time.Second)
		ev := hostEvents(t, tab, "signup:error")
		if len(ev) != 1 || ev[0].Detail["code"] != "embed_refused" || ev[0].Detail["reason"] == "" {
			t.Errorf("signup:error events = %+v, want one embed_refused with a reason", ev)
		}
		got := eval[[3]string](t, tab, `(() => { const a = document.querySelector("[data-signup-fallback] a");
			return [a ? a.getAttribute("href") : "(no link)", a ? a.target : "", getComputedStyle(document.querySelector("iframe")).display]; })()`)
		if got != [3]string{s.URL + "/", "_blank", "none"} {
			t.Errorf("link href, target, iframe display = %q, want %q", got, [3]string{s.URL + "/", "_blank", "none"})
		}
	})

	t.Run("an allowed site: the frame, transparent, and no link", func(t *testing.T) {
		tab := NewTab(t, ctx)
		do(t, tab, chromedp.Navigate(allowed.URL+"/"))
		waitJS(t, tab, `document.querySelector("[data-signup] iframe") !== null`, "the iframe")
		frame := frameNode(t, tab)
		frameWait(t, tab, frame, `document.querySelector('#signup[data-ready="true"]') !== null`, "the form in the iframe")
		if bg := frameEval[[2]string](t, tab, frame, `[getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).backgroundColor]`); bg != [2]string{"rgba(0, 0, 0, 0)", "rgba(0, 0, 0, 0)"} {
			t.Errorf("the widget's page background in the iframe = %q, want transparent", bg)
		}
		time.Sleep(4 * time.Second)
		if n := eval[int](t, tab, `document.querySelectorAll("[data-signup-fallback]").length + window.events.filter(e => e.type === "signup:error").length`); n != 0 {
			t.Errorf("an allowed site got the fallback link or signup:error (%d)", n)
		}
	})
}
