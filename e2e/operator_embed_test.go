package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// hostPage is a page of another site that embeds the widget with the
// documented snippet, and records the events it gets (window.events) and
// every raw message (window.messages). %s is the widget's base URL.
const hostPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme community</title></head>
<body>
<h1>Join our community</h1>
<script>
window.events = [];
window.messages = [];
for (const n of ["signup:registered", "signup:stage", "signup:error", "signup:resize"]) {
  document.addEventListener(n, (e) => window.events.push({ type: e.type, detail: e.detail }));
}
window.addEventListener("message", (e) => window.messages.push({ origin: e.origin, data: JSON.stringify(e.data) }));
</script>
<div data-signup></div>
<script src="%s/web/embed.js" async></script>
</body></html>
`

// startHost serves hostPage on a new loopback port (another origin than
// the widget's); widget is read at request time, so the host can start
// before the widget it embeds.
func startHost(t *testing.T, widget *string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, strings.Replace(hostPage, "%s", *widget, 1))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// hostEvent is one event the host page received.
type hostEvent struct {
	Type   string            `json:"type"`
	Detail map[string]string `json:"detail"`
}

// The widget embedded in another site with web/embed.js: it shows the
// form, sizes the iframe to its content, creates an account for real, and
// tells the host page (only an allowed one) what happened, without tokens
// or passwords. A site the operator did not allow cannot frame it.
func TestOperatorEmbedding(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.terms"}}, Params: termsParams})
	allowed, other, s := startEmbedding(t, hs.URL)

	t.Run("the widget's CSP lets the allowed origin frame it, and no other", func(t *testing.T) {
		resp, err := http.Get(s.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var ancestors string
		for _, d := range strings.Split(resp.Header.Get("Content-Security-Policy"), ";") {
			if d = strings.TrimSpace(d); strings.HasPrefix(d, "frame-ancestors") {
				ancestors = d
			}
		}
		if want := "frame-ancestors 'self' " + allowed.URL; ancestors != want {
			t.Errorf("CSP %q, want %q", ancestors, want)
		}
		if strings.Contains(ancestors, other.URL) || strings.Contains(ancestors, "*") {
			t.Errorf("CSP %q lets others frame the widget", ancestors)
		}
	})

	ctx := NewBrowser(t)
	t.Run("an allowed site", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(allowed.URL+"/"))
		waitJS(t, ctx, `document.querySelector("[data-signup] iframe") !== null`, "the iframe")
		if src := eval[string](t, ctx, `document.querySelector("iframe").src`); src != s.URL+"/" {
			t.Errorf("iframe src = %q, want %q", src, s.URL+"/")
		}
		frame := frameNode(t, ctx)
		frameWait(t, ctx, frame, `document.querySelector('#signup[data-ready="true"]') !== null && document.getElementById("username") !== null`,
			"the form in the iframe")
		if !frameEval[bool](t, ctx, frame, `document.documentElement.classList.contains("embedded")`) {
			t.Error(`the widget in the iframe lacks the "embedded" class`)
		}

		// The iframe takes the height of its content.
		waitJS(t, ctx, `document.querySelector("iframe").style.height !== "640px"`, "the iframe to be resized from its initial 640px")
		hForm := fitHeight(t, ctx, frame, 0)

		do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#username"), "ulla", chromedp.FromNode(frame)),
			chromedp.SendKeys(chromedp.CSS("#password"), operatorPassword, chromedp.FromNode(frame)),
			chromedp.SendKeys(chromedp.CSS("#confirm"), operatorPassword, chromedp.FromNode(frame)),
		)
		frameWait(t, ctx, frame, `document.getElementById("username").value === "ulla" &&
			document.getElementById("confirm").value.length > 0`, "the typed values in the iframe")

		t.Run("an error: signup:error with the code, and a taller frame", func(t *testing.T) {
			hs.RateLimit("/_matrix/client/v3/register", 1, time.Second)
			frameClick(t, ctx, frame, "submit")
			waitJS(t, ctx, `window.events.some(e => e.type === "signup:error")`, "signup:error on the host")
			ev := hostEvents(t, ctx, "signup:error")
			if len(ev) != 1 || ev[0].Detail["code"] != "M_LIMIT_EXCEEDED" {
				t.Errorf("signup:error events = %+v, want one with code M_LIMIT_EXCEEDED", ev)
			}
			frameWait(t, ctx, frame, `(document.getElementById("form-error") || {}).textContent !== ""`, "the error in the iframe")
			fitHeight(t, ctx, frame, hForm)
		})

		t.Run("a stage: signup:stage", func(t *testing.T) {
			frameWait(t, ctx, frame, `!document.getElementById("submit").disabled`, "the wait to end")
			frameClick(t, ctx, frame, "submit")
			frameWait(t, ctx, frame, `document.querySelectorAll("#terms input[type=checkbox]").length === 2`, "the terms stage")
			waitJS(t, ctx, `window.events.some(e => e.type === "signup:stage")`, "signup:stage on the host")
			if ev := hostEvents(t, ctx, "signup:stage"); ev[0].Detail["stage"] != "m.login.terms" {
				t.Errorf("signup:stage events = %+v", ev)
			}
		})

		hBefore := heightOf(t, ctx)
		t.Run("registered: signup:registered with the user ID and homeserver only", func(t *testing.T) {
			frameWait(t, ctx, frame, `(() => { document.querySelectorAll("#terms input[type=checkbox]").forEach(c => c.checked || c.click());
				const b = document.getElementById("terms-continue"); return !!b && !b.disabled; })()`, "Continue to be enabled")
			frameClick(t, ctx, frame, "terms-continue")
			frameWait(t, ctx, frame, `document.getElementById("success") !== null`, "the success panel in the iframe")
			if got := frameEval[string](t, ctx, frame, `document.getElementById("user-id").textContent`); got != "@ulla:localhost" {
				t.Errorf("user ID in the iframe = %q", got)
			}
			waitJS(t, ctx, `window.events.some(e => e.type === "signup:registered")`, "signup:registered on the host")
			ev := hostEvents(t, ctx, "signup:registered")
			if len(ev) != 1 || ev[0].Detail["user_id"] != "@ulla:localhost" || ev[0].Detail["homeserver"] != hs.URL {
				t.Errorf("signup:registered events = %+v, want one with user_id @ulla:localhost, homeserver %s", ev, hs.URL)
			}
			if users := hs.Users(); len(users) != 1 {
				t.Errorf("accounts on the homeserver = %v", users)
			}
		})

		t.Run("the frame follows the success panel's height", func(t *testing.T) {
			waitJS(t, ctx, `document.querySelector("iframe").style.height !== `+js(strconv.Itoa(hBefore)+"px"), "the iframe to be resized")
			fitHeight(t, ctx, frame, 0)
		})

		t.Run("no secrets, no foreign messages", func(t *testing.T) {
			all := eval[string](t, ctx, `JSON.stringify({events: window.events, messages: window.messages})`)
			for _, secret := range []string{"access_token", operatorPassword, "password", "device_id"} {
				if strings.Contains(all, secret) {
					t.Errorf("the host page received %q: %s", secret, all)
				}
			}
			origins := eval[[]string](t, ctx, `window.messages.map(m => m.origin)`)
			for _, o := range origins {
				if o != s.URL {
					t.Errorf("a message from %q", o)
				}
			}
		})
		if resize := hostEvents(t, ctx, "signup:resize"); len(resize) != 0 {
			t.Errorf("embed.js passed signup:resize on as an event: %+v", resize)
		}
		noDialogs(t, ctx)
	})

	t.Run("a site not in allowed_origins cannot frame it", func(t *testing.T) {
		tab := NewTab(t, ctx)
		do(t, tab, chromedp.Navigate(other.URL+"/"))
		waitJS(t, tab, `document.querySelector("[data-signup] iframe") !== null`, "the iframe element")
		// Chromium reports the refusal on the console.
		deadline := time.Now().Add(30 * time.Second)
		for !consoleHas(tab, "frame-ancestors") {
			if time.Now().After(deadline) {
				t.Fatalf("no frame-ancestors refusal on the console; console errors: %q", ConsoleErrors(tab))
			}
			time.Sleep(100 * time.Millisecond)
		}
		tree, err := chromedp.Call(tab, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			t.Fatal(err)
		}
		if len(tree.FrameTree.ChildFrames) != 1 {
			t.Fatalf("child frames = %d, want 1", len(tree.FrameTree.ChildFrames))
		}
		child := tree.FrameTree.ChildFrames[0].Frame
		t.Logf("blocked frame: url %q, unreachable %q", child.URL, child.UnreachableURL)
		if strings.HasPrefix(child.URL, s.URL) && child.UnreachableURL == "" {
			t.Errorf("the frame holds the widget's document %q", child.URL)
		}
		frame := frameNode(t, tab)
		ctxT, cancel := context.WithTimeout(tab, 5*time.Second)
		defer cancel()
		found, err := chromedp.Run(ctxT, chromedp.Poll[bool](`document.getElementById("signup") !== null || document.getElementById("username") !== null`,
			chromedp.WithPollingInFrame(frame), chromedp.WithPollingTimeout(3*time.Second)))
		if err == nil && found {
			t.Errorf("the refused frame shows the widget")
		}
		do(t, tab, chromedp.Sleep(2*time.Second))
		// Nothing from the widget; only embed.js's own signup:error once
		// it gave up waiting for the widget (TestEmbedRefusedShowsALink).
		if n := eval[int](t, tab, `window.events.filter(e => !(e.type === "signup:error" && e.detail.code === "embed_refused")).length + window.messages.length`); n != 0 {
			t.Errorf("the host got %d events/messages: %s", n, eval[string](t, tab, `JSON.stringify([window.events, window.messages])`))
		}
	})
}

// frameNode returns the node of the page's (only) iframe.
func frameNode(t *testing.T, ctx context.Context) *chromedp.Node {
	t.Helper()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("iframe")))
	if err != nil || len(nodes) == 0 {
		t.Fatalf("finding the iframe: %v (%d nodes)", err, len(nodes))
	}
	return nodes[0]
}

// frameWait waits until expr is truthy in the document of the iframe.
func frameWait(t *testing.T, ctx context.Context, frame *chromedp.Node, expr, what string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInFrame(frame),
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(45*time.Second)))
	if err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Poll[string](`document.body ? document.body.innerText || "(empty)" : "(no body)"`,
			chromedp.WithPollingInFrame(frame), chromedp.WithPollingTimeout(2*time.Second)))
		t.Fatalf("waiting in the iframe for %s: %v\niframe text: %s", what, err, text)
	}
}

// frameEval returns the value of expr in the document of the iframe.
// frameClick clicks the button with id in the iframe from the page's own
// script: what this test watches is the host page's events, and a mouse
// click into a cross-site iframe has been seen to miss under load.
func frameClick(t *testing.T, ctx context.Context, frame *chromedp.Node, id string) {
	t.Helper()
	if !frameEval[bool](t, ctx, frame, `(() => { const b = document.getElementById(`+js(id)+`); if (!b || b.disabled) return false; b.click(); return true })()`) {
		t.Fatalf("no enabled #%s in the iframe to click", id)
	}
}

func frameEval[T any](t *testing.T, ctx context.Context, frame *chromedp.Node, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Poll[struct{ V T }](`({V: (`+expr+`)})`, chromedp.WithPollingInFrame(frame),
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("evaluating %s in the iframe: %v", expr, err)
	}
	return v.V
}

// heightOf returns the iframe's height in px, as embed.js set it.
func heightOf(t *testing.T, ctx context.Context) int {
	t.Helper()
	return eval[int](t, ctx, `parseInt(document.querySelector("iframe").style.height, 10)`)
}

// fitHeight waits until the iframe is as tall as the document inside it
// (and, when other is not 0, no longer other px tall), and returns that
// height.
func fitHeight(t *testing.T, ctx context.Context, frame *chromedp.Node, other int) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		h := heightOf(t, ctx)
		inner := frameEval[int](t, ctx, frame, `Math.ceil(document.documentElement.getBoundingClientRect().height)`)
		if h == inner && h != other && h > 100 {
			return h
		}
		if time.Now().After(deadline) {
			t.Fatalf("iframe height %dpx, its content %dpx (want them equal, and not %dpx)", h, inner, other)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// hostEvents returns the host page's events of one type.
func hostEvents(t *testing.T, ctx context.Context, typ string) []hostEvent {
	t.Helper()
	raw := eval[string](t, ctx, `JSON.stringify(window.events.filter(e => e.type === `+js(typ)+`))`)
	var out []hostEvent
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("events %s: %v", raw, err)
	}
	return out
}

// consoleHas reports whether a console error of the tab contains sub.
func consoleHas(ctx context.Context, sub string) bool {
	for _, e := range ConsoleErrors(ctx) {
		if strings.Contains(e, sub) {
			return true
		}
	}
	return false
}

// startEmbedding starts two host pages with the embed snippet and the
// widget on homeserver hs, which allows the first host's origin only.
func startEmbedding(t *testing.T, hs string) (allowed, other *httptest.Server, s *Signup) {
	t.Helper()
	var widgetURL string
	allowed = startHost(t, &widgetURL)
	other = startHost(t, &widgetURL)
	cfg := opBaseConfig(hs)
	cfg["embed"] = map[string]any{"allowed_origins": []string{allowed.URL}}
	s = StartSignup(t, "-config", opWriteConfig(t, cfg))
	widgetURL = s.URL
	return allowed, other, s
}
