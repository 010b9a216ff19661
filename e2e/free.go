package e2e

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago. The
// kernel picks it, so parallel callers get different ports.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// WaitHTTP polls url with GET until it answers 200 OK, and fails the test when
// that takes longer than timeout.
func WaitHTTP(t testing.TB, url string, timeout time.Duration) {
	t.Helper()
	if err := waitHTTP(context.Background(), url, timeout, nil); err != nil {
		t.Fatal(err)
	}
}

// waitHTTP polls url until it answers 200 OK. It gives up after timeout, or
// as soon as exited (which may be nil) is closed, for a process that died.
func waitHTTP(ctx context.Context, url string, timeout time.Duration, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = &statusError{url: url, code: resp.StatusCode}
		} else {
			last = err
		}
		select {
		case <-ctx.Done():
			return &waitError{url: url, timeout: timeout, last: last}
		case <-exited:
			return &waitError{url: url, exited: true, last: last}
		case <-time.After(100 * time.Millisecond):
		}
	}
}
