package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// serveWith starts newHTTPServer with l on a loopback port and returns its
// address.
func serveWith(t *testing.T, l limits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}), l)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// closedWithin reports whether the server closes c within d (a read
// returns EOF or a reset, not a timeout of ours).
func closedWithin(c net.Conn, r *bufio.Reader, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	for {
		if _, err := r.ReadByte(); err != nil {
			ne, ok := err.(net.Error)
			return !ok || !ne.Timeout()
		}
	}
}

func TestConnectionLimits(t *testing.T) {
	// Short limits for the test; Read stays long so that each check sees
	// the limit it is about (Go falls back to ReadTimeout for idle
	// connections when IdleTimeout is zero).
	short := limits{ReadHeader: 500 * time.Millisecond, Read: 30 * time.Second, Write: 30 * time.Second, Idle: 300 * time.Millisecond, HeaderBytes: 8 << 10}

	t.Run("an idle keep-alive connection is closed", func(t *testing.T) {
		c, err := net.Dial("tcp", serveWith(t, short))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: widget\r\n\r\n")
		r := bufio.NewReader(c)
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.Close {
			t.Fatal("the server closed at once; the test needs a kept-alive connection")
		}
		if !closedWithin(c, r, 3*time.Second) {
			t.Fatal("an idle keep-alive connection was still open after 3 s (idle limit 300 ms)")
		}
	})

	t.Run("headers dripped a byte at a time are cut off", func(t *testing.T) {
		c, err := net.Dial("tcp", serveWith(t, short))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		req := "GET / HTTP/1.1\r\nHost: widget\r\nX-Slow: " + strings.Repeat("a", 100)
		cut := false
		for i := 0; i < len(req) && time.Since(start) < 5*time.Second; i++ {
			if _, err := c.Write([]byte{req[i]}); err != nil {
				cut = true
				break
			}
			time.Sleep(100 * time.Millisecond)
			if i%5 == 4 && closedWithin(c, bufio.NewReader(c), time.Millisecond) {
				cut = true
				break
			}
		}
		if !cut {
			t.Fatalf("a client dripping its headers was still connected after %v (header limit 500 ms)", time.Since(start).Round(time.Millisecond))
		}
	})

	t.Run("oversized headers are refused", func(t *testing.T) {
		c, err := net.Dial("tcp", serveWith(t, short))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: widget\r\nX-Big: "+strings.Repeat("a", 64<<10)+"\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("status %d, want 431", resp.StatusCode)
		}
	})

	t.Run("bin/signup serves with every limit set, and app.wasm fits the write limit on a slow phone link", func(t *testing.T) {
		srv := newHTTPServer(http.NotFoundHandler(), defaultLimits)
		if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
			t.Fatalf("a limit is unset: %+v", defaultLimits)
		}
		if srv.MaxHeaderBytes > 64<<10 {
			t.Errorf("MaxHeaderBytes %d: a browser's headers are well under 8 KiB", srv.MaxHeaderBytes)
		}
		// The uncompressed app.wasm (a client that accepts neither brotli
		// nor gzip) at 1.6 Mbit/s, with half again as much for a slower
		// link; 9.2 MB when it is not built yet.
		size := int64(9_200_000)
		if st, err := os.Stat("web/app.wasm"); err == nil {
			size = st.Size()
		}
		need := time.Duration(float64(size*8)/1.6e6*1.5) * time.Second
		if srv.WriteTimeout < need {
			t.Errorf("WriteTimeout %v: app.wasm (%d bytes) needs %v at 1.6 Mbit/s with room", srv.WriteTimeout, size, need)
		}
	})
}
