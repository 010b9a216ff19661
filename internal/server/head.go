package server

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// go-app's Handler writes some of its fields into the pre-rendered <head>
// with strconv.Quote, which does not HTML-escape (a `"` ends the attribute),
// and also into places where an HTML character reference would be wrong:
// the title into <title>, where go-app escapes it itself; the description
// and icons into the JSON manifest; icons and stylesheets into the service
// worker's list of URLs to cache. ui.SafeAttr cannot serve both, so these
// fields get a form that means the same in every one of those places.

// headText makes a Handler text field (Title, Description) safe in the
// <meta content> attributes and the <title> and manifest where go-app also
// puts it: a `"` becomes a typographic quote (“ at the start of a word, ”
// elsewhere), a `\` becomes ＼ (U+FF3C, strconv.Quote would double it), and
// runes strconv.Quote would escape (controls, invalid UTF-8) become spaces.
// In the browser the widget sets the page title itself, unchanged.
func headText(s string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		switch {
		case r == '"' && (prev == ' ' || strings.ContainsRune("([{“‘", prev)):
			r = '“'
		case r == '"':
			r = '”'
		case r == '\\':
			r = '＼'
		case r == utf8.RuneError || !strconv.IsPrint(r):
			r = ' '
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// headURL makes a Handler URL field (icons, the stylesheet, the og:image)
// safe in the attributes go-app writes it into and in the manifest and the
// service worker's JSON: the bytes a browser would percent-encode anyway
// (`"` `<` `>` space, controls, non-ASCII) and the backslash (which
// strconv.Quote doubles) are percent-encoded. The URL then holds no rune an
// attribute or strconv.Quote would change, and means the same.
func headURL(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\`", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
