// Command server serves the benchmark's floor app (../) the way bin/signup
// serves the widget: go-app's app.Handler pre-renders the page, app.wasm
// goes out precompressed (brotli, else gzip, by Accept-Encoding, as
// application/wasm, Cache-Control no-cache with the build's ETag) and the
// page has its own icons (PNG and SVG), so nothing external is fetched.
//
//	server -addr 127.0.0.1:8100 -web DIR [-preload=false]
//
// DIR holds app.wasm with app.wasm.br and app.wasm.gz beside it.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/bench/floor/ui"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8100", "listen address")
	web := flag.String("web", "web", "directory of app.wasm (+ .br, .gz)")
	preload := flag.Bool("preload", true, `add <link rel="preload"> of app.wasm to the page, as the widget does`)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("floor: ")
	if err := run(*addr, *web, *preload); err != nil {
		log.Fatal(err)
	}
}

func run(addr, web string, preload bool) error {
	wasm := filepath.Join(web, "app.wasm")
	raw, err := os.ReadFile(wasm)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	version := hex.EncodeToString(sum[:8])
	ui.Route()
	h := &app.Handler{
		Name:              "Floor",
		ShortName:         "Floor",
		Title:             "Create your account · floor",
		Icon:              app.Icon{Default: "/web/icon.png", SVG: "/web/icon.svg"},
		Version:           version,
		WasmContentLength: fmt.Sprint(len(raw)),
	}
	if preload {
		h.RawHeaders = []string{`<link rel="preload" href="/web/app.wasm" as="fetch" crossorigin>`}
	}
	icon := iconPNG()
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("/web/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", `"`+version+`"`)
		if r.Header.Get("If-None-Match") == `"`+version+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		switch r.URL.Path {
		case "/web/icon.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(icon)
		case "/web/icon.svg":
			w.Header().Set("Content-Type", "image/svg+xml")
			w.Write([]byte(iconSVG))
		case "/web/app.wasm":
			w.Header().Set("Content-Type", "application/wasm")
			w.Header().Add("Vary", "Accept-Encoding")
			file := wasm
			for _, c := range []struct{ enc, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
				if accepts(r.Header.Get("Accept-Encoding"), c.enc) {
					if _, err := os.Stat(wasm + c.ext); err == nil {
						w.Header().Set("Content-Encoding", c.enc)
						file = wasm + c.ext
						break
					}
				}
			}
			http.ServeFile(w, r, file)
		default:
			http.NotFound(w, r)
		}
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving the floor app on http://%s", ln.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// accepts reports whether an Accept-Encoding header allows enc.
func accepts(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), enc) {
			return strings.ReplaceAll(params, " ", "") != "q=0"
		}
	}
	return false
}

// iconSVG is the floor's own vector icon (go-app's default is fetched
// from GitHub).
const iconSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 192 192"><rect width="192" height="192" fill="#4f46e5"/></svg>`

// iconPNG is the floor's own 192×192 icon, a plain square.
func iconPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 192, 192))
	for y := 0; y < 192; y++ {
		for x := 0; x < 192; x++ {
			img.Set(x, y, color.RGBA{0x4f, 0x46, 0xe5, 0xff})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
