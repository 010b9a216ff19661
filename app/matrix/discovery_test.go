package matrix_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"signup/app/matrix"
	"signup/internal/nethttp"
)

func TestVersions(t *testing.T) {
	t.Run("the spec example lists versions and unstable features", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, fixture(t, "versions_200.json"))))
		v, err := c.Versions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(v.Versions, ",") != "r0.0.1,v1.1" || !v.UnstableFeatures["org.example.my_feature"] {
			t.Errorf("got %+v", v)
		}
		if got := rec.last(t); got.Method != "GET" || got.Path != "/_matrix/client/versions" {
			t.Errorf("got %s %s", got.Method, got.Path)
		}
	})

	t.Run("an empty versions list is a bad response", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"versions":[]}`))
		if _, err := c.Versions(ctx); !errors.Is(err, matrix.ErrBadResponse) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a web server without Matrix answers a bad response", func(t *testing.T) {
		c, _ := newClient(t, respond(404, "<html>Not Found</html>", "Content-Type", "text/html"))
		if _, err := c.Versions(ctx); !errors.Is(err, matrix.ErrBadResponse) {
			t.Fatalf("got %v", err)
		}
	})
}

// homeserver is a handler answering /_matrix/client/versions with the spec
// example and well-known with wellKnown (404 when empty).
func homeserver(t *testing.T, wellKnown func() string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/_matrix/client/versions", respond(200, fixture(t, "versions_200.json")))
	mux.HandleFunc("/.well-known/matrix/client", func(w http.ResponseWriter, r *http.Request) {
		body := ""
		if wellKnown != nil {
			body = wellKnown()
		}
		if body == "" {
			respond(404, `{"errcode":"M_NOT_FOUND","error":"Not found"}`)(w, r)
			return
		}
		respond(200, body)(w, r)
	})
	return mux
}

// tlsHomeserver starts an HTTPS test server and returns it with a Doer that
// trusts it and the server name (host:port) that Discover turns into
// https://host:port.
func tlsHomeserver(t *testing.T, h http.Handler) (*httptest.Server, matrix.Doer, string) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return srv, nethttp.Doer{Client: srv.Client()}, strings.TrimPrefix(srv.URL, "https://")
}

func TestDiscover(t *testing.T) {
	t.Run("a base URL is checked with versions and kept without trailing slash", func(t *testing.T) {
		srv := httptest.NewServer(homeserver(t, nil))
		defer srv.Close()
		hs, err := matrix.Discover(ctx, nethttp.Doer{Client: srv.Client()}, "  "+srv.URL+"/  ")
		if err != nil {
			t.Fatal(err)
		}
		if hs.BaseURL != srv.URL || hs.ServerName != "" {
			t.Errorf("got %+v", hs)
		}
	})

	t.Run("a base URL that is not a homeserver is an error that keeps the cause", func(t *testing.T) {
		srv := httptest.NewServer(respond(404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`))
		defer srv.Close()
		_, err := matrix.Discover(ctx, nethttp.Doer{Client: srv.Client()}, srv.URL)
		if !errors.Is(err, matrix.ErrUnrecognized) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a base URL that is down is ErrUnreachable", func(t *testing.T) {
		srv := httptest.NewServer(homeserver(t, nil))
		srv.Close()
		_, err := matrix.Discover(ctx, nethttp.Doer{}, srv.URL)
		if !errors.Is(err, matrix.ErrUnreachable) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a server name is resolved through .well-known to another base URL", func(t *testing.T) {
		// The homeserver proper is a plain HTTP server; the server name is
		// an HTTPS one that only serves .well-known.
		real := httptest.NewServer(homeserver(t, nil))
		defer real.Close()
		mux := http.NewServeMux()
		mux.HandleFunc("/.well-known/matrix/client", respond(200,
			`{"m.homeserver":{"base_url":"`+real.URL+`/"},"m.identity_server":{"base_url":"https://identity.example.com"},"org.example.custom.property":{"app_url":"https://custom.app.example.org"}}`))
		_, doer, name := tlsHomeserver(t, mux)

		hs, err := matrix.Discover(ctx, doer, name)
		if err != nil {
			t.Fatal(err)
		}
		if hs.BaseURL != real.URL || hs.ServerName != name {
			t.Errorf("got %+v, want base %s name %s", hs, real.URL, name)
		}
	})

	t.Run("a server name whose .well-known is missing is used as is", func(t *testing.T) {
		srv, doer, name := tlsHomeserver(t, homeserver(t, nil))
		hs, err := matrix.Discover(ctx, doer, name)
		if err != nil {
			t.Fatal(err)
		}
		if hs.BaseURL != srv.URL || hs.ServerName != name {
			t.Errorf("got %+v", hs)
		}
	})

	t.Run("a server name whose .well-known lacks base_url is used as is", func(t *testing.T) {
		srv, doer, name := tlsHomeserver(t, homeserver(t, func() string { return `{"m.identity_server":{"base_url":"https://id.example"}}` }))
		hs, err := matrix.Discover(ctx, doer, name)
		if err != nil || hs.BaseURL != srv.URL {
			t.Fatalf("got %+v, %v", hs, err)
		}
	})

	t.Run("a .well-known pointing to a non-http URL is refused", func(t *testing.T) {
		_, doer, name := tlsHomeserver(t, homeserver(t, func() string { return `{"m.homeserver":{"base_url":"javascript:alert(1)"}}` }))
		if hs, err := matrix.Discover(ctx, doer, name); err == nil {
			t.Fatalf("got %+v", hs)
		}
	})

	t.Run("a .well-known pointing to something that is not a homeserver is an error", func(t *testing.T) {
		other := httptest.NewServer(respond(404, "nope", "Content-Type", "text/plain"))
		defer other.Close()
		_, doer, name := tlsHomeserver(t, homeserver(t, func() string { return `{"m.homeserver":{"base_url":"` + other.URL + `"}}` }))
		_, err := matrix.Discover(ctx, doer, name)
		if err == nil || !errors.Is(err, matrix.ErrBadResponse) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a server name that leads nowhere is ErrNotHomeserver", func(t *testing.T) {
		_, doer, name := tlsHomeserver(t, http.NotFoundHandler())
		_, err := matrix.Discover(ctx, doer, name)
		if !errors.Is(err, matrix.ErrNotHomeserver) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a server name that is down is ErrNotHomeserver and ErrUnreachable, naming both attempts", func(t *testing.T) {
		srv, doer, name := tlsHomeserver(t, homeserver(t, nil))
		srv.Close()
		_, err := matrix.Discover(ctx, doer, name)
		if !errors.Is(err, matrix.ErrNotHomeserver) || !errors.Is(err, matrix.ErrUnreachable) {
			t.Fatalf("got %v", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, ".well-known: ") || !strings.Contains(msg, "; https://"+name+": versions failed") {
			t.Errorf("message %q", msg)
		}
	})

	t.Run("a cancelled context stops discovery with the context error", func(t *testing.T) {
		_, doer, name := tlsHomeserver(t, homeserver(t, nil))
		c, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := matrix.Discover(c, doer, name); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
	})

	for _, in := range []string{"", "   ", "example.org/path", "user@example.org", "example.org?x", "ex ample.org", "ftp://example.org", "https://user:pw@example.org"} {
		t.Run("the input "+strings.TrimSpace(in)+"<end> is refused before any request", func(t *testing.T) {
			d := doerFunc(func(context.Context, *matrix.Request) (*matrix.Response, error) {
				t.Error("a request was sent")
				return nil, io.EOF
			})
			if hs, err := matrix.Discover(ctx, d, in); err == nil {
				t.Fatalf("got %+v", hs)
			}
		})
	}
}

// doerFunc adapts a function to matrix.Doer.
type doerFunc func(context.Context, *matrix.Request) (*matrix.Response, error)

func (f doerFunc) Do(ctx context.Context, r *matrix.Request) (*matrix.Response, error) {
	return f(ctx, r)
}

func TestNormalizeBaseURL(t *testing.T) {
	ok := []struct{ in, want string }{
		{"https://matrix.example.org", "https://matrix.example.org"},
		{"https://matrix.example.org/", "https://matrix.example.org"},
		{"  https://matrix.example.org:8448/  ", "https://matrix.example.org:8448"},
		{"HTTPS://matrix.example.org", "https://matrix.example.org"},
		{"http://localhost:8008", "http://localhost:8008"},
		{"https://example.org/matrix/", "https://example.org/matrix"},
		{"https://[::1]:8448", "https://[::1]:8448"},
	}
	for _, tc := range ok {
		t.Run("accepts "+tc.in, func(t *testing.T) {
			got, err := matrix.NormalizeBaseURL(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	bad := []string{
		"javascript:alert(1)",
		"JavaScript:alert(document.cookie)",
		"data:text/html,<script>alert(1)</script>",
		"ftp://example.org",
		"file:///etc/passwd",
		"https://example.org/?x=1",
		"https://example.org#frag",
		"https://user@example.org",
		"https://user:pass@example.org",
		"https:example.org",
		"//example.org",
		"example.org",
		"https://",
		"",
		"https://exa mple.org",
	}
	for _, in := range bad {
		t.Run("rejects "+in, func(t *testing.T) {
			if got, err := matrix.NormalizeBaseURL(in); err == nil {
				t.Errorf("accepted as %q", got)
			}
		})
	}
}
