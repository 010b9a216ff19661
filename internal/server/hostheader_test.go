package server

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"signup/app/config"
	"signup/app/ui"
)

// attacker is a loopback HTTP server that counts every connection made to
// it and answers any request with a script, as a host named in a forged
// Host header would.
type attacker struct {
	addr  string
	conns atomic.Int32
}

const attackerBody = "/* ATTACKER */ navigator.serviceWorker.register('/robots.txt')"

func startAttacker(t *testing.T) *attacker {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := &attacker{addr: ln.Addr().String()}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, attackerBody)
		}),
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				a.conns.Add(1)
			}
		},
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return a
}

// get sends GET path to srv with the Host header host ("" keeps the
// server's own) and returns the status, content type and body.
func get(t *testing.T, srv *httptest.Server, host, path string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

// go-app's handler, left to itself, fetches /robots.txt, /sitemap.xml and
// /ads.txt from "http://" + the request's Host + "/web/...", follows
// redirects anywhere and caches the first 200 for ever. The server must
// never make a request derived from a request.
func TestForeignHostHeaderIsNeverFetched(t *testing.T) {
	paths := []string{"/robots.txt", "/sitemap.xml", "/ads.txt"}

	t.Run("a foreign Host on go-app's proxy paths makes no connection and serves nothing foreign", func(t *testing.T) {
		a := startAttacker(t)
		srv := httptest.NewServer(handler)
		defer srv.Close()
		for _, p := range paths {
			for i := 0; i < 2; i++ {
				code, _, body := get(t, srv, a.addr, p)
				if code != http.StatusNotFound || strings.Contains(body, "ATTACKER") {
					t.Errorf("%s with Host %s: status %d, body %q", p, a.addr, code, body)
				}
			}
			// Afterwards, an ordinary visitor gets nothing foreign either.
			if code, _, body := get(t, srv, "", p); code != http.StatusNotFound || strings.Contains(body, "ATTACKER") {
				t.Errorf("%s afterwards: status %d, body %q", p, code, body)
			}
		}
		time.Sleep(100 * time.Millisecond)
		if n := a.conns.Load(); n != 0 {
			t.Fatalf("the server connected %d times to the host named in the Host header", n)
		}
	})

	t.Run("go-app's own handler, reached directly, makes no connection either", func(t *testing.T) {
		// The second layer: even a route that reached go-app could only
		// resolve the proxy resource to a path, never to the Host.
		a := startAttacker(t)
		h, err := AppHandler(&Options{Config: testConfig(), WebDir: webDir})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()
		for _, p := range paths {
			if _, _, body := get(t, srv, a.addr, p); strings.Contains(body, "ATTACKER") {
				t.Errorf("%s: served %q", p, body)
			}
		}
		time.Sleep(100 * time.Millisecond)
		if n := a.conns.Load(); n != 0 {
			t.Fatalf("go-app connected %d times to the host named in the Host header", n)
		}
	})

	t.Run("an operator's robots.txt in web/ is served from disk at the root", func(t *testing.T) {
		a := startAttacker(t)
		const robots = "User-agent: *\nDisallow: /\n"
		f := filepath.Join(webDir, "robots.txt")
		if err := os.WriteFile(f, []byte(robots), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Remove(f) })
		srv := httptest.NewServer(handler)
		defer srv.Close()
		code, ctype, body := get(t, srv, a.addr, "/robots.txt")
		if code != http.StatusOK || body != robots || !strings.HasPrefix(ctype, "text/plain") {
			t.Errorf("status %d, type %q, body %q", code, ctype, body)
		}
		if n := a.conns.Load(); n != 0 {
			t.Fatalf("the server connected %d times to the host named in the Host header", n)
		}
	})

	t.Run("a static export has the operator's robots.txt at its root, and no other root file", func(t *testing.T) {
		const robots = "User-agent: *\nDisallow: /private\n"
		f := filepath.Join(webDir, "robots.txt")
		if err := os.WriteFile(f, []byte(robots), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Remove(f) })
		dir, _ := exportedSite(t, Options{Config: testConfig(), WebDir: webDir})
		if b, err := os.ReadFile(filepath.Join(dir, "robots.txt")); err != nil || string(b) != robots {
			t.Errorf("robots.txt in the export: %q, %v", b, err)
		}
		for _, name := range []string{"sitemap.xml", "ads.txt"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("the export has a %s the operator never wrote", name)
			}
		}
	})

	t.Run("go-app gets only the routes it owns: anything else is 404", func(t *testing.T) {
		srv := httptest.NewServer(handler)
		defer srv.Close()
		for _, p := range []string{"/anything", "/favicon.ico", "/.well-known/security.txt", "/x/app.js", "/stories", "/index.html"} {
			if code, _, _ := get(t, srv, "", p); code != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", p, code)
			}
		}
		for _, p := range []string{"/", "/app.js", "/wasm_exec.js", "/app-worker.js", "/manifest.webmanifest", "/app.css", "/web/app.css"} {
			if code, _, _ := get(t, srv, "", p); code != http.StatusOK {
				t.Errorf("%s: status %d, want 200", p, code)
			}
		}
	})
}

// testConfig is the config TestMain builds the shared handler with.
func testConfig() ui.Config {
	return ui.Config{HomeserverURL: "https://hs.example.org", ServerName: "example.org",
		Operator: config.Config{Version: 1, Brand: config.Brand{Name: "Example"}}}
}
