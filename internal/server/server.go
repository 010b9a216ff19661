// Package server serves the widget: go-app's handler for the pre-rendered
// pages, the web/ assets with precompressed app.wasm, and the security
// headers. It is linked into bin/signup only, never into the WASM.
package server

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/ui"
)

// Options configures the handler.
type Options struct {
	// Config is the widget's deployment config (homeserver, brand).
	Config ui.Config
	// WebDir is the directory served at /web/; it must hold app.wasm.
	WebDir string
	// Version identifies this build for the service worker; empty means a
	// hash of the web assets, so that a new build is an update.
	Version string
}

// New returns the widget's HTTP handler.
func New(o Options) (http.Handler, error) {
	wasm := filepath.Join(o.WebDir, "app.wasm")
	st, err := os.Stat(wasm)
	if err != nil {
		return nil, fmt.Errorf("%s is missing (run make build): %w", wasm, err)
	}
	if o.Version == "" {
		if o.Version, err = hashFiles(o.WebDir, "app.wasm", "app.css", "loader.js"); err != nil {
			return nil, err
		}
	}
	ui.Routes(o.Config, nil)
	name := o.Config.Brand
	if name == "" {
		name = "Matrix sign-up"
	}
	h := &app.Handler{
		Name:        name,
		ShortName:   "Sign up",
		Title:       "Create your account · " + name,
		Description: "Create a Matrix account on " + o.Config.ServerName,
		Icon: app.Icon{
			Default:  "/web/icon-192.png",
			Large:    "/web/icon-512.png",
			Maskable: "/web/icon-maskable.png",
			SVG:      "/web/icon.svg",
		},
		BackgroundColor:       "#f7f7fb",
		ThemeColor:            "#4f46e5",
		LoadingLabel:          "Loading {progress}%",
		Styles:                []string{"/web/app.css"},
		Scripts:               []string{"/web/loader.js defer"},
		Env:                   o.Config.Env(),
		Version:               o.Version,
		ServiceWorkerTemplate: workerJS,
		WasmContentLength:     fmt.Sprint(st.Size()),
		Image:                 "/web/icon-512.png",
		CacheableResources:    []string{"/web/icon-192.png"},
		RawHeaders:            []string{`<link rel="preload" href="/web/app.wasm" as="fetch" crossorigin>`},
	}
	assets := &assets{dir: o.WebDir, version: o.Version}
	mux := http.NewServeMux()
	mux.Handle("/web/", assets)
	// go-app's aliases of the WASM, served like /web/app.wasm.
	for _, alias := range []string{"/app.wasm", "/goapp.wasm"} {
		mux.Handle(alias, http.StripPrefix(alias, rewrite("/web/app.wasm", assets)))
	}
	mux.Handle("/", pageOnly(h))
	return withHeaders(mux, o.Config), nil
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
