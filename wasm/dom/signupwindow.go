//go:build js && wasm

package dom

import (
	"strings"
	"sync"

	"github.com/hack-pad/safejs"
)

// The sign-up window: the popup of a sign-up on another page (OAuth 2.0,
// SSO) when the widget is embedded, whose pages refuse to be framed. Its
// callback page, web/callback.html, posts its address back here (see
// web/callback.js).
var signUp struct {
	sync.Mutex
	win      safejs.Value
	open     bool
	listener safejs.Func
	onRelay  func(url string)
}

// SignUpWindow opens the sign-up window at url (about:blank when empty),
// or with move sends the window it opened there. It returns false when
// the browser blocked it or the user closed it.
func SignUpWindow(url string, move bool) bool {
	if url != "" && !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return false
	}
	signUp.Lock()
	defer signUp.Unlock()
	if move {
		if !signUp.open {
			return false
		}
		if closed, err := signUp.win.Get("closed"); err != nil || truthy(closed) {
			signUp.open = false
			return false
		}
		loc, err := signUp.win.Get("location")
		if err != nil {
			return false
		}
		_, err = loc.Call("replace", url)
		return err == nil
	}
	target := url
	if target == "" {
		target = "about:blank"
	}
	w, err := safejs.Global().Call("open", target, "signup-auth", "popup=yes,width=520,height=760")
	if err != nil || w.IsNull() || w.IsUndefined() {
		signUp.open = false
		return false
	}
	signUp.win, signUp.open = w, true
	return true
}

// CloseSignUpWindow closes the sign-up window.
func CloseSignUpWindow() {
	signUp.Lock()
	defer signUp.Unlock()
	if signUp.open {
		_, _ = signUp.win.Call("close")
		signUp.open = false
	}
}

// OnRelay calls f (on a new goroutine) with each callback URL the
// sign-up window posts: only a message from that window (event.source),
// from this page's own origin (event.origin), shaped as callback.js
// sends it.
func OnRelay(f func(url string)) {
	signUp.Lock()
	signUp.onRelay = f
	signUp.Unlock()
	fn, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) == 0 {
			return nil
		}
		ev := args[0]
		signUp.Lock()
		win, open, relay := signUp.win, signUp.open, signUp.onRelay
		signUp.Unlock()
		src, err := ev.Get("source")
		if !open || err != nil || !src.Equal(win) {
			return nil
		}
		origin, _ := stringOf(ev, "origin")
		if origin == "" || origin != ownOrigin() {
			return nil
		}
		data, err := ev.Get("data")
		if err != nil || data.IsNull() || data.IsUndefined() {
			return nil
		}
		if kind, _ := stringOf(data, "type"); kind != "signup:callback" {
			return nil
		}
		u, _ := stringOf(data, "url")
		if !strings.HasPrefix(u, origin+"/") {
			return nil
		}
		go relay(u)
		return nil
	})
	if err != nil {
		return
	}
	signUp.listener = fn
	_, _ = safejs.Global().Call("addEventListener", "message", fn.Value())
}

// ReplaceURL replaces the page's address without a reload.
func ReplaceURL(url string) {
	h, err := safejs.Global().Get("history")
	if err == nil {
		_, _ = h.Call("replaceState", nil, "", url)
	}
}

// Embedded reports whether the page is in a frame.
func Embedded() bool {
	g := safejs.Global()
	top, err := g.Get("top")
	if err != nil {
		return false
	}
	self, err := g.Get("self")
	return err == nil && !self.Equal(top)
}

// CallbackURL is the address of web/callback.html under the site's root,
// found from go-app's app.js (at the root, under the prefix of a static
// export; the loader script may be inline and have no address).
func CallbackURL() string {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return ""
	}
	s, err := doc.Call("querySelector", `script[src$="/app.js"]`)
	if err != nil || s.IsNull() {
		return ""
	}
	src, _ := stringOf(s, "src")
	ctor, err := safejs.Global().Get("URL")
	if err != nil || src == "" {
		return ""
	}
	u, err := ctor.New("web/callback.html", src)
	if err != nil {
		return ""
	}
	href, _ := stringOf(u, "href")
	return href
}

func ownOrigin() string {
	loc, err := safejs.Global().Get("location")
	if err != nil {
		return ""
	}
	o, _ := stringOf(loc, "origin")
	return o
}

func stringOf(v safejs.Value, name string) (string, error) {
	f, err := v.Get(name)
	if err != nil {
		return "", err
	}
	if f.Type() != safejs.TypeString {
		return "", nil
	}
	return f.String()
}

func truthy(v safejs.Value) bool {
	b, err := v.Bool()
	return err == nil && b
}
