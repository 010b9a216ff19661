package server

import (
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"signup/app/config"
	"signup/app/ui"
)

// securityHeaderNames are the headers the server sends for security.
var securityHeaderNames = []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy", "Strict-Transport-Security"}

// exportedSite exports o to a new directory and builds the server with the
// same options, for comparing the two.
func exportedSite(t *testing.T, o Options) (dir string, srv http.Handler) {
	t.Helper()
	useRoutes(t)
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := Export(dir, o); err != nil {
		t.Fatal(err)
	}
	return dir, srv
}

// headersOf is the response headers h sends for a GET of path, its
// Content-Security-Policy as the static export must write it: the
// server's page holds its stylesheet, allowed by one hash source in
// style-src, where the export's links /app.css (inlineStyle). The hash is
// dropped after checking that there is exactly one.
func headersOf(t *testing.T, h http.Handler, path string) http.Header {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	hd := rec.Header()
	var kept []string
	hashes := 0
	for _, d := range strings.Split(hd.Get("Content-Security-Policy"), "; ") {
		if strings.HasPrefix(d, "style-src ") || strings.HasPrefix(d, "script-src ") {
			var src []string
			for _, f := range strings.Fields(d) {
				if strings.HasPrefix(f, "'sha256-") {
					hashes++
					continue
				}
				src = append(src, f)
			}
			d = strings.Join(src, " ")
		}
		kept = append(kept, d)
	}
	if hashes != 2 {
		t.Fatalf("the server's style-src and script-src have %d hash sources, want the stylesheet's and the loader's: %s", hashes, hd.Get("Content-Security-Policy"))
	}
	hd.Set("Content-Security-Policy", strings.Join(kept, "; "))
	return hd
}

// withoutDirective drops one directive from a policy.
func withoutDirective(csp, name string) string {
	var kept []string
	for _, d := range strings.Split(csp, "; ") {
		if !strings.HasPrefix(d, name+" ") {
			kept = append(kept, d)
		}
	}
	return strings.Join(kept, "; ")
}

// readHeadersFile parses a _headers file: each path's "Name: value" lines.
func readHeadersFile(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	var cur map[string]string
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#"):
		case line[0] != ' ' && line[0] != '\t':
			cur = map[string]string{}
			out[line] = cur
		default:
			name, value, ok := strings.Cut(strings.TrimSpace(line), ": ")
			if !ok || cur == nil {
				t.Fatalf("_headers: bad line %q", line)
			}
			cur[name] = value
		}
	}
	return out
}

func TestExportSecurityHeaders(t *testing.T) {
	cfg := ui.Config{HomeserverURL: "https://hs.example.org", ServerName: "example.org",
		Operator: config.Config{Version: 1, Brand: config.Brand{Name: "Example"},
			Embed:      config.Embed{AllowedOrigins: []string{"https://blog.example.com"}},
			Homeserver: config.Homeserver{TrustedOrigins: []string{"https://id.example.com"}}}}
	dir, srv := exportedSite(t, Options{Config: cfg, WebDir: webDir})
	served := headersOf(t, srv, "/")
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	firstLoad := len(page)
	for _, tag := range []string{"<script", "<link"} {
		if i := strings.Index(string(page), tag); i >= 0 && i < firstLoad {
			firstLoad = i
		}
	}

	t.Run("the page carries the server's CSP but frame-ancestors, before any script or link", func(t *testing.T) {
		metas := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindAllStringSubmatchIndex(string(page), -1)
		if len(metas) != 1 {
			t.Fatalf("%d CSP <meta>s in the page, want 1:\n%s", len(metas), page)
		}
		got := html.UnescapeString(string(page[metas[0][2]:metas[0][3]]))
		csp := served.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'self' https://blog.example.com") {
			t.Fatalf("the server's CSP lacks the embedding origin: %s", csp)
		}
		if want := withoutDirective(csp, "frame-ancestors"); got != want {
			t.Errorf("the page's CSP\n%s\nwant the server's without frame-ancestors\n%s", got, want)
		}
		if metas[0][0] > firstLoad {
			t.Errorf("the CSP <meta> comes after the first script or link, which it would not govern")
		}
	})

	t.Run("the page sends no referrer, set before any script or link", func(t *testing.T) {
		i := strings.Index(string(page), `<meta name="referrer" content="no-referrer">`)
		if i < 0 || i > firstLoad {
			t.Errorf("no referrer <meta> before the first script or link (at %d, first load at %d)", i, firstLoad)
		}
	})

	t.Run("_headers holds every security header the server sends, and app.wasm's type", func(t *testing.T) {
		file := readHeadersFile(t, filepath.Join(dir, "_headers"))
		all := file["/*"]
		if all == nil {
			t.Fatalf("_headers has no /* rule: %v", file)
		}
		for _, name := range securityHeaderNames {
			if got, want := all[name], served.Get(name); got != want {
				t.Errorf("_headers %s: %q, the server sends %q", name, got, want)
			}
		}
		for name := range all {
			if served.Get(name) != all[name] {
				t.Errorf("_headers sets %s, which the server does not send so", name)
			}
		}
		if got, want := file["/web/app.wasm"]["Content-Type"], headersOf(t, srv, "/web/app.wasm").Get("Content-Type"); got != want {
			t.Errorf("_headers /web/app.wasm Content-Type %q, the server sends %q", got, want)
		}
	})

	t.Run("with -hsts and a prefix, _headers covers the prefix and carries HSTS as the server does", func(t *testing.T) {
		dir, srv := exportedSite(t, Options{Config: testConfig(), WebDir: webDir, HSTS: true, Prefix: "/signup"})
		file := readHeadersFile(t, filepath.Join(dir, "_headers"))
		served := headersOf(t, srv, "/")
		if served.Get("Strict-Transport-Security") == "" {
			t.Fatal("the server sends no HSTS with HSTS set")
		}
		for _, name := range securityHeaderNames {
			if got, want := file["/signup/*"][name], served.Get(name); got != want {
				t.Errorf("_headers /signup/* %s: %q, the server sends %q", name, got, want)
			}
		}
		if file["/signup/web/app.wasm"]["Content-Type"] != "application/wasm" {
			t.Errorf("_headers: %v", file)
		}
	})
}
