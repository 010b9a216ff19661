// Package i18n holds the widget's user-facing strings. Every string shown
// in the UI goes through a Catalog, so that operators can override it and
// languages can be added without touching components.
package i18n

import (
	"fmt"
	"strings"
)

// Catalog maps message keys to format strings (fmt verbs).
type Catalog struct {
	// Lang is the BCP 47 tag of the language.
	Lang string
	// Dir is "ltr" or "rtl".
	Dir string
	// Messages maps keys to format strings.
	Messages map[string]string
	// Fallback is consulted for keys Messages lacks; nil means English.
	Fallback *Catalog
}

// T returns the message for key formatted with args. A missing key yields
// the key itself, so a gap is visible but never crashes.
func (c *Catalog) T(key string, args ...any) string {
	for cat := c; cat != nil; cat = cat.next() {
		if m, ok := cat.Messages[key]; ok {
			if len(args) == 0 {
				return m
			}
			return fmt.Sprintf(m, args...)
		}
	}
	return key
}

func (c *Catalog) next() *Catalog {
	switch {
	case c.Fallback != nil:
		return c.Fallback
	case c != English:
		return English
	}
	return nil
}

// N picks the singular or plural key by n (English-style rule: n == 1 is
// singular) and formats it with n first.
func (c *Catalog) N(key string, n int, args ...any) string {
	k := key + ".other"
	if n == 1 {
		k = key + ".one"
	}
	return c.T(k, append([]any{n}, args...)...)
}

// Lookup returns the catalogue for a language tag such as "en-US" or
// "en_US", by its primary subtag; ok is false when none matches.
func Lookup(tag string) (*Catalog, bool) {
	primary := tag
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		primary = tag[:i]
	}
	primary = strings.ToLower(primary)
	for _, c := range all {
		if c.Lang == primary {
			return c, true
		}
	}
	return nil, false
}

var all = []*Catalog{English}
