package server

import (
	"compress/gzip"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"signup/app/config"
	"slices"
	"strings"
	"testing"
	"time"

	"signup/app/ui"
)

// The handler is built once per test binary: New registers the page with
// go-app's global router.
var (
	webDir  string
	handler http.Handler
	// secret is the content of a file beside (not inside) the web
	// directory, which must never be served.
	secret = "module outside-the-web-dir // SECRET"
)

// Fake assets: the server only serves them.
var assetFiles = map[string]string{
	"app.wasm":          "\x00asm\x01\x00\x00\x00 raw wasm bytes",
	"app.wasm.br":       "brotli-compressed wasm bytes",
	"app.wasm.gz":       "\x1f\x8b gzip-compressed wasm bytes",
	"app.css":           "body { margin: 0 }",
	"loader.js":         "/* loader */",
	"icon.svg":          `<svg xmlns="http://www.w3.org/2000/svg"></svg>`,
	"icon-192.png":      "\x89PNG 192",
	"icon-512.png":      "\x89PNG 512",
	"icon-maskable.png": "\x89PNG maskable",
}

// buildTime is the mtime of every asset, so that .br and .gz are exactly as
// new as app.wasm.
var buildTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	root, err := os.MkdirTemp("", "signup-server-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(root)
	webDir = filepath.Join(root, "web")
	if err := os.Mkdir(webDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for name, content := range assetFiles {
		p := filepath.Join(webDir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if err := os.Chtimes(p, buildTime, buildTime); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte(secret), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	handler, err = New(Options{
		Config: ui.Config{HomeserverURL: "https://hs.example.org", ServerName: "example.org",
			Operator: config.Config{Version: 1, Brand: config.Brand{Name: "Example"}}},
		WebDir: webDir,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "New:", err)
		return 1
	}
	return m.Run()
}

// serve sends one request to the handler; header holds name, value pairs.
func serve(method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	return rec
}

// parseCSP splits a Content-Security-Policy into its directives' sources.
func parseCSP(h string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(h, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[f[0]] = f[1:]
		}
	}
	return out
}

func TestSecurityHeaders(t *testing.T) {
	routes := []struct {
		path   string
		status int
	}{
		{"/", 200},
		{"/web/app.css", 200},
		{"/web/app.wasm", 200},
		{"/app.js", 200},
		{"/wasm_exec.js", 200},
		{"/manifest.webmanifest", 200},
		{"/app-worker.js", 200},
		{"/web/icon.svg", 200},
		{"/no-such-page", 404},
		{"/web/no-such-file.js", 404},
	}
	for _, rt := range routes {
		t.Run(rt.path+" carries the security headers", func(t *testing.T) {
			rec := serve("GET", rt.path)
			if rec.Code != rt.status {
				t.Errorf("status %d, want %d", rec.Code, rt.status)
			}
			h := rec.Header()
			raw := h.Get("Content-Security-Policy")
			csp := parseCSP(raw)
			if s := csp["script-src"]; !slices.Contains(s, "'self'") || !slices.Contains(s, "'wasm-unsafe-eval'") {
				t.Errorf("script-src %q", s)
			}
			if strings.Contains(raw, "'unsafe-inline'") || strings.Contains(raw, "'unsafe-eval'") {
				t.Errorf("CSP allows inline code: %s", raw)
			}
			if s := csp["connect-src"]; !slices.Contains(s, "https://hs.example.org") || !slices.Contains(s, "'self'") {
				t.Errorf("connect-src %q", s)
			}
			if s := csp["frame-ancestors"]; !slices.Equal(s, []string{"'self'"}) {
				t.Errorf("frame-ancestors %q", s)
			}
			if s := csp["object-src"]; !slices.Equal(s, []string{"'none'"}) {
				t.Errorf("object-src %q", s)
			}
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			// Another site that opened the widget cannot navigate its tab;
			// the widget's own popups keep their opener.
			if got := h.Get("Cross-Origin-Opener-Policy"); got != "same-origin-allow-popups" {
				t.Errorf("Cross-Origin-Opener-Policy %q", got)
			}
			if got := h.Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy %q", got)
			}
			if got := h.Get("Permissions-Policy"); !strings.Contains(got, "camera=()") || !strings.Contains(got, "geolocation=()") {
				t.Errorf("Permissions-Policy %q", got)
			}
			if got := h.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("HSTS over plain HTTP: %q", got)
			}
		})
	}

	t.Run("HSTS is sent over TLS", func(t *testing.T) {
		for _, p := range []string{"/", "/web/app.wasm", "/no-such-page"} {
			req := httptest.NewRequest("GET", p, nil)
			req.TLS = &tls.ConnectionState{}
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if got := rec.Header().Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
				t.Errorf("%s: HSTS %q", p, got)
			}
		}
	})
}

func TestWasm(t *testing.T) {
	cases := []struct {
		name, accept, encoding, body string
	}{
		{"a browser accepting brotli gets the .br file", "br, gzip", "br", assetFiles["app.wasm.br"]},
		{"a browser preferring gzip in its list still gets brotli", "gzip, deflate, br", "br", assetFiles["app.wasm.br"]},
		{"a browser accepting only gzip gets the .gz file", "gzip", "gzip", assetFiles["app.wasm.gz"]},
		{"a browser accepting no encoding gets the raw bytes", "", "", assetFiles["app.wasm"]},
		{"a browser refusing brotli with q=0 gets the raw bytes", "br;q=0", "", assetFiles["app.wasm"]},
		{"a browser refusing brotli but taking gzip gets gzip", "br;q=0, gzip", "gzip", assetFiles["app.wasm.gz"]},
		{"a browser accepting only identity gets the raw bytes", "identity", "", assetFiles["app.wasm"]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.accept != "" {
				hdr = []string{"Accept-Encoding", tc.accept}
			}
			rec := serve("GET", "/web/app.wasm", hdr...)
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			h := rec.Header()
			if got := h.Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tc.encoding)
			}
			if got := rec.Body.String(); got != tc.body {
				t.Errorf("body %q, want %q", got, tc.body)
			}
			if got := h.Get("Content-Type"); got != "application/wasm" {
				t.Errorf("Content-Type %q", got)
			}
			if got := h.Values("Vary"); !slices.Contains(got, "Accept-Encoding") {
				t.Errorf("Vary %q", got)
			}
		})
	}

	t.Run("a .br older than app.wasm, from a previous build, is never served", func(t *testing.T) {
		br := filepath.Join(webDir, "app.wasm.br")
		old := buildTime.Add(-time.Hour)
		if err := os.Chtimes(br, old, old); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chtimes(br, buildTime, buildTime) })

		rec := serve("GET", "/web/app.wasm", "Accept-Encoding", "br, gzip")
		if got := rec.Header().Get("Content-Encoding"); got != "gzip" || rec.Body.String() != assetFiles["app.wasm.gz"] {
			t.Errorf("with gzip fresh: Content-Encoding %q, body %q", got, rec.Body.String())
		}
		rec = serve("GET", "/web/app.wasm", "Accept-Encoding", "br")
		if got := rec.Header().Get("Content-Encoding"); got != "" || rec.Body.String() != assetFiles["app.wasm"] {
			t.Errorf("brotli only: Content-Encoding %q, body %q", got, rec.Body.String())
		}
	})

	t.Run("a repeated request with the build's ETag is answered 304", func(t *testing.T) {
		first := serve("GET", "/web/app.wasm", "Accept-Encoding", "br")
		etag := first.Header().Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		if rec := serve("GET", "/web/app.wasm", "Accept-Encoding", "br", "If-None-Match", etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("status %d, %d bytes", rec.Code, rec.Body.Len())
		}
	})
}

func TestMethodsAndPaths(t *testing.T) {
	t.Run("a form posted before the app loaded is refused with 405 and Allow", func(t *testing.T) {
		for _, p := range []string{"/", "/web/app.css"} {
			rec := serve("POST", p)
			if rec.Code != http.StatusMethodNotAllowed {
				t.Errorf("%s: status %d", p, rec.Code)
			}
			if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") {
				t.Errorf("%s: Allow %q", p, allow)
			}
			if rec.Header().Get("Content-Security-Policy") == "" {
				t.Errorf("%s: no CSP on the 405", p)
			}
		}
	})

	t.Run("HEAD of the page is allowed", func(t *testing.T) {
		if rec := serve("HEAD", "/"); rec.Code != 200 {
			t.Errorf("status %d", rec.Code)
		}
	})

	t.Run("a path climbing out of the web directory is not found", func(t *testing.T) {
		srv := httptest.NewServer(handler)
		defer srv.Close()
		for _, p := range []string{"/web/../go.mod", "/web/..%2fgo.mod", "/web/%2e%2e/go.mod", "/web/..%5cgo.mod", "/web/.%2e/go.mod"} {
			req, err := http.NewRequest("GET", srv.URL+p, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d (final URL %s)", p, resp.StatusCode, resp.Request.URL)
			}
			if strings.Contains(string(body), "SECRET") {
				t.Errorf("%s: served the file outside the web directory", p)
			}
		}
	})

	t.Run("dot files in the web directory are not served", func(t *testing.T) {
		p := filepath.Join(webDir, ".env")
		if err := os.WriteFile(p, []byte("SECRET=1"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Remove(p) })
		if rec := serve("GET", "/web/.env"); rec.Code != 404 || strings.Contains(rec.Body.String(), "SECRET") {
			t.Errorf("status %d, body %q", rec.Code, rec.Body.String())
		}
	})
}

var (
	attrRe   = regexp.MustCompile(`\s(src|href)\s*=\s*"([^"]*)"`)
	scriptRe = regexp.MustCompile(`(?s)<script\b([^>]*)>(.*?)</script>`)
	inlineRe = regexp.MustCompile(`\s(style|on[a-z]+)\s*=`)
)

func TestPage(t *testing.T) {
	rec := serve("GET", "/")
	page := rec.Body.String()

	t.Run("the page is the pre-rendered form", func(t *testing.T) {
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		for _, want := range []string{
			`id="username"`,
			`<label for="username"`,
			`<label for="password"`,
			`autocomplete="new-password"`,
			`Example`,
			`<form`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
	})

	t.Run("the page loads nothing from another host", func(t *testing.T) {
		attrs := attrRe.FindAllStringSubmatch(page, -1)
		if len(attrs) < 5 {
			t.Fatalf("only %d src/href attributes found", len(attrs))
		}
		for _, a := range attrs {
			v := a[2]
			if strings.HasPrefix(v, "#") || strings.HasPrefix(v, "data:") {
				continue // nothing is fetched
			}
			if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") {
				t.Errorf("%s=%q is not a same-origin path", a[1], v)
			}
		}
		for _, line := range strings.Split(page, "\n") {
			if strings.Contains(strings.ReplaceAll(line, "http://www.w3.org/2000/svg", ""), "://") && !strings.Contains(line, `property="og:`) {
				t.Errorf("absolute URL outside the og: meta tags: %s", strings.TrimSpace(line))
			}
		}
	})

	t.Run("the page has no inline script, style or handler the CSP would block", func(t *testing.T) {
		scripts := scriptRe.FindAllStringSubmatch(page, -1)
		if len(scripts) == 0 {
			t.Fatal("no script tags")
		}
		// The one inline script is web/loader.js, allowed by its hash
		// alone (it must run before the form can be submitted).
		var inline []string
		for _, s := range scripts {
			if !strings.Contains(s[1], "src=") || strings.TrimSpace(s[2]) != "" {
				inline = append(inline, s[2])
			}
			if strings.Contains(s[1], "loader.js") {
				t.Errorf("the loader is still a request of its own: %s", s[0])
			}
		}
		if len(inline) != 1 || inline[0] != assetFiles["loader.js"] {
			t.Fatalf("inline scripts %q, want the loader's code alone", inline)
		}
		lsum := sha256.Sum256([]byte(inline[0]))
		if got := parseCSP(serve("GET", "/").Header().Get("Content-Security-Policy"))["script-src"]; !slices.Contains(got, "'sha256-"+base64.StdEncoding.EncodeToString(lsum[:])+"'") {
			t.Errorf("script-src %q lacks the loader's hash", got)
		}
		// The one <style> is the stylesheet, allowed by its hash alone.
		styles := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(page, -1)
		if len(styles) != 1 || strings.Count(page, "<style") != 1 {
			t.Fatalf("%d <style> elements, want the stylesheet's one", strings.Count(page, "<style"))
		}
		sum := sha256.Sum256([]byte(styles[0][1]))
		want := []string{"'self'", "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"}
		if got := parseCSP(serve("GET", "/").Header().Get("Content-Security-Policy"))["style-src"]; !slices.Equal(got, want) {
			t.Errorf("style-src %q, want %q (the <style>'s hash)", got, want)
		}
		if m := inlineRe.FindAllString(page, -1); len(m) > 0 {
			t.Errorf("inline attributes: %q", m)
		}
	})

	t.Run("the page carries the homeserver to the app", func(t *testing.T) {
		js := serve("GET", "/app.js").Body.String()
		if !strings.Contains(js, `"SIGNUP_HS_URL":"https://hs.example.org"`) {
			t.Error("app.js does not carry the homeserver URL")
		}
	})
}

func TestManifest(t *testing.T) {
	rec := serve("GET", "/manifest.webmanifest")

	t.Run("the manifest names the widget and uses our icons only", func(t *testing.T) {
		if rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
		var m struct {
			Name      string `json:"name"`
			ShortName string `json:"short_name"`
			StartURL  string `json:"start_url"`
			Icons     []struct {
				Src string `json:"src"`
			} `json:"icons"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, rec.Body)
		}
		if m.Name != "Example" || m.ShortName == "" || m.StartURL != "/" {
			t.Errorf("got %+v", m)
		}
		if len(m.Icons) == 0 {
			t.Fatal("no icons")
		}
		for _, ic := range m.Icons {
			if !strings.HasPrefix(ic.Src, "/web/") {
				t.Errorf("icon %q is not one of ours", ic.Src)
			}
			if rec := serve("GET", ic.Src); rec.Code != 200 {
				t.Errorf("icon %q: status %d", ic.Src, rec.Code)
			}
		}
		if strings.Contains(rec.Body.String(), "://") {
			t.Errorf("the manifest names another host: %s", rec.Body)
		}
	})
}

func TestNew(t *testing.T) {
	t.Run("a web directory without app.wasm is an error that says to build", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "app.css"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		h, err := New(Options{Config: ui.Config{HomeserverURL: "https://hs.example.org"}, WebDir: dir})
		if err == nil || h != nil {
			t.Fatalf("got %v, %v", h, err)
		}
		if !strings.Contains(err.Error(), "make build") {
			t.Errorf("error %q does not mention make build", err)
		}
	})
}

func TestStyleSheet(t *testing.T) {
	rec := serve("GET", "/app.css")
	css := rec.Body.String()
	t.Run("the page holds /app.css in a <style> and links no stylesheet, so no request blocks its first paint", func(t *testing.T) {
		page := serve("GET", "/").Body.String()
		if links := regexp.MustCompile(`<link [^>]*rel="stylesheet"[^>]*>`).FindAllString(page, -1); len(links) != 0 {
			t.Fatalf("stylesheet links: %q", links)
		}
		if !strings.Contains(page, "<style>"+css+"</style>") {
			t.Fatalf("the page does not hold /app.css in a <style>:\n%s", page)
		}
	})
	t.Run("/app.css holds go-app's loader rules, web/app.css and the brand, in that order", func(t *testing.T) {
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/css; charset=utf-8" {
			t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		i, j, k := strings.Index(css, ".goapp-app-info"), strings.Index(css, assetFiles["app.css"]), strings.Index(css, "the operator's brand")
		if i < 0 || j < i || k < j {
			t.Fatalf("go-app at %d, web/app.css at %d, brand at %d in:\n%s", i, j, k, css)
		}
	})
	t.Run("it is sent gzipped to a browser that accepts gzip", func(t *testing.T) {
		rec := serve("GET", "/app.css", "Accept-Encoding", "gzip, deflate, br")
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q", rec.Header().Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil || string(b) != css {
			t.Fatalf("gzip body decodes to %d bytes (%v), want the %d of the plain one", len(b), err, len(css))
		}
	})
	t.Run("a repeated request with its ETag is answered 304", func(t *testing.T) {
		etag := rec.Header().Get("ETag")
		if again := serve("GET", "/app.css", "If-None-Match", etag); etag == "" || again.Code != http.StatusNotModified {
			t.Fatalf("ETag %q, then status %d", etag, again.Code)
		}
	})
}
