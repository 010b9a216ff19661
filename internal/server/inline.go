package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// inlineStyle is the page's stylesheet (pageCSS) written into the
// pre-rendered page as a <style> in place of go-app's <link> to /app.css:
// the form paints without waiting for a second request (make bench: first
// contentful paint). The Content-Security-Policy allows exactly this
// content by its hash (CSP Level 3, section 8.4, hash-source:
// https://www.w3.org/TR/CSP3/#grammardef-hash-source), never
// 'unsafe-inline'. bin/signup only: the static export keeps the <link>, so
// the policy an operator writes into a file server's config (README,
// Static hosting) does not change with every edit of the brand or of
// web/app.css.
type inlineStyle struct {
	// tag is <style>css</style>.
	tag []byte
	// source is the policy's hash source, 'sha256-…'.
	source string
	// href is the <link>'s href the tag replaces, under the site's prefix.
	href string
}

// newInlineStyle returns nil when css could end the <style> element early
// (it holds "</"): such a stylesheet stays a request of its own.
func newInlineStyle(css []byte, prefix string) *inlineStyle {
	if bytes.Contains(css, []byte("</")) || bytes.Contains(css, []byte("<!--")) {
		return nil
	}
	sum := sha256.Sum256(css)
	tag := append(append([]byte("<style>"), css...), "</style>"...)
	return &inlineStyle{tag: tag, source: "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'", href: prefix + "/app.css"}
}

// apply replaces the page's <link rel="stylesheet"> to s.href with the
// <style>; go-app writes a tag's attributes in no fixed order. A page
// without that link is returned unchanged.
func (s *inlineStyle) apply(page []byte) []byte {
	if s == nil {
		return page
	}
	rest := page
	off := 0
	for {
		i := bytes.Index(rest, []byte("<link "))
		if i < 0 {
			return page
		}
		j := bytes.IndexByte(rest[i:], '>')
		if j < 0 {
			return page
		}
		tag := string(rest[i : i+j+1])
		if strings.Contains(tag, ` href="`+s.href+`"`) && strings.Contains(tag, ` rel="stylesheet"`) {
			start, end := off+i, off+i+j+1
			out := make([]byte, 0, len(page)-(end-start)+len(s.tag))
			out = append(append(append(out, page[:start]...), s.tag...), page[end:]...)
			return out
		}
		off += i + j + 1
		rest = rest[i+j+1:]
	}
}

// withStyleSource adds source to the style-src of the Content-Security-Policy
// in hs.
func withStyleSource(hs []header, source string) []header {
	return withSource(hs, "style-src", source)
}

// withSource adds source to one directive of the Content-Security-Policy
// in hs.
func withSource(hs []header, directive, source string) []header {
	out := make([]header, len(hs))
	copy(out, hs)
	for i, h := range out {
		if h.name != "Content-Security-Policy" {
			continue
		}
		ds := strings.Split(h.value, "; ")
		for k, d := range ds {
			if strings.HasPrefix(d, directive+" ") {
				ds[k] = d + " " + source
			}
		}
		out[i].value = strings.Join(ds, "; ")
	}
	return out
}

// pageEncoding picks the page's Content-Coding from Accept-Encoding (RFC
// 9110, section 12.5.3): br, else gzip, else none (""). Each response is
// compressed once (page.encoded, encodePage).
func pageEncoding(r *http.Request) string {
	accept := r.Header.Get("Accept-Encoding")
	for _, enc := range []string{"br", "gzip"} {
		if acceptsEncoding(accept, enc) {
			return enc
		}
	}
	return ""
}

// encodedCache keeps what encodePage made of each body it saw: go-app's
// scripts, service worker and manifest are the same bytes for every
// request, and compressing them for each one cost the server most of its
// throughput. (The pages have their own cache, pages.rendered.) Bounded:
// emptied when full.
var encodedCache struct {
	sync.Mutex
	m map[[sha256.Size]byte][]byte
}

const maxEncoded = 256

// encodePage compresses body with enc (pageEncoding), once per body.
func encodePage(enc string, body []byte) []byte {
	if enc == "" {
		return body
	}
	h := sha256.New()
	h.Write([]byte(enc + "\x00"))
	h.Write(body)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	encodedCache.Lock()
	v, ok := encodedCache.m[key]
	encodedCache.Unlock()
	if ok {
		return v
	}
	v = compressPage(enc, body)
	encodedCache.Lock()
	if encodedCache.m == nil || len(encodedCache.m) >= maxEncoded {
		encodedCache.m = map[[sha256.Size]byte][]byte{}
	}
	encodedCache.m[key] = v
	encodedCache.Unlock()
	return v
}

// compressPage compresses body with enc.
func compressPage(enc string, body []byte) []byte {
	var b bytes.Buffer
	var w io.WriteCloser
	switch enc {
	case "br":
		w = brotli.NewWriterLevel(&b, 5)
	case "gzip":
		w, _ = gzip.NewWriterLevel(&b, 6)
	default:
		return body
	}
	w.Write(body)
	w.Close()
	return b.Bytes()
}

// encoded serves go-app's scripts, service worker and manifest (h) br or
// gzip as Accept-Encoding allows (pageEncoding): go-app sends them as they
// are, some 30 kB that a first visit fetches beside app.wasm. Each
// encoding has its own ETag, the version's with the encoding appended
// (go-app's is the version alone); the answer varies with
// Accept-Encoding.
type encoded struct {
	h       http.Handler
	version string
}

func (e encoded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept-Encoding")
	enc := pageEncoding(r)
	if enc == "" {
		e.h.ServeHTTP(w, r)
		return
	}
	etag := `"` + e.version + "-" + enc + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	r2 := r.Clone(r.Context())
	r2.Header.Del("If-None-Match")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r2)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		if k != "Etag" && k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	if rec.Code == http.StatusOK {
		body = encodePage(enc, body)
		w.Header().Set("Content-Encoding", enc)
		w.Header().Set("ETag", etag)
	}
	writeBody(w, r, rec.Code, body)
}

// writeBody sends code and body, with its Content-Length (no body to a
// HEAD request).
func writeBody(w http.ResponseWriter, r *http.Request, code int, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// inlineScript is web/loader.js, written into the page in place of its
// <script src>: the loader holds a submit of the pre-rendered form until
// the app is ready, so it must run before the user can submit. Loaded
// with defer, it came after the form was typeable on a slow network (the
// page paints before its scripts arrive since its stylesheet is inline),
// and a submit made meanwhile was lost: the form's method="dialog" sends
// nothing, and nothing replayed it (make bench's phone sign-up, one run
// of five).
type inlineScript struct {
	// tag is the <script> element with the loader's code.
	tag []byte
	// source is the policy's hash source, 'sha256-…'.
	source string
	// src is the <script>'s src the tag replaces, under the site's prefix.
	src string
}

// newInlineScript returns nil when js could end the <script> element
// early: such a script stays a request of its own.
func newInlineScript(js []byte, prefix string) *inlineScript {
	lower := bytes.ToLower(js)
	if bytes.Contains(lower, []byte("</script")) || bytes.Contains(lower, []byte("<!--")) {
		return nil
	}
	sum := sha256.Sum256(js)
	tag := append(append([]byte("<script>"), js...), "</script>"...)
	return &inlineScript{tag: tag, source: "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'", src: prefix + "/web/loader.js"}
}

// apply replaces the page's <script src=s.src ...></script> with the
// inline script; a page without it is returned unchanged.
func (s *inlineScript) apply(page []byte) []byte {
	if s == nil {
		return page
	}
	off := 0
	for {
		i := bytes.Index(page[off:], []byte("<script "))
		if i < 0 {
			return page
		}
		i += off
		j := bytes.IndexByte(page[i:], '>')
		if j < 0 {
			return page
		}
		open := string(page[i : i+j+1])
		end := i + j + 1
		if strings.Contains(open, ` src="`+s.src+`"`) && bytes.HasPrefix(page[end:], []byte("</script>")) {
			end += len("</script>")
			out := make([]byte, 0, len(page)-(end-i)+len(s.tag))
			return append(append(append(out, page[:i]...), s.tag...), page[end:]...)
		}
		off = end
	}
}

// withScriptSource adds source to the script-src of the
// Content-Security-Policy in hs.
func withScriptSource(hs []header, source string) []header {
	return withSource(hs, "script-src", source)
}
