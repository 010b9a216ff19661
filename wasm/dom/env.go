//go:build js && wasm

package dom

import "github.com/hack-pad/safejs"

// Languages returns navigator.languages (else navigator.language).
func Languages() []string {
	nav, err := safejs.Global().Get("navigator")
	if err != nil {
		return nil
	}
	var out []string
	if list, err := nav.Get("languages"); err == nil && !list.IsUndefined() && !list.IsNull() {
		n, _ := list.Length()
		for i := 0; i < n && i < 16; i++ {
			if v, err := list.Index(i); err == nil {
				if s, err := v.String(); err == nil {
					out = append(out, s)
				}
			}
		}
	}
	if len(out) == 0 {
		if v, err := nav.Get("language"); err == nil {
			if s, err := v.String(); err == nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// PageURL returns location.href.
func PageURL() string {
	loc, err := safejs.Global().Get("location")
	if err != nil {
		return ""
	}
	href, err := loc.Get("href")
	if err != nil {
		return ""
	}
	s, _ := href.String()
	return s
}

// Hidden reports whether document.visibilityState is "hidden".
func Hidden() bool {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return false
	}
	v, err := doc.Get("visibilityState")
	if err != nil {
		return false
	}
	s, _ := v.String()
	return s == "hidden"
}

// OnVisibility calls f (on a new goroutine) each time the tab becomes
// hidden or visible. The listener lives as long as the page.
func OnVisibility(f func(hidden bool)) {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return
	}
	fn, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		go f(Hidden())
		return nil
	})
	if err != nil {
		return
	}
	_, _ = doc.Call("addEventListener", "visibilitychange", fn.Value())
}
