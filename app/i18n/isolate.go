package i18n

import "strings"

// Unicode directional isolates (https://www.unicode.org/reports/tr9/#Explicit_Directional_Isolates).
const (
	fsi = "\u2068" // FIRST STRONG ISOLATE: the text takes the direction of its first strong letter
	pdi = "\u2069" // POP DIRECTIONAL ISOLATE
)

// Isolate wraps s in a first-strong isolate: inside a right-to-left
// sentence "@ali:example.org" stays "@ali:example.org" (not
// "ali:example.org@"), and quoted punctuation such as “!” keeps its quotes
// in order, since text without a strong letter is laid out left to right.
// Arabic text stays right to left.
func Isolate(s string) string {
	if s == "" {
		return s
	}
	return fsi + s + pdi
}

// isolate returns the arguments of the format m with every string
// isolated, for a right-to-left catalogue. Left-to-right catalogues
// format their arguments as they are (an isolate changes nothing there,
// and plain strings are easier to search and compare), and so does a
// message that isolates its placeholders itself (the shipped Arabic
// catalogue does: an operator's override may not).
func (c *Catalog) isolate(m string, args []any) []any {
	if c.Dir != "rtl" || strings.Contains(m, fsi) {
		return args
	}
	out := make([]any, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok {
			a = Isolate(s)
		}
		out[i] = a
	}
	return out
}
