package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"signup/internal/loadgen"
)

// A bounded load test of the real handler on loopback: the pre-rendered
// page and app.wasm (brotli, as a browser asks for it) under many
// concurrent clients, with no error, and every goroutine of the server and
// of the clients gone once the server is closed. It asserts no timing: the
// figures are logged (go test -v), and make bench measures the real server.
func TestLoad(t *testing.T) {
	before := runtime.NumGoroutine()
	ts := httptest.NewServer(handler)
	for _, path := range []string{"/", "/web/app.wasm"} {
		res, err := loadgen.Run(context.Background(), loadgen.Config{
			URL:         ts.URL + path,
			Header:      http.Header{"Accept-Encoding": {"br, gzip"}},
			Concurrency: 64,
			Requests:    3000,
			Duration:    20 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("GET %s: %s", path, res)
		if res.Errors != 0 || res.Requests == 0 || res.Status[http.StatusOK] != res.Requests {
			t.Errorf("GET %s: %d errors in %d requests, statuses %v; first: %v", path, res.Errors, res.Requests, res.Status, res.FirstError)
		}
	}
	ts.Close()

	// Closed servers and clients end their goroutines shortly after.
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("%d goroutines after the load, %d before: a leak\n%s", n, before, strings.TrimSpace(string(buf)))
	}
}
