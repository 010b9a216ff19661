package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"signup/app/config"
	"signup/app/matrix"
)

// TestStartupWait: with -wait the widget starts before its homeserver,
// saying once that it waits; a server that answers but is not Matrix is
// still reported as such, at once.
func TestStartupWait(t *testing.T) {
	t.Run("a homeserver that comes up later is waited for", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens yet: connection refused
		go func() {
			time.Sleep(600 * time.Millisecond)
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return
			}
			http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, `{"versions":["v1.11"]}`)
			}))
		}()
		var mu sync.Mutex
		var logs []string
		logf := func(f string, a ...any) { mu.Lock(); logs = append(logs, fmt.Sprintf(f, a...)); mu.Unlock() }
		hs, err := waitForHomeserver(config.Homeserver{URL: "http://" + addr, ServerName: "localhost"}, 10*time.Second, 100*time.Millisecond, logf)
		if err != nil {
			t.Fatal(err)
		}
		if hs.BaseURL != "http://"+addr {
			t.Errorf("base URL %q", hs.BaseURL)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(logs) != 2 || !strings.Contains(logs[0], "cannot reach the homeserver") || !strings.Contains(logs[0], "trying again every") || !strings.Contains(logs[1], "answers") {
			t.Errorf("logs %q", logs)
		}
	})

	t.Run("a server that answers but is not Matrix is not waited for", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close()
		start := time.Now()
		_, err := waitForHomeserver(config.Homeserver{URL: srv.URL}, time.Minute, 100*time.Millisecond, t.Logf)
		if err == nil || !strings.Contains(err.Error(), "not a Matrix homeserver") || strings.Contains(err.Error(), "cannot reach") {
			t.Fatalf("got %v", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
	})

	t.Run("the example config's placeholder says to set homeserver.url", func(t *testing.T) {
		_, err := startupError("https://matrix.example.org", fmt.Errorf("x: %w", &matrix.NetworkError{Op: "versions", Err: errors.New("no such host")}))
		if err == nil || !strings.Contains(err.Error(), "set homeserver.url") {
			t.Fatalf("got %v", err)
		}
	})
}
