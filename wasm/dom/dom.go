//go:build js && wasm

// Package dom reads and drives the page's DOM through safejs: what the user
// typed into the pre-rendered form, and keyboard focus.
package dom

import (
	"github.com/hack-pad/safejs"

	"signup/app/ui"
)

// ReadPrefill returns the values of the inputs with the given IDs and the
// focused input with its selection, as the user left them in the
// pre-rendered form before the WASM took over. Missing elements are
// skipped; nothing here panics.
func ReadPrefill(ids ...string) ui.Prefill {
	p := ui.Prefill{Values: map[string]string{}, SelStart: -1, SelEnd: -1}
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return p
	}
	for _, id := range ids {
		el, err := doc.Call("getElementById", id)
		if err != nil || el.IsNull() || el.IsUndefined() {
			continue
		}
		if v, err := el.Get("value"); err == nil {
			if s, err := v.String(); err == nil && s != "" {
				p.Values[id] = s
			}
		}
	}
	active, err := doc.Get("activeElement")
	if err != nil || active.IsNull() || active.IsUndefined() {
		return p
	}
	id, err := active.Get("id")
	if err != nil {
		return p
	}
	if s, err := id.String(); err == nil {
		if _, ok := p.Values[s]; ok || contains(ids, s) {
			p.Focus = s
			p.SelStart, p.SelEnd = intProp(active, "selectionStart"), intProp(active, "selectionEnd")
		}
	}
	return p
}

// Focus moves the keyboard focus to the element with this ID and restores
// a text selection when start >= 0.
func Focus(id string, start, end int) {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return
	}
	el, err := doc.Call("getElementById", id)
	if err != nil || el.IsNull() || el.IsUndefined() {
		return
	}
	_, _ = el.Call("focus")
	if start >= 0 && end >= start {
		_, _ = el.Call("setSelectionRange", start, end)
	}
}

func intProp(v safejs.Value, name string) int {
	p, err := v.Get(name)
	if err != nil || p.IsNull() || p.IsUndefined() {
		return -1
	}
	n, err := p.Int()
	if err != nil {
		return -1
	}
	return n
}

func contains(ids []string, s string) bool {
	for _, id := range ids {
		if id == s {
			return true
		}
	}
	return false
}
