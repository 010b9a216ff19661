//go:build js && wasm

package dom

import (
	"slices"
	"sync"

	"github.com/hack-pad/safejs"
)

var popup struct {
	sync.Mutex
	listener safejs.Func
	active   bool
}

// OpenFallback opens url in a popup and calls done (on a new goroutine)
// once, when that popup posts "authDone" (the spec's fallback completion,
// https://spec.matrix.org/v1.16/client-server-api/#fallback). The message
// is accepted only from the window it opened (event.source) while that
// window is on one of origins (event.origin): a page the popup was
// redirected to elsewhere cannot finish the stage. It returns false when
// the popup was blocked.
func OpenFallback(url string, origins []string, done func()) bool {
	win := safejs.Global()
	w, err := win.Call("open", url, "signup-fallback", "popup=yes,width=520,height=720")
	if err != nil || w.IsNull() || w.IsUndefined() {
		return false
	}
	popup.Lock()
	defer popup.Unlock()
	if popup.active {
		_, _ = win.Call("removeEventListener", "message", popup.listener.Value())
		popup.listener.Release()
	}
	var fn safejs.Func
	fn, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) == 0 {
			return nil
		}
		src, err := args[0].Get("source")
		if err != nil || !src.Equal(w) {
			return nil
		}
		origin, err := args[0].Get("origin")
		if err != nil {
			return nil
		}
		if o, err := origin.String(); err != nil || !slices.Contains(origins, o) {
			return nil
		}
		data, err := args[0].Get("data")
		if err != nil {
			return nil
		}
		if s, err := data.String(); err != nil || s != "authDone" {
			return nil
		}
		// Close the popup at once: the less time a page on another
		// origin holds window.opener, the better.
		_, _ = w.Call("close")
		go func() {
			popup.Lock()
			if popup.active {
				_, _ = win.Call("removeEventListener", "message", fn.Value())
				popup.active = false
			}
			popup.Unlock()
			done()
		}()
		return nil
	})
	if err != nil {
		return true
	}
	popup.listener, popup.active = fn, true
	_, _ = win.Call("addEventListener", "message", fn.Value())
	return true
}
