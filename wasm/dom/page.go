//go:build js && wasm

package dom

import (
	"strings"

	"github.com/hack-pad/safejs"
)

// SetLang sets lang and dir on <html>.
func SetLang(lang, dir string) {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return
	}
	root, err := doc.Get("documentElement")
	if err != nil {
		return
	}
	_, _ = root.Call("setAttribute", "lang", lang)
	_, _ = root.Call("setAttribute", "dir", dir)
}

// Online reports navigator.onLine (true when unknown).
func Online() bool {
	nav, err := safejs.Global().Get("navigator")
	if err != nil {
		return true
	}
	v, err := nav.Get("onLine")
	if err != nil || v.IsUndefined() {
		return true
	}
	b, err := v.Bool()
	return err != nil || b
}

// Navigate sends the page to an http(s) URL.
func Navigate(url string) {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return
	}
	if loc, err := safejs.Global().Get("location"); err == nil {
		_, _ = loc.Call("assign", url)
	}
}

// ApplyBrand sets CSS custom properties on <html> through the CSSOM,
// which the page's Content-Security-Policy allows (unlike style
// attributes).
func ApplyBrand(vars map[string]string) {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return
	}
	root, err := doc.Get("documentElement")
	if err != nil {
		return
	}
	style, err := root.Get("style")
	if err != nil {
		return
	}
	for k, v := range vars {
		_, _ = style.Call("setProperty", k, v)
	}
}

// Notify hands an event to the page's loader script, which posts it to the
// embedding page only when that page's origin is allowed (never "*").
func Notify(event string, detail map[string]string) {
	fn, err := safejs.Global().Get("signupNotify")
	if err != nil || fn.IsUndefined() || fn.IsNull() {
		return
	}
	d := make(map[string]any, len(detail))
	for k, v := range detail {
		d[k] = v
	}
	v, err := safejs.ValueOf(d)
	if err != nil {
		return
	}
	_, _ = fn.Invoke(event, v)
}

// SetAllowedOrigins tells the loader script which parent origins may
// receive the widget's messages (a static export's config.json may differ
// from the page env).
func SetAllowedOrigins(origins []string) {
	list := make([]any, len(origins))
	for i, o := range origins {
		list[i] = o
	}
	v, err := safejs.ValueOf(list)
	if err == nil {
		_ = safejs.Global().Set("signupAllowedOrigins", v)
	}
}
