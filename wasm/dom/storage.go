//go:build js && wasm

package dom

import "github.com/hack-pad/safejs"

// SessionStore is the tab's sessionStorage. Access can throw (storage
// disabled, quota): then it behaves as empty and drops writes.
type SessionStore struct{}

func storage() (safejs.Value, bool) {
	s, err := safejs.Global().Get("sessionStorage")
	if err != nil || s.IsNull() || s.IsUndefined() {
		return safejs.Undefined(), false
	}
	return s, true
}

// Get returns the value stored under key.
func (SessionStore) Get(key string) (string, bool) {
	s, ok := storage()
	if !ok {
		return "", false
	}
	v, err := s.Call("getItem", key)
	if err != nil || v.IsNull() || v.IsUndefined() {
		return "", false
	}
	str, err := v.String()
	return str, err == nil
}

// Set stores value under key.
func (SessionStore) Set(key, value string) {
	if s, ok := storage(); ok {
		_, _ = s.Call("setItem", key, value)
	}
}

// Remove deletes key.
func (SessionStore) Remove(key string) {
	if s, ok := storage(); ok {
		_, _ = s.Call("removeItem", key)
	}
}
