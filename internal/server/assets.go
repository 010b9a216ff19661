package server

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// assets serves /web/ from dir. app.wasm goes out precompressed (brotli,
// else gzip, as Accept-Encoding allows) from the .br/.gz files beside it,
// with Content-Type application/wasm so the browser compiles it while it
// streams in.
type assets struct {
	dir     string
	version string
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/web/")
	if name == "" || strings.HasPrefix(name, ".") || strings.Contains(name, "..") {
		http.NotFound(w, r)
		return
	}
	file := filepath.Join(a.dir, filepath.FromSlash(name))
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", `"`+a.version+`"`)
	if match := r.Header.Get("If-None-Match"); match == `"`+a.version+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if name == "app.wasm" {
		w.Header().Set("Content-Type", "application/wasm")
		w.Header().Add("Vary", "Accept-Encoding")
		if enc, f := a.precompressed(r, file); f != "" {
			w.Header().Set("Content-Encoding", enc)
			http.ServeFile(w, r, f)
			return
		}
	}
	if st, err := os.Stat(file); err != nil || st.IsDir() {
		http.NotFound(w, r)
		return
	}
	http.ServeFile(w, r, file)
}

// precompressed picks the best encoding the client accepts among the files
// beside file that are at least as new as it (a stale .br from an older
// build is never served).
func (a *assets) precompressed(r *http.Request, file string) (string, string) {
	raw, err := os.Stat(file)
	if err != nil {
		return "", ""
	}
	accept := r.Header.Get("Accept-Encoding")
	for _, c := range []struct{ enc, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !acceptsEncoding(accept, c.enc) {
			continue
		}
		if st, err := os.Stat(file + c.ext); err == nil && !st.ModTime().Before(raw.ModTime()) {
			return c.enc, file + c.ext
		}
	}
	return "", ""
}

// acceptsEncoding reports whether an Accept-Encoding header allows enc
// (q=0 refuses it).
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) && strings.TrimSpace(name) != "*" {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}
