package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestStoriesOnlyWhenEnabled(t *testing.T) {
	t.Run("without -stories the catalogue is not found", func(t *testing.T) {
		if rec := serve("GET", "/stories"); rec.Code != http.StatusNotFound {
			t.Fatalf("status %d, want 404", rec.Code)
		}
	})
	t.Run("with -stories it is served", func(t *testing.T) {
		h, err := New(Options{Config: testConfig(), WebDir: webDir, Stories: true})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/stories", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d, want 200", rec.Code)
		}
	})
}

// The catalogue is a page of its own, drawn on the server: every screen
// with its sample data, the site's stylesheet, and no script (the WASM
// carries none of it).
func TestStoriesPage(t *testing.T) {
	h, err := New(Options{Config: testConfig(), WebDir: webDir, Stories: true})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/stories", nil))
	body := rec.Body.String()
	for _, want := range []string{`id="signup-form"`, `id="terms"`, `id="token-error"`, `id="email-wait"`,
		`id="msisdn-form"`, `id="recaptcha-blocked"`, `id="fallback-link"`, `id="success"`, `id="confirmed"`,
		`id="oauth-link"`, `Try again in 42 seconds`, `href="/app.css"`} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s in the catalogue", want)
		}
	}
	if strings.Contains(body, "<script") {
		t.Error("the catalogue loads a script")
	}
	if got := rec.Header().Get("Content-Security-Policy"); got == "" {
		t.Error("no security headers on the catalogue")
	}
}

// Translators see their screens: ?lang= draws the catalogue in that
// language and direction; an unknown one is English.
func TestStoriesInALanguage(t *testing.T) {
	h, err := New(Options{Config: testConfig(), WebDir: webDir, Stories: true})
	if err != nil {
		t.Fatal(err)
	}
	get := func(q string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/stories"+q, nil))
		return rec.Body.String()
	}
	ar := get("?lang=ar")
	if !strings.Contains(ar, `<html lang="ar" dir="rtl">`) || !strings.Contains(ar, "إنشاء الحساب") {
		t.Errorf("the Arabic catalogue is not Arabic and right-to-left:\n%.300s", ar)
	}
	if en := get("?lang=xx%22%3E"); !strings.Contains(en, `<html lang="en" dir="ltr">`) {
		t.Errorf("an unknown language: %.200s", en)
	}
}
