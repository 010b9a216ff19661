package nethttp_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"signup/app/matrix"
	"signup/internal/nethttp"
)

func TestDoer(t *testing.T) {
	t.Run("a plain request sends method, headers and body and returns status and body", func(t *testing.T) {
		var mu sync.Mutex
		var gotMethod, gotCT, gotBody string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			gotMethod = r.Method
			gotCT = r.Header.Get("Content-Type")
			b, _ := io.ReadAll(r.Body)
			gotBody = string(b)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTeapot)
			io.WriteString(w, `{"ok":true}`)
		}))
		defer srv.Close()

		resp, err := nethttp.Doer{Client: srv.Client()}.Do(context.Background(), &matrix.Request{
			Method: "POST",
			URL:    srv.URL + "/x",
			Header: matrix.Header{"content-type": "application/json"},
			Body:   []byte(`{"a":1}`),
		})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != http.StatusTeapot || string(resp.Body) != `{"ok":true}` {
			t.Errorf("got %d %q", resp.Status, resp.Body)
		}
		mu.Lock()
		defer mu.Unlock()
		if gotMethod != "POST" || gotCT != "application/json" || gotBody != `{"a":1}` {
			t.Errorf("server saw %s %q %q", gotMethod, gotCT, gotBody)
		}
	})

	t.Run("the zero Doer works with a default client", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "hi")
		}))
		defer srv.Close()
		resp, err := nethttp.Doer{}.Do(context.Background(), &matrix.Request{URL: srv.URL})
		if err != nil || resp.Status != 200 || string(resp.Body) != "hi" {
			t.Fatalf("got %v, %v", resp, err)
		}
	})

	t.Run("response headers are copied with lower-case keys, first value each", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "120")
			w.Header().Add("X-Multi", "first")
			w.Header().Add("X-Multi", "second")
			w.WriteHeader(http.StatusTooManyRequests)
		}))
		defer srv.Close()

		resp, err := nethttp.Doer{Client: srv.Client()}.Do(context.Background(), &matrix.Request{Method: "GET", URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"content-type": "application/json", "retry-after": "120", "x-multi": "first"}
		for k, v := range want {
			if got := resp.Header[k]; got != v {
				t.Errorf("header %q = %q, want %q", k, got, v)
			}
		}
		if resp.Header.Get("Retry-After") != "120" {
			t.Errorf("Get is not case-insensitive")
		}
		for k := range resp.Header {
			if k != strings.ToLower(k) {
				t.Errorf("header key %q is not lower-case", k)
			}
		}
	})

	t.Run("a body of exactly MaxBodyBytes is accepted", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write(make([]byte, matrix.MaxBodyBytes))
		}))
		defer srv.Close()
		resp, err := nethttp.Doer{Client: srv.Client()}.Do(context.Background(), &matrix.Request{Method: "GET", URL: srv.URL})
		if err != nil || len(resp.Body) != matrix.MaxBodyBytes {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a body over MaxBodyBytes returns ErrBodyTooLarge", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write(make([]byte, matrix.MaxBodyBytes+1))
		}))
		defer srv.Close()
		resp, err := nethttp.Doer{Client: srv.Client()}.Do(context.Background(), &matrix.Request{Method: "GET", URL: srv.URL})
		if !errors.Is(err, matrix.ErrBodyTooLarge) || resp != nil {
			t.Fatalf("got %v, %v; want ErrBodyTooLarge", resp, err)
		}
	})

	t.Run("a same-host redirect is followed", func(t *testing.T) {
		mux := http.NewServeMux()
		mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusFound) })
		mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "moved") })
		srv := httptest.NewServer(mux)
		defer srv.Close()
		resp, err := nethttp.Doer{Client: srv.Client()}.Do(context.Background(), &matrix.Request{Method: "GET", URL: srv.URL + "/old"})
		if err != nil || string(resp.Body) != "moved" {
			t.Fatalf("got %v, %v", resp, err)
		}
	})

	t.Run("same-host redirects stop after three", func(t *testing.T) {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			http.Redirect(w, r, "/again", http.StatusFound)
		}))
		defer srv.Close()
		_, err := nethttp.Doer{Client: srv.Client()}.Do(context.Background(), &matrix.Request{Method: "GET", URL: srv.URL})
		if !errors.Is(err, nethttp.ErrTooManyRedirects) {
			t.Fatalf("got %v, want ErrTooManyRedirects", err)
		}
		if n := hits.Load(); n != nethttp.MaxRedirects+1 {
			t.Errorf("server was hit %d times, want %d", n, nethttp.MaxRedirects+1)
		}
	})

	t.Run("a redirect to another host is refused", func(t *testing.T) {
		var otherHit atomic.Bool
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			otherHit.Store(true)
			io.WriteString(w, "elsewhere")
		}))
		defer other.Close()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/x", http.StatusTemporaryRedirect)
		}))
		defer srv.Close()

		resp, err := nethttp.Doer{Client: srv.Client()}.Do(context.Background(), &matrix.Request{Method: "GET", URL: srv.URL})
		if !errors.Is(err, nethttp.ErrCrossHostRedirect) || resp != nil {
			t.Fatalf("got %v, %v; want ErrCrossHostRedirect", resp, err)
		}
		if otherHit.Load() {
			t.Error("the other host was contacted")
		}
	})

	t.Run("a cancelled context stops a never-ending body promptly with the context error", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			for {
				if _, err := io.WriteString(w, "{"); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
		}))
		defer srv.Close()

		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		resp, err := nethttp.Doer{Client: srv.Client()}.Do(ctx, &matrix.Request{Method: "GET", URL: srv.URL})
		if !errors.Is(err, context.Canceled) || resp != nil {
			t.Fatalf("got %v, %v; want context.Canceled", resp, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v after cancel", d)
		}
	})

	t.Run("a deadline on a server that never answers returns DeadlineExceeded", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		defer srv.Close()
		defer close(release)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := nethttp.Doer{Client: srv.Client()}.Do(ctx, &matrix.Request{Method: "GET", URL: srv.URL})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	})

	t.Run("a refused connection returns an error and no response", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		resp, err := nethttp.Doer{}.Do(context.Background(), &matrix.Request{Method: "GET", URL: "http://" + addr + "/"})
		if err == nil || resp != nil {
			t.Fatalf("got %v, %v; want an error", resp, err)
		}
	})

	t.Run("an invalid URL returns an error", func(t *testing.T) {
		if _, err := (nethttp.Doer{}).Do(context.Background(), &matrix.Request{Method: "GET", URL: "http://[::1"}); err == nil {
			t.Fatal("no error")
		}
	})

	t.Run("a nil request returns an error", func(t *testing.T) {
		if _, err := (nethttp.Doer{}).Do(context.Background(), nil); err == nil {
			t.Fatal("no error")
		}
	})
}
