// Package server serves the widget: go-app's handler for the pre-rendered
// pages, the web/ assets with precompressed app.wasm, and the security
// headers. It is linked into bin/signup only, never into the WASM.
package server

import (
	"crypto/sha256"
	"sort"
	"strings"

	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"signup/app/config"
	"signup/app/i18n"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/ui"
)

// Options configures the handler.
type Options struct {
	// Config is the widget's deployment config (homeserver, operator).
	Config ui.Config
	// WebDir is the directory served at /web/; it must hold app.wasm.
	WebDir string
	// Version identifies this build for the service worker; empty means a
	// hash of the web assets and the config, so that a new build or a new
	// config is an update.
	Version string
	// Prefix is the path the site lives under ("" for the root), for a
	// static export served from a sub-path.
	Prefix string
	// Env adds entries to the page env (the static export's config URL).
	Env map[string]string
	// HSTS sends Strict-Transport-Security on every response, for a
	// deployment whose TLS ends at a proxy in front (the -hsts flag).
	HSTS bool
	// Stories serves the /stories catalogue of every screen with sample
	// data (make run turns it on; off in production).
	Stories bool
	// PublicURL is the widget's address as the public sees it
	// (https://signup.example.org/, the -public-url flag): link previews
	// (og:url, og:image) are absolute from it, and left out without it.
	PublicURL string

	wasmSize int64
}

// AppHandler builds go-app's handler in the default language: the
// pre-rendered page, app.js with the page env, the manifest from the brand,
// and the service worker (langHandlers adds one per enabled language).
func AppHandler(o *Options) (*app.Handler, error) {
	if err := prepare(o); err != nil {
		return nil, err
	}
	return langHandler(o, defaultCatalog(o.Config.Operator)), nil
}

// prepare checks that app.wasm exists, sets o.Version when empty (a hash
// of the assets and the config, so that a new build or config is an
// update) and registers the widget's route.
func prepare(o *Options) error {
	wasm := filepath.Join(o.WebDir, "app.wasm")
	st, err := os.Stat(wasm)
	if err != nil {
		return fmt.Errorf("%s is missing (run make build): %w", wasm, err)
	}
	o.wasmSize = st.Size()
	if o.Version == "" {
		if o.Version, err = hashFiles(o.WebDir, "app.wasm", "app.css", "loader.js"); err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(o.Version + o.Config.Env()["SIGNUP_CONFIG"] + o.Prefix))
		o.Version = hex.EncodeToString(sum[:8])
	}
	ui.Routes(o.Config, nil)
	return nil
}

// langHandler is go-app's handler for one catalogue: <html lang dir>, the
// title and the loader's texts in that language. go-app pre-renders with
// the one global route; the component reads the language from the page
// (ui.Register.OnPreRender reads Page().Lang(), which go-app sets from
// Handler.Lang). Everything else (env, version, manifest, worker) is the
// same in every language.
func langHandler(o *Options, cat *i18n.Catalog) *app.Handler {
	env := o.Config.Env()
	for k, v := range o.Env {
		env[k] = v
	}
	op := o.Config.Operator
	icons := op.Brand.Icons
	// go-app links /app.css itself: the server makes it the page's one
	// stylesheet (pageCSS), so only the operator's own is added.
	var styles []string
	if op.Brand.Stylesheet != "" {
		styles = append(styles, headURL(op.Brand.Stylesheet))
	}
	dir := ui.SafeAttr(cat.Dir)
	h := &app.Handler{
		Name:        o.Config.AppName(),
		ShortName:   o.Config.ShortName(),
		Title:       headText(o.Config.TitleIn(cat)),
		Description: headText("Create a Matrix account on " + o.Config.ServerName),
		Lang:        ui.SafeAttr(cat.Lang),
		HTML:        func() app.HTMLHtml { return app.Html().Dir(dir) },
		Icon: app.Icon{
			Default:  headURL(or(icons.Icon192, "/web/icon-192.png")),
			Large:    headURL(or(icons.Icon512, "/web/icon-512.png")),
			Maskable: headURL(or(icons.Maskable, "/web/icon-maskable.png")),
			SVG:      headURL(or(icons.SVG, "/web/icon.svg")),
		},
		BackgroundColor:       or(op.Brand.BackgroundColor, "#f7f7fb"),
		ThemeColor:            headText(or(op.Brand.ThemeColor, "#4f46e5")),
		LoadingLabel:          "{progress}%",
		Styles:                styles,
		Scripts:               []string{"/web/loader.js defer"},
		Env:                   env,
		Version:               o.Version,
		ServiceWorkerTemplate: workerJS,
		WasmContentLength:     fmt.Sprint(o.wasmSize),
		Image:                 headURL(or(icons.Icon512, "/web/icon-512.png")),
		CacheableResources:    []string{"/web/icon-192.png", "/web/icon.svg"},
		RawHeaders: []string{
			`<link rel="preload" href="` + o.Prefix + `/web/app.wasm" as="fetch" crossorigin>`,
			loaderTexts(cat),
		},
	}
	// Always a resolver of our own, never go-app's default LocalDir: with
	// an http.Handler as Resources, go-app fetches its "proxy resources"
	// (/robots.txt, /sitemap.xml, /ads.txt) from "http://" + the request's
	// Host header and caches the first answer for ever. New never routes
	// those paths to go-app; with a plain resolver, even a request that
	// reached them could only resolve to a path, which no client fetches.
	h.Resources = prefixResolver(o.Prefix)
	return h
}

// prefixResolver puts a static site under a path: the site's own paths
// ("/", "/web/...", "/app.js") get the prefix, with "/" becoming
// "prefix/", the page itself; anything else (https:, mailto:, data:) is
// left alone. go-app's PrefixedLocation prefixes every href, mailto: too,
// and maps "/" to "prefix" without the slash.
type prefixResolver string

// Resolve implements app.ResourceResolver.
func (p prefixResolver) Resolve(loc string) string {
	switch {
	case loc == "" || loc == "/":
		return string(p) + "/"
	case strings.HasPrefix(loc, "//"):
		return loc
	case strings.HasPrefix(loc, "/"):
		return string(p) + loc
	case strings.HasPrefix(loc, "web/"):
		return string(p) + "/" + loc
	}
	return loc
}

// New returns the widget's HTTP handler.
func New(o Options) (http.Handler, error) {
	h, err := AppHandler(&o)
	if err != nil {
		return nil, err
	}
	assets := &assets{dir: o.WebDir, version: o.Version}
	mux := http.NewServeMux()
	mux.Handle("/web/", assets)
	// go-app's aliases of the WASM, served like /web/app.wasm.
	for _, alias := range []string{"/app.wasm", "/goapp.wasm"} {
		mux.Handle(alias, rewrite("/web/app.wasm", assets))
	}
	css, err := pageCSS(h, o.WebDir, o.Config.Operator.Brand)
	if err != nil {
		return nil, err
	}
	sheet, err := newStyleSheet(css)
	if err != nil {
		return nil, err
	}
	mux.Handle("/app.css", sheet)
	page := pageOnly(encoded{h: h, version: o.Version})
	style := newInlineStyle(css, o.Prefix)
	pg := newPages(&o, h)
	pg.style = style
	loaderJS, err := os.ReadFile(filepath.Join(o.WebDir, "loader.js"))
	if err != nil {
		return nil, err
	}
	script := newInlineScript(loaderJS, o.Prefix)
	pg.script = script
	mux.Handle("/{$}", pageOnly(pg))
	if o.Stories {
		mux.Handle("/stories", storiesPage(o))
	}
	for _, p := range goAppResources {
		mux.Handle(p, page)
	}
	// Files crawlers look for at the root are files in web/, served from
	// disk like the rest of web/ (404 when there is none).
	for _, name := range rootFiles {
		mux.Handle("/"+name, rewrite("/web/"+name, assets))
	}
	// Anything else is the mux's 404: go-app gets only the routes it owns.
	hs := securityHeaders(o.Config, o.HSTS)
	if style != nil {
		hs = withStyleSource(hs, style.source)
	}
	if script != nil {
		hs = withScriptSource(hs, script.source)
	}
	return withHeaders(mux, hs, o.HSTS), nil
}

// goAppResources are the paths go-app's handler generates (besides the
// pages): its scripts, the service worker and the manifest, under their
// current and legacy names. go-app serves them from memory.
var goAppResources = []string{
	"/app.js", "/goapp.js", "/wasm_exec.js", "/app-worker.js",
	"/manifest.webmanifest", "/manifest.json",
}

// rootFiles are served at the site's root from web/ when an operator puts
// them there (go-app's handler would instead fetch them over HTTP from the
// host the request names).
var rootFiles = []string{"robots.txt", "sitemap.xml", "ads.txt"}

// BrandCSS is the end of the page's stylesheet (pageCSS) that puts the
// operator's colours and font into the custom properties of web/app.css, so
// the pre-rendered page is branded before the WASM arrives.
func BrandCSS(b config.Brand) string {
	vars := b.CSSVars()
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	sb.WriteString("/* the operator's brand, from the config */\n:root {\n")
	for _, k := range keys {
		fmt.Fprintf(&sb, "  %s: %s;\n", k, vars[k])
	}
	sb.WriteString("}\n")
	return sb.String()
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// rewrite serves h with the request path replaced by path.
func rewrite(path string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = path
		h.ServeHTTP(w, r2)
	})
}

// pageOnly refuses methods other than GET and HEAD, so that a form posted
// before the WASM loaded never reaches go-app (nor a log).
func pageOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// hashFiles returns a short hex hash of the named files in dir; missing
// optional files are skipped.
func hashFiles(dir string, names ...string) (string, error) {
	sum := sha256.New()
	for _, n := range names {
		f, err := os.Open(filepath.Join(dir, n))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = io.Copy(sum, f)
		f.Close()
		if err != nil {
			return "", err
		}
		io.WriteString(sum, "\x00"+n)
	}
	return hex.EncodeToString(sum.Sum(nil))[:16], nil
}
