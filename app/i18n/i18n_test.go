package i18n

import (
	"regexp"
	"strings"
	"testing"
)

var verbRe = regexp.MustCompile(`%[a-z]`)

func TestCatalogues(t *testing.T) {
	en := English()
	if len(en.Messages) < 100 {
		t.Fatalf("English has %d messages", len(en.Messages))
	}
	for _, lang := range Languages() {
		c, _ := Lookup(lang)
		t.Run(lang+" has every English message, with the same placeholders in order", func(t *testing.T) {
			for k, ref := range en.Messages {
				if base, ok := strings.CutSuffix(k, ".other"); ok && strings.HasPrefix(k, "retry.in") {
					k = base
					if _, ok := c.Messages[k+".other"]; !ok {
						t.Errorf("%s: no plural forms of %s", lang, k)
					}
					continue
				}
				if strings.HasSuffix(k, ".one") && strings.HasPrefix(k, "retry.in") {
					continue
				}
				m, ok := c.Messages[k]
				if !ok {
					t.Errorf("%s: missing %q", lang, k)
					continue
				}
				if a, b := strings.Join(verbRe.FindAllString(ref, -1), ""), strings.Join(verbRe.FindAllString(m, -1), ""); a != b {
					t.Errorf("%s %q: placeholders %q, English has %q", lang, k, b, a)
				}
			}
		})
	}
	t.Run("Arabic is right to left, the others left to right", func(t *testing.T) {
		for _, l := range Languages() {
			c, _ := Lookup(l)
			if want := map[bool]string{true: "rtl", false: "ltr"}[l == "ar"]; c.Dir != want {
				t.Errorf("%s: dir %s", l, c.Dir)
			}
		}
	})
}

func TestPlurals(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "other"}, {"en", 1, "one"}, {"en", 2, "other"},
		{"de", 1, "one"}, {"de", 5, "other"},
		{"fr", 0, "one"}, {"fr", 1, "one"}, {"fr", 2, "other"}, {"fr", 1000000, "many"},
		{"ar", 0, "zero"}, {"ar", 1, "one"}, {"ar", 2, "two"}, {"ar", 3, "few"}, {"ar", 10, "few"},
		{"ar", 11, "many"}, {"ar", 99, "many"}, {"ar", 100, "other"}, {"ar", 103, "few"},
	} {
		if got := PluralCategory(tc.lang, tc.n); got != tc.want {
			t.Errorf("%s %d: %s, want %s", tc.lang, tc.n, got, tc.want)
		}
	}
	t.Run("a countdown reads right in every language", func(t *testing.T) {
		for _, l := range Languages() {
			c, _ := Lookup(l)
			for _, n := range []int{0, 1, 2, 5, 12, 100} {
				if s := c.N("retry.in", n); strings.Contains(s, "%!") || !strings.Contains(s, itoa(n)) {
					t.Errorf("%s %d: %q", l, n, s)
				}
			}
		}
	})
}

func TestChoose(t *testing.T) {
	for _, tc := range []struct {
		name    string
		user    []string
		enabled []string
		def     string
		want    string
	}{
		{"the browser's first supported language wins", []string{"es-ES", "fr-CA", "de"}, nil, "en", "fr"},
		{"en_US and en-US are English", []string{"en_US"}, nil, "de", "en"},
		{"a language the operator did not enable is skipped", []string{"ar"}, []string{"en", "de"}, "de", "de"},
		{"nothing matches: the operator's default", []string{"ja"}, nil, "fr", "fr"},
		{"no default: English", []string{"ja"}, nil, "", "en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Choose(tc.user, tc.enabled, tc.def).Lang; got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("overrides replace one message and leave the rest", func(t *testing.T) {
		de, _ := Lookup("de")
		o := de.WithOverrides(map[string]string{"submit": "Jetzt beitreten"})
		if o.T("submit") != "Jetzt beitreten" || o.T("username") != de.T("username") || de.T("submit") == "Jetzt beitreten" {
			t.Errorf("overrides: %q %q", o.T("submit"), de.T("submit"))
		}
	})
	t.Run("a missing key falls back to English, then to the key", func(t *testing.T) {
		c := &Catalog{Lang: "xx", Messages: map[string]string{}}
		if c.T("submit") != English().T("submit") || c.T("no.such.key") != "no.such.key" {
			t.Error("fallback")
		}
	})
}

func itoa(n int) string {
	s := ""
	for n > 0 || s == "" {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

// In Arabic, values inside a sentence (a user ID, a server name, quoted
// characters) are isolated so they keep their own left-to-right order,
// also in an operator's override that does not isolate them itself (the
// catalogue's own messages do, and are not isolated twice); numbers pass
// as they are; English sentences carry no isolates.
func TestRTLArgumentsIsolated(t *testing.T) {
	ar, _ := Lookup("ar")
	over := ar.WithOverrides(map[string]string{"server.current": "سيُنشأ حسابك على %s.", "username.chars": "غير مسموح بها: %s"})
	if got := over.T("server.current", "matrix.example.org"); got != "سيُنشأ حسابك على \u2068matrix.example.org\u2069." {
		t.Errorf("ar override server.current = %q: the server name is not isolated", got)
	}
	if got := over.T("username.chars", "“ ” “!”"); !strings.HasSuffix(got, "\u2068“ ” “!”\u2069") {
		t.Errorf("ar override username.chars = %q: the quoted characters are not isolated", got)
	}
	if got := ar.T("server.current", "matrix.example.org"); strings.Count(got, "\u2068") != 1 || !strings.Contains(got, "\u2068matrix.example.org\u2069") {
		t.Errorf("ar server.current = %q: want the server name isolated once", got)
	}
	if got := ar.T("step", 1, 3); strings.ContainsAny(got, "\u2068\u2069") {
		t.Errorf("ar step = %q: numbers isolated", got)
	}
	if got := English().T("server.current", "matrix.example.org"); strings.ContainsAny(got, "\u2068\u2069") {
		t.Errorf("en server.current = %q: isolates in a left-to-right sentence", got)
	}
	if got := ar.N("retry.in", 5); strings.Contains(got, "%!") {
		t.Errorf("ar retry.in = %q", got)
	}
}
