package server

import (
	"net/http"
	"net/http/httptest"
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
