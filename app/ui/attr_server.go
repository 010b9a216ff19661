//go:build !wasm

package ui

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// SafeAttr prepares an untrusted string (operator text, a server's answer,
// a URL) for an attribute of the pre-rendered page. go-app v10.1.11 writes
// attribute values on the server with strconv.Quote, which does not
// HTML-escape: a `"` ends the attribute and the rest becomes markup. On the
// server, SafeAttr turns every rune HTML attribute syntax or strconv.Quote
// would change (`"` `'` `&` `<` `>` `\` and what strconv.IsPrint rejects,
// invalid UTF-8 included) into a numeric character reference, "&#34;":
// strconv.Quote leaves the result as it is, and the browser decodes it back
// to the original. In the browser go-app sets attributes with
// setAttribute, and SafeAttr returns s unchanged (attr_wasm.go).
func SafeAttr(s string) string {
	if !needsRef(s) {
		return s
	}
	var b strings.Builder
	// A stray byte ranges as utf8.RuneError: strconv.Quote would write
	// \x..., the reference makes it U+FFFD, as a browser would.
	for _, r := range s {
		if attrRef(r) {
			if r == 0 || r >= 0x80 && r <= 0x9f {
				// HTML decodes &#0; as U+FFFD and &#128;-&#159; as
				// Windows-1252 (&#128; is €): say U+FFFD outright.
				r = utf8.RuneError
			}
			b.WriteString("&#")
			b.WriteString(strconv.Itoa(int(r)))
			b.WriteByte(';')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// needsRef reports whether s holds a rune SafeAttr must replace.
func needsRef(s string) bool {
	for _, r := range s {
		if attrRef(r) {
			return true
		}
	}
	return false
}

// attrRef reports a rune that cannot stand for itself in go-app's quoted
// attribute values.
func attrRef(r rune) bool {
	switch r {
	case '"', '\'', '&', '<', '>', '\\', utf8.RuneError:
		return true
	}
	return !strconv.IsPrint(r)
}
