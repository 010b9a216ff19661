// Command screenshots photographs every screen of the widget's /stories
// catalogue in headless Chromium, light and dark, into a directory:
//
//	screenshots -url http://127.0.0.1:8000 -out docs/screens
//
// make screenshots runs it against a widget server it starts.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8000", "the widget's URL")
	out := flag.String("out", "docs/screens", "output directory")
	width := flag.Int("width", 560, "viewport width in CSS pixels")
	host := flag.String("host", "", "also photograph the widget embedded in a page served at this address (host:port; the widget must allow its origin)")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	profile, err := os.MkdirTemp("", "screenshots")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.UserDataDir(profile), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.NoFirstRun,
		chromedp.WindowSize(*width, 900))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	shoot := func(scheme, lang, suffix string) {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}); err != nil {
			log.Fatal(err)
		}
		// ?wasm=false: the pre-rendered screens, exactly as the server
		// draws them, with no requests.
		if err := chromedp.Do(ctx, chromedp.Navigate(strings.TrimRight(*base, "/")+"/stories?wasm=false&lang="+lang),
			chromedp.WaitVisible(chromedp.CSS(".story"))); err != nil {
			log.Fatal(err)
		}
		names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".story__name")].map(e => e.textContent)`))
		if err != nil {
			log.Fatal(err)
		}
		for i, name := range names {
			png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(fmt.Sprintf(`.story[data-story="%d"] .story__frame`, i))))
			if err != nil {
				log.Fatal(err)
			}
			write(filepath.Join(*out, fmt.Sprintf("%02d-%s-%s.png", i, slug(name), suffix)), png)
		}
	}
	for _, scheme := range []string{"light", "dark"} {
		shoot(scheme, "en", scheme)
	}
	// The screens in a right-to-left language, as Arabic readers see them.
	shoot("light", "ar", "ar-light")
	if *host != "" {
		embedded(ctx, *host, *base, *out)
	}
}

// write saves one screenshot and says so.
func write(file string, png []byte) {
	if err := os.WriteFile(file, png, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println(file)
}

// hostPage is a community's page with the embed snippet.
const hostPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Example community</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#fdf6e3;color:#333}
header{background:#264653;color:#fff;padding:1rem 1.5rem}main{max-width:34rem;margin:0 auto;padding:1rem}</style></head>
<body><header><strong>Example community</strong></header><main><h1>Join us on Matrix</h1>
<p>Create your account below: it works with every Matrix app.</p>
<div data-signup></div><script src="WIDGET/web/embed.js" async></script></main></body></html>`

// embedded photographs the widget embedded in a community's page served
// at addr (the operator allowed its origin).
func embedded(ctx context.Context, addr, widget, out string) {
	page := strings.ReplaceAll(hostPage, "WIDGET", strings.TrimRight(widget, "/"))
	srv := &http.Server{Addr: addr, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	})}
	go func() { _ = srv.ListenAndServe() }()
	defer srv.Close()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}},
	}); err != nil {
		log.Fatal(err)
	}
	var png []byte
	for try := 0; ; try++ {
		err := chromedp.Do(ctx, chromedp.Navigate("http://"+addr+"/"),
			chromedp.Poll[chromedp.Void](`(() => { const f = document.querySelector("iframe"); return f && f.offsetHeight > 400; })()`,
				chromedp.WithPollingTimeout(30*time.Second)),
			chromedp.Sleep(time.Second))
		if err == nil {
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		}
		if err == nil {
			break
		}
		if try == 2 {
			log.Fatal(err)
		}
		time.Sleep(time.Second)
	}
	write(filepath.Join(out, "embedded-light.png"), png)
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}
