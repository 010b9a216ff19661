package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPageRenderedOnce: each language's page is the same bytes for every
// request, as its strong ETag says, and nothing of the first request
// (query, Host, headers) gets into the page the next visitors get.
func TestPageRenderedOnce(t *testing.T) {
	h, err := New(Options{Config: testConfig(), WebDir: webDir})
	if err != nil {
		t.Fatal(err)
	}
	get := func(target string, header ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d", target, rec.Code)
		}
		return rec
	}
	const marker = "zz-hostile-zz"
	first := get("/?username="+marker+"&token="+marker+"&hs=https://"+marker+".example",
		"Host", marker+".example", "X-Forwarded-Host", marker+".example", "Referer", "https://"+marker+".example/")
	if strings.Contains(first.Body.String(), marker) {
		t.Fatalf("the request's %s is in its page", marker)
	}
	for _, c := range []struct{ name, accept, enc string }{
		{"identity", "", ""},
		{"gzip", "gzip", "gzip"},
		{"brotli", "br, gzip", "br"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := get("/", "Accept-Encoding", c.accept)
			for i := 0; i < 5; i++ {
				b := get("/", "Accept-Encoding", c.accept)
				if b.Header().Get("Content-Encoding") != c.enc {
					t.Fatalf("Content-Encoding %q", b.Header().Get("Content-Encoding"))
				}
				if b.Header().Get("ETag") != a.Header().Get("ETag") {
					t.Fatalf("ETag %q, then %q", a.Header().Get("ETag"), b.Header().Get("ETag"))
				}
				if !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
					t.Fatalf("request %d: other bytes under the same ETag %s", i+2, a.Header().Get("ETag"))
				}
			}
		})
	}
	if ar, en := get("/", "Accept-Language", "ar"), get("/"); bytes.Equal(ar.Body.Bytes(), en.Body.Bytes()) {
		t.Error("the Arabic page is the English one")
	}
	if !bytes.Equal(get("/").Body.Bytes(), first.Body.Bytes()) {
		t.Error("the first request's page is not the page of the others")
	}
	t.Run("a response's headers are its own", func(t *testing.T) {
		a := get("/")
		want := a.Header().Get("Content-Type")
		if want == "" {
			t.Fatal("no Content-Type")
		}
		a.Header()["Content-Type"][0] = marker
		if got := get("/").Header().Get("Content-Type"); got != want {
			t.Errorf("the next response's Content-Type is %q, want %q", got, want)
		}
	})
}
