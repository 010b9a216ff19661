package main

import (
	"net"
	"net/http"
	"strings"
	"time"
)

// The start page: every measured navigation begins on it, as a user's
// first visit begins on another site's page (a link in a chat, a
// community's site) or on the browser's new-tab page, not in a fresh tab's
// about:blank. It is served as http://localhost:PORT/, another site than
// the apps' 127.0.0.1, so that both apps' navigations change renderer
// process alike, whatever their headers (from about:blank, only a page
// with Cross-Origin-Opener-Policy, such as the widget's, would).

const startHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>start</title></head><body><p>start</p></body></html>`

// startPage serves the start page and returns its URL.
func startPage() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte(startHTML))
	})}
	go srv.Serve(ln)
	_, port, _ := strings.Cut(ln.Addr().String(), ":")
	return "http://localhost:" + port + "/", func() { srv.Close() }, nil
}

// open navigates to the start page, then to url, which it waits to
// commit (the page's location is url's origin); pageNet and the proxy
// counts are the caller's to reset in between (before).
func (t *tab) open(url string, before func()) error {
	if t.start != "" {
		if err := t.navigate(t.start); err != nil {
			return err
		}
		if err := waitJS(t.ctx, `document.readyState === "complete" && location.href === `+jsString(t.start), 30*time.Second); err != nil {
			return err
		}
	}
	if before != nil {
		before()
	}
	return t.navigate(url)
}

// originOf is the scheme://host:port of an absolute URL.
func originOf(url string) string {
	scheme, rest, _ := strings.Cut(url, "://")
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host
}
