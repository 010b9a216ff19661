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
	for _, scheme := range []string{"light", "dark"} {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}); err != nil {
			log.Fatal(err)
		}
		// ?wasm=false: the pre-rendered screens, exactly as the server
		// draws them, with no requests.
		if err := chromedp.Do(ctx, chromedp.Navigate(strings.TrimRight(*base, "/")+"/stories?wasm=false"),
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
			file := filepath.Join(*out, fmt.Sprintf("%02d-%s-%s.png", i, slug(name), scheme))
			if err := os.WriteFile(file, png, 0o644); err != nil {
				log.Fatal(err)
			}
			fmt.Println(file)
		}
	}
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
