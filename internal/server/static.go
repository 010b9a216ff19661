package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/ui"
)

// Export writes a complete static site to dir: the pre-rendered page, go-app's
// scripts, manifest and service worker, the web/ assets (app.wasm with its
// .br and .gz), app.css (pageCSS), config.json and _headers. The browser
// reads config.json at start, so an operator can edit it without a
// rebuild. With o.Prefix the site works under that path (such as GitHub
// Pages' /repo). The pages carry the server's security headers that a
// <meta> can (pageMeta); _headers carries all of them for the hosts that
// read it (staticHeaders).
func Export(dir string, o Options) error {
	o.Env = map[string]string{ui.EnvConfigURL: o.Prefix + "/config.json"}
	h, err := AppHandler(&o)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := app.GenerateStaticWebsite(dir, h); err != nil {
		return fmt.Errorf("generating the pages: %w", err)
	}
	pages, err := writeLangPages(dir, &o, h)
	if err != nil {
		return err
	}
	if o.Stories {
		if err := os.WriteFile(filepath.Join(dir, "stories.html"), []byte(storiesHTML(o, "en")), 0o644); err != nil {
			return err
		}
	}
	if err := addPageMeta(dir, pageMeta(contentSecurityPolicy(o.Config))); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "_headers"), []byte(staticHeaders(o, pages)), 0o644); err != nil {
		return err
	}
	if err := copyDir(o.WebDir, filepath.Join(dir, "web")); err != nil {
		return err
	}
	// robots.txt and its kind belong at the site's root, as the server
	// serves them.
	for _, name := range rootFiles {
		err := copyFile(filepath.Join(o.WebDir, name), filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	css, err := pageCSS(h, o.WebDir, o.Config.Operator.Brand)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "app.css"), css, 0o644); err != nil {
		return err
	}
	op := o.Config.Operator
	op.Homeserver.URL = o.Config.HomeserverURL
	op.Homeserver.ServerName = o.Config.ServerName
	b, err := json.MarshalIndent(op, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "config.json"), append(b, '\n'), 0o644)
}

// writeLangPages writes the page of every enabled language but the
// default at <lang>/index.html (ui.LangPath), each with its <html lang
// dir> and texts, and fixes the link previews of all of them: a static
// host cannot choose a page from Accept-Language, so each language has an
// address of its own (index.html is the default language).
func writeLangPages(dir string, o *Options, def *app.Handler) ([]string, error) {
	p := newPages(o, def)
	paths := map[string]string{"/": filepath.Join(dir, "index.html")}
	for lang, h := range p.byLang {
		if h == def {
			continue
		}
		path := ui.LangPath(lang)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			return nil, fmt.Errorf("rendering the %s page failed: HTTP %d", lang, rec.Code)
		}
		file := filepath.Join(dir, lang, "index.html")
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(file, rec.Body.Bytes(), 0o644); err != nil {
			return nil, err
		}
		paths[path] = file
	}
	for path, file := range paths {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(file, linkPreview(b, o.PublicURL, o.Prefix, path), 0o644); err != nil {
			return nil, err
		}
	}
	pages := make([]string, 0, len(paths))
	for path := range paths {
		pages = append(pages, path)
	}
	return pages, nil
}

// copyDir copies the regular files of src into dst (one level: web/ is
// flat), skipping dot-files.
func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name()[0] == '.' {
			continue
		}
		if err := copyFile(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
