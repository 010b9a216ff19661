package nethttp_test

// A hostile homeserver against the native Doer and the Client on top of
// it: endless and gigantic bodies, a compression bomb, a body that never
// ends. Each must end in a typed error, promptly, with bounded memory.

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"signup/app/matrix"
	"signup/internal/nethttp"
)

// allocated returns how many bytes f allocated (roughly: other goroutines
// count too, so the bounds below are generous).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// endless writes a JSON-looking body until the client goes away.
func endless(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(401)
	chunk := bytes.Repeat([]byte(`{"flows":[{"stages":["m.login.dummy"]}],`), 1024)
	w.Write([]byte(`{"x":[`))
	for r.Context().Err() == nil {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func TestHostileBodies(t *testing.T) {
	const memBound = 64 << 20 // far above 1 MiB, far below "read it all"

	t.Run("an endless body stops at the cap with ErrBodyTooLarge and bounded memory", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(endless))
		defer srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var err error
		var resp *matrix.Response
		n := allocated(func() {
			resp, err = nethttp.Doer{Client: srv.Client()}.Do(ctx, &matrix.Request{Method: "POST", URL: srv.URL})
		})
		if !errors.Is(err, matrix.ErrBodyTooLarge) || resp != nil {
			t.Fatalf("got %v, %v; want ErrBodyTooLarge", resp, err)
		}
		if ctx.Err() != nil {
			t.Fatal("the Doer read until the deadline instead of stopping at the cap")
		}
		if n > memBound {
			t.Errorf("allocated %d MiB for an endless body", n>>20)
		}
	})

	t.Run("a gigantic body through the Client is ErrBadResponse, not a crash", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			// A valid UIAA body padded past the cap with whitespace.
			w.Write([]byte(`{"flows":[{"stages":["m.login.dummy"]}],"session":"s"`))
			w.Write(bytes.Repeat([]byte(" "), 3<<20))
			w.Write([]byte(`}`))
		}))
		defer srv.Close()
		c := matrix.NewClient(srv.URL, nethttp.Doer{Client: srv.Client()})
		_, err := c.Register(context.Background(), matrix.KindUser, &matrix.RegisterRequest{Username: "a", Password: "b"})
		if !errors.Is(err, matrix.ErrBadResponse) || !errors.Is(err, matrix.ErrBodyTooLarge) {
			t.Fatalf("got %v; want ErrBadResponse wrapping ErrBodyTooLarge", err)
		}
		if _, ok := matrix.AuthRequired(err); ok {
			t.Fatal("a body over the cap was parsed")
		}
	})

	t.Run("a gzip bomb is capped after decompression", func(t *testing.T) {
		var bomb bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
		zero := make([]byte, 1<<20)
		for i := 0; i < 32; i++ { // 32 MiB of zeros, about 32 KiB compressed
			zw.Write(zero)
		}
		zw.Close()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		}))
		defer srv.Close()
		var err error
		n := allocated(func() {
			_, err = nethttp.Doer{Client: srv.Client()}.Do(context.Background(), &matrix.Request{Method: "GET", URL: srv.URL})
		})
		if !errors.Is(err, matrix.ErrBodyTooLarge) {
			t.Fatalf("got %v; want ErrBodyTooLarge", err)
		}
		if n > memBound {
			t.Errorf("allocated %d MiB for a gzip bomb", n>>20)
		}
	})

	t.Run("a body that never ends is cut by the context, as ErrUnreachable", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			w.Write([]byte(`{"user_id":`))
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		c := matrix.NewClient(srv.URL, nethttp.Doer{Client: srv.Client()})
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() {
			_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{Username: "a", Password: "b"})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, matrix.ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("got %v; want ErrUnreachable wrapping DeadlineExceeded", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("Register did not return after its deadline")
		}
	})
}
