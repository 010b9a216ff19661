package server

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The callback page of a sign-up in a popup comes back from another site:
// with Cross-Origin-Opener-Policy it would lose its opener, and the
// embedded widget that opened it would never hear back. Every page of
// the widget keeps the header; the callback page alone goes without, on
// the server and in the export's _headers (merged by the hosts, so the
// header cannot sit on /*).
func TestCallbackPageWithoutOpenerPolicy(t *testing.T) {
	for _, name := range []string{"callback.html", "callback.js"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "web", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(webDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir, srv := exportedSite(t, Options{Config: testConfig(), WebDir: webDir, Prefix: "/signup"})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/web/callback.html", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `src="callback.js"`) {
		t.Fatalf("/web/callback.html: %d\n%s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get(coop); got != "" {
		t.Errorf("the callback page sends %s: %q", coop, got)
	}
	if got := rec.Header().Get("Content-Security-Policy"); got == "" {
		t.Error("the callback page sends no CSP")
	}
	if got := headersOf(t, srv, "/").Get(coop); got != "same-origin-allow-popups" {
		t.Errorf("the page sends %s %q", coop, got)
	}

	file := readHeadersFile(t, filepath.Join(dir, "_headers"))
	if v, ok := file["/signup/*"][coop]; ok {
		t.Errorf("_headers sets %s %q on /signup/*, which covers the callback page", coop, v)
	}
	for _, page := range []string{"/signup/", "/signup/index.html", "/signup/de/", "/signup/de/index.html"} {
		if got := file[page][coop]; got != "same-origin-allow-popups" {
			t.Errorf("_headers %s %s: %q", page, coop, got)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "web", "callback.html")); err != nil {
		t.Errorf("the export lacks web/callback.html: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "web", "callback.js")); err != nil {
		t.Errorf("the export lacks web/callback.js: %v", err)
	}
}
