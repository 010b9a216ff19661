//go:build wasm

package ui

// SafeAttr returns s unchanged: in the browser go-app sets attributes with
// setAttribute, which takes any string as it is. The server's version
// (attr_server.go) writes the characters go-app's pre-render would mangle
// as character references.
func SafeAttr(s string) string { return s }
