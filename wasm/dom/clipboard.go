//go:build js && wasm

package dom

import (
	"context"
	"time"

	"github.com/hack-pad/safejs"

	"signup/wasm/jsutil"
)

// Copy writes text to the clipboard (navigator.clipboard.writeText, which
// needs a secure context and a user's click) and calls done (on another
// goroutine) with whether it worked.
func Copy(text string, done func(ok bool)) {
	nav, err := safejs.Global().Get("navigator")
	if err != nil {
		done(false)
		return
	}
	clip, err := nav.Get("clipboard")
	if err != nil || clip.IsUndefined() || clip.IsNull() {
		done(false)
		return
	}
	p, err := clip.Call("writeText", text)
	if err != nil {
		done(false)
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := jsutil.Await(ctx, p)
		done(err == nil)
	}()
}
