package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/config"
)

// pageCSS is the page's one stylesheet, served at /app.css in place of
// go-app's: go-app's own rules (its loading screen), then web/app.css, then
// the operator's brand (BrandCSS). One render-blocking request instead of
// three lets the pre-rendered form paint sooner (make bench: first
// contentful paint); bin/signup's page holds it in a <style> instead
// (inlineStyle), the static export's links it.
func pageCSS(h *app.Handler, webDir string, brand config.Brand) ([]byte, error) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/app.css", nil))
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("go-app's /app.css: HTTP %d", rec.Code)
	}
	own, err := os.ReadFile(filepath.Join(webDir, "app.css"))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(rec.Body.Bytes())
	b.WriteString("\n/* web/app.css */\n")
	b.Write(own)
	b.WriteString("\n")
	b.WriteString(BrandCSS(brand))
	return b.Bytes(), nil
}

// styleSheet serves pageCSS, gzipped when the browser accepts it.
type styleSheet struct {
	body, gz []byte
	etag     string
}

func newStyleSheet(body []byte) (*styleSheet, error) {
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.Write(body)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	return &styleSheet{body: body, gz: gz.Bytes(), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}, nil
}

func (s *styleSheet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", s.etag)
	h.Add("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == s.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := s.body
	if acceptsEncoding(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = s.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}
