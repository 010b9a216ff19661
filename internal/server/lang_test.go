package server

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"signup/app/config"
	"signup/app/ui"
)

// TestPageLanguage: the pre-rendered page is in the language the browser
// asks for, among the enabled ones, before any WASM runs.
func TestPageLanguage(t *testing.T) {
	for _, c := range []struct {
		accept, lang, dir, heading, pending string
	}{
		{"ar", "ar", "rtl", "أنشئ حسابك", "لا يزال التحميل جاريًا"},
		{"de-DE,de;q=0.9,en;q=0.5", "de", "ltr", "Erstellen Sie Ihr Konto", "Wird noch geladen"},
		{"fr;q=0.2, de;q=0.8", "de", "ltr", "Erstellen Sie Ihr Konto", "Wird noch geladen"},
		{"ja, ar;q=0", "en", "ltr", "Create your account", "Still loading"},
		{"", "en", "ltr", "Create your account", "Still loading"},
	} {
		t.Run(c.accept, func(t *testing.T) {
			rec := serve("GET", "/", "Accept-Language", c.accept)
			page := rec.Body.String()
			if tag := htmlTag(page); !strings.Contains(tag, ` dir="`+c.dir+`"`) || !strings.Contains(tag, ` lang="`+c.lang+`"`) {
				t.Errorf("want <html dir=%q lang=%q>: %.200s", c.dir, c.lang, page)
			}
			if !strings.Contains(page, `<h1 id="form-title">`+c.heading) {
				t.Errorf("the heading is not %q", c.heading)
			}
			if !strings.Contains(page, `<meta name="signup:loading-pending" content="`+c.pending) {
				t.Errorf("the loader's text is not %q", c.pending)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Language") {
				t.Errorf("Vary %q", rec.Header().Get("Vary"))
			}
			if got := rec.Header().Get("Content-Language"); got != c.lang {
				t.Errorf("Content-Language %q", got)
			}
		})
	}

	t.Run("an ETag is one language's: another language's validator gets the page", func(t *testing.T) {
		en := serve("GET", "/").Header().Get("ETag")
		ar := serve("GET", "/", "Accept-Language", "ar").Header().Get("ETag")
		if en == "" || en == ar {
			t.Fatalf("ETags %q and %q", en, ar)
		}
		if rec := serve("GET", "/", "Accept-Language", "ar", "If-None-Match", en); rec.Code != 200 || !strings.Contains(rec.Body.String(), `lang="ar"`) {
			t.Errorf("status %d for an Arabic page with the English ETag", rec.Code)
		}
		if rec := serve("GET", "/", "Accept-Language", "ar", "If-None-Match", ar); rec.Code != 304 {
			t.Errorf("status %d for the Arabic ETag", rec.Code)
		}
	})

	t.Run("only the operator's enabled languages", func(t *testing.T) {
		h, err := New(Options{Config: ui.Config{HomeserverURL: "https://hs.example.org", ServerName: "example.org",
			Operator: config.Config{Version: 1, Languages: config.Languages{Default: "de", Enabled: []string{"de", "fr"}}}}, WebDir: webDir})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ui.Routes(testConfig(), nil) })
		for accept, want := range map[string]string{"ar": "de", "fr-CA": "fr", "": "de"} {
			if page := pageOf(h, "/", "Accept-Language", accept); !strings.Contains(page, `lang="`+want+`"`) {
				t.Errorf("Accept-Language %q: want lang %q, got %.120s", accept, want, page)
			}
		}
	})
}

// TestLinkPreview: og:url and og:image are absolute from the public URL,
// and absent without one (go-app wrote "https://" and
// "https:///web/icon-512.png").
func TestLinkPreview(t *testing.T) {
	page := serve("GET", "/").Body.String()
	if strings.Contains(page, `og:url`) || strings.Contains(page, `og:image`) || strings.Contains(page, `"https://"`) {
		t.Errorf("without a public URL the page has link-preview URLs: %s", ogLines(page))
	}
	h, err := New(Options{Config: testConfig(), WebDir: webDir, PublicURL: "https://signup.example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	page = pageOf(h, "/")
	for _, want := range []string{
		`<meta property="og:url" content="https://signup.example.org/">`,
		`<meta property="og:image" content="https://signup.example.org/web/icon-512.png">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("want %s, got %s", want, ogLines(page))
		}
	}
}

// TestStaticLanguagePages: a static export has a page per enabled
// language at /<lang>/, in that language and direction.
func TestStaticLanguagePages(t *testing.T) {
	dir := t.TempDir()
	c := testConfig()
	c.Operator.Languages = config.Languages{Default: "en", Enabled: []string{"en", "ar"}}
	if err := Export(dir, Options{Config: c, WebDir: webDir, Prefix: "/signup", PublicURL: "https://example.org/signup"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ui.Routes(testConfig(), nil) })
	ar, err := os.ReadFile(filepath.Join(dir, "ar", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if tag := htmlTag(string(ar)); !strings.Contains(tag, ` dir="rtl"`) || !strings.Contains(tag, ` lang="ar"`) {
		t.Errorf("ar/index.html: %s", tag)
	}
	for _, want := range []string{`أنشئ حسابك`, `content="https://example.org/signup/ar/"`, `Content-Security-Policy`} {
		if !strings.Contains(string(ar), want) {
			t.Errorf("ar/index.html lacks %s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "de", "index.html")); err == nil {
		t.Error("a page for a language the operator did not enable")
	}
	root, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !strings.Contains(string(root), `lang="en"`) || !strings.Contains(string(root), `content="https://example.org/signup/web/icon-512.png"`) {
		t.Errorf("index.html: %s", ogLines(string(root)))
	}
}

// pageOf gets path from h; header holds name, value pairs.
func pageOf(h http.Handler, path string, header ...string) string {
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.String()
}

// htmlTag is the page's <html ...> start tag (go-app writes its
// attributes in no fixed order).
func htmlTag(page string) string {
	_, rest, _ := strings.Cut(page, "<html")
	tag, _, _ := strings.Cut(rest, ">")
	return tag
}

func ogLines(page string) string {
	var out []string
	for _, l := range strings.Split(page, "\n") {
		if strings.Contains(l, "og:") {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return strings.Join(out, " ")
}
