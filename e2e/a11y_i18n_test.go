package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var (
	catalogMu sync.Mutex
	catalogs  = map[string]map[string]string{}
)

// msg returns the widget's message key in lang, formatted with args, read
// from the app's own catalogues (app/i18n/locales), with the English
// fallback the app uses, so that tests wait for the exact words in any
// language.
func msg(t testing.TB, lang, key string, args ...any) string {
	t.Helper()
	for _, l := range []string{lang, "en"} {
		if m, ok := catalog(t, l)[key]; ok {
			if len(args) == 0 {
				return m
			}
			return fmt.Sprintf(m, args...)
		}
	}
	t.Fatalf("no message %q in %s or en", key, lang)
	return ""
}

func catalog(t testing.TB, lang string) map[string]string {
	t.Helper()
	catalogMu.Lock()
	defer catalogMu.Unlock()
	if c, ok := catalogs[lang]; ok {
		return c
	}
	b, err := os.ReadFile(filepath.Join(RepoRoot(), "app", "i18n", "locales", lang+".json"))
	if err != nil {
		t.Fatalf("reading the %s catalogue: %v", lang, err)
	}
	c := map[string]string{}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("the %s catalogue: %v", lang, err)
	}
	catalogs[lang] = c
	return c
}
