// Package i18n holds the widget's user-facing strings: one message
// catalogue per language (locales/<lang>.json, embedded), with CLDR plural
// rules. Every string shown in the UI goes through a Catalog, so operators
// can override any of them and languages need no code.
package i18n

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"signup/app/jsonlite"
)

//go:embed locales/*.json
var files embed.FS

// Catalog is the messages of one language.
type Catalog struct {
	// Lang is the BCP 47 tag of the language, such as "en" or "ar".
	Lang string
	// Dir is "ltr" or "rtl".
	Dir string
	// Messages maps keys to format strings (fmt verbs).
	Messages map[string]string
	// Fallback is consulted for keys Messages lacks; nil means English.
	Fallback *Catalog
}

// rtl lists the right-to-left languages among the catalogues.
var rtl = map[string]bool{"ar": true, "he": true, "fa": true, "ur": true}

var (
	loadOnce sync.Once
	catalogs map[string]*Catalog
	loadErr  error
)

// load lists the catalogues; each is parsed on first use (parse), so
// the app's start pays for the languages it shows only.
func load() {
	catalogs = map[string]*Catalog{}
	entries, err := files.ReadDir("locales")
	if err != nil {
		loadErr = err
		return
	}
	for _, e := range entries {
		lang := strings.TrimSuffix(e.Name(), ".json")
		c := &Catalog{Lang: lang, Dir: "ltr"}
		if rtl[lang] {
			c.Dir = "rtl"
		}
		catalogs[lang] = c
	}
}

var parseMu sync.Mutex

// parse reads c's messages from its file, once.
func (c *Catalog) parse() *Catalog {
	parseMu.Lock()
	defer parseMu.Unlock()
	if c.Messages != nil {
		return c
	}
	b, err := files.ReadFile("locales/" + c.Lang + ".json")
	if err == nil {
		// jsonlite, not encoding/json: this runs as the WASM starts.
		c.Messages, err = jsonlite.StringMap(b)
	}
	if err != nil {
		c.Messages = map[string]string{}
		loadErr = fmt.Errorf("locales/%s.json: %w", c.Lang, err)
	}
	return c
}

// English is the reference catalogue: every key exists there.
func English() *Catalog { c, _ := Lookup("en"); return c }

// Languages lists the languages that have a catalogue, sorted.
func Languages() []string {
	loadOnce.Do(load)
	out := make([]string, 0, len(catalogs))
	for l := range catalogs {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the catalogue of a language tag such as "de", "en-US" or
// "en_US", by its primary subtag.
func Lookup(tag string) (*Catalog, bool) {
	loadOnce.Do(load)
	c, ok := catalogs[Primary(tag)]
	if !ok {
		return nil, false
	}
	return c.parse(), true
}

// Primary returns the lower-case primary subtag of a language tag.
func Primary(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(strings.TrimSpace(tag))
}

// Choose picks the catalogue for a user: the first of the user's languages
// (most preferred first) that is enabled, else def, else English. An empty
// enabled list enables every catalogue.
func Choose(user []string, enabled []string, def string) *Catalog {
	ok := func(l string) bool {
		if len(enabled) == 0 {
			return true
		}
		for _, e := range enabled {
			if Primary(e) == Primary(l) {
				return true
			}
		}
		return false
	}
	for _, l := range user {
		if c, found := Lookup(l); found && ok(l) {
			return c
		}
	}
	if c, found := Lookup(def); found {
		return c
	}
	return English()
}

// WithOverrides returns a copy of c whose messages are replaced by the
// operator's overrides (keys c does not know are ignored).
func (c *Catalog) WithOverrides(over map[string]string) *Catalog {
	if len(over) == 0 {
		return c
	}
	out := &Catalog{Lang: c.Lang, Dir: c.Dir, Messages: make(map[string]string, len(c.Messages)), Fallback: c.Fallback}
	for k, v := range c.Messages {
		out.Messages[k] = v
	}
	for k, v := range over {
		out.Messages[k] = v
	}
	return out
}

// T returns the message for key formatted with args. A missing key falls
// back to English, then to the key itself, so a gap shows but never
// crashes. In a right-to-left catalogue every string argument is isolated
// (Isolate), so that a user ID, a server name or quoted characters keep
// their own order inside the sentence.
func (c *Catalog) T(key string, args ...any) string {
	for cat := c; cat != nil; cat = cat.next() {
		if m, ok := cat.Messages[key]; ok {
			if len(args) == 0 {
				return m
			}
			return fmt.Sprintf(m, c.isolate(m, args)...)
		}
	}
	return key
}

func (c *Catalog) next() *Catalog {
	if c.Fallback != nil {
		return c.Fallback
	}
	if en := English(); c != en && c.Lang != "en" {
		return en
	}
	return nil
}

// N formats the plural form of key for n (key + "." + the CLDR category:
// zero, one, two, few, many or other), with n as the first argument.
func (c *Catalog) N(key string, n int, args ...any) string {
	if m, ok := c.Messages[key+"."+PluralCategory(c.Lang, n)]; ok {
		return fmt.Sprintf(m, append([]any{n}, c.isolate(m, args)...)...)
	}
	return c.T(key+".other", append([]any{n}, args...)...)
}
