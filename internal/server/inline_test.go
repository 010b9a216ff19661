package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestPageEncoding(t *testing.T) {
	plain := serve("GET", "/")
	decoders := map[string]func(io.Reader) (io.Reader, error){
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
	for _, tc := range []struct{ accept, enc string }{
		{"gzip, deflate, br", "br"},
		{"gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
	} {
		t.Run("Accept-Encoding "+tc.accept+": the page is sent "+tc.enc+", and decodes to the page", func(t *testing.T) {
			rec := serve("GET", "/", "Accept-Encoding", tc.accept)
			if got := rec.Header().Get("Content-Encoding"); got != tc.enc {
				t.Fatalf("Content-Encoding %q, want %q", got, tc.enc)
			}
			if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("Content-Length %s for %d bytes", cl, rec.Body.Len())
			}
			if rec.Body.Len() >= plain.Body.Len()/2 {
				t.Errorf("%d bytes, the plain page %d", rec.Body.Len(), plain.Body.Len())
			}
			r, err := decoders[tc.enc](rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			// go-app writes attributes in no fixed order: same length, same form.
			if err != nil || len(b) != plain.Body.Len() || !bytes.Contains(b, []byte(`id="signup-form"`)) {
				t.Fatalf("decodes to %d bytes (%v), the plain page has %d", len(b), err, plain.Body.Len())
			}
		})
	}
	t.Run("without Accept-Encoding the page goes as is", func(t *testing.T) {
		if enc := plain.Header().Get("Content-Encoding"); enc != "" || !strings.Contains(plain.Body.String(), `id="signup-form"`) {
			t.Fatalf("Content-Encoding %q", enc)
		}
	})
	t.Run("the page varies with Accept-Encoding and Accept-Language", func(t *testing.T) {
		vary := strings.Join(plain.Header().Values("Vary"), ", ")
		if !strings.Contains(vary, "Accept-Encoding") || !strings.Contains(vary, "Accept-Language") {
			t.Fatalf("Vary %q", vary)
		}
	})
	t.Run("each encoding has its own ETag, and each is answered 304", func(t *testing.T) {
		seen := map[string]string{}
		for _, accept := range []string{"", "gzip", "br"} {
			etag := serve("GET", "/", "Accept-Encoding", accept).Header().Get("ETag")
			if prev, dup := seen[etag]; dup || etag == "" {
				t.Errorf("Accept-Encoding %q: ETag %q, as for %q", accept, etag, prev)
			}
			seen[etag] = accept
			if rec := serve("GET", "/", "Accept-Encoding", accept, "If-None-Match", etag); rec.Code != http.StatusNotModified {
				t.Errorf("Accept-Encoding %q with its ETag: status %d", accept, rec.Code)
			}
		}
	})
}

func TestInlineStyle(t *testing.T) {
	page := []byte(`<head><link rel="icon" href="/web/icon.svg"><link type="text/css" rel="stylesheet" href="/signup/app.css"><script src="/app.js"></script></head>`)
	t.Run("the stylesheet's link becomes a <style>, whatever the order of its attributes", func(t *testing.T) {
		got := string(newInlineStyle([]byte("p{color:red}"), "/signup").apply(page))
		want := `<head><link rel="icon" href="/web/icon.svg"><style>p{color:red}</style><script src="/app.js"></script></head>`
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
	t.Run("a stylesheet that could end the <style> early stays a link", func(t *testing.T) {
		for _, css := range []string{`p{content:"</style><script>"}`, "<!-- p{}"} {
			if s := newInlineStyle([]byte(css), "/signup"); s != nil || string(s.apply(page)) != string(page) {
				t.Errorf("%q was inlined", css)
			}
		}
	})
	t.Run("the hash source is the CSS's SHA-256 in base64", func(t *testing.T) {
		// echo -n 'p{color:red}' | openssl dgst -sha256 -binary | base64
		if got := newInlineStyle([]byte("p{color:red}"), "").source; got != "'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='" {
			t.Errorf("source %s", got)
		}
	})
}

func TestGoAppResourcesEncoded(t *testing.T) {
	for _, p := range []string{"/app.js", "/wasm_exec.js", "/app-worker.js", "/manifest.webmanifest"} {
		t.Run(p+" is sent gzip to a browser that accepts it, with an ETag of its own", func(t *testing.T) {
			plain := serve("GET", p)
			rec := serve("GET", p, "Accept-Encoding", "gzip")
			if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Content-Type") != plain.Header().Get("Content-Type") {
				t.Fatalf("status %d, Content-Encoding %q, Content-Type %q", rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Content-Type"))
			}
			if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("Content-Length %s for %d bytes", cl, rec.Body.Len())
			}
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			if b, err := io.ReadAll(zr); err != nil || string(b) != plain.Body.String() {
				t.Fatalf("decodes to %d bytes (%v), the plain response has %d", len(b), err, plain.Body.Len())
			}
			etag := rec.Header().Get("ETag")
			if etag == "" || etag == plain.Header().Get("ETag") {
				t.Errorf("ETag %q, the plain response's %q", etag, plain.Header().Get("ETag"))
			}
			if again := serve("GET", p, "Accept-Encoding", "gzip", "If-None-Match", etag); again.Code != http.StatusNotModified {
				t.Errorf("with its ETag: status %d", again.Code)
			}
			if again := serve("GET", p, "If-None-Match", plain.Header().Get("ETag")); again.Code != http.StatusNotModified {
				t.Errorf("the plain response with its ETag: status %d", again.Code)
			}
			if !strings.Contains(strings.Join(plain.Header().Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("Vary %q", plain.Header().Values("Vary"))
			}
		})
	}
}

// The loader goes into the page in place of its <script src>, whatever the
// attribute order; code that could end the element early stays a request.
func TestInlineScript(t *testing.T) {
	s := newInlineScript([]byte("var a = 1;"), "/signup")
	for _, page := range []string{
		`<head><script defer src="/signup/web/loader.js"></script><script src="/signup/app.js"></script></head>`,
		`<head><script src="/signup/web/loader.js" defer></script><script src="/signup/app.js"></script></head>`,
	} {
		got := string(s.apply([]byte(page)))
		if got != `<head><script>var a = 1;</script><script src="/signup/app.js"></script></head>` {
			t.Errorf("apply(%s) = %s", page, got)
		}
	}
	if page := `<script src="/web/loader.js"></script>`; string(s.apply([]byte(page))) != page {
		t.Error("a loader under another prefix was replaced")
	}
	for _, js := range []string{"x = '</script>';", "x = '</SCRIPT >';", "<!-- x"} {
		if newInlineScript([]byte(js), "") != nil {
			t.Errorf("%q inlined", js)
		}
	}
}
