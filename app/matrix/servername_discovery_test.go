package matrix_test

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"signup/app/matrix"
	"signup/internal/nethttp"
)

// payload broke out of a pre-rendered attribute when it was taken as a
// server name.
const payload = `evil"'x'><plaintext>`

func TestServerNameGrammarInDiscovery(t *testing.T) {
	t.Run("a key endpoint answering a name outside the grammar is a clear error", func(t *testing.T) {
		for _, bad := range []string{payload, "evil.example:99999x", "[::1", "bücher.example"} {
			body := `{"server_name":` + quoteJSON(bad) + `}`
			srv := httptest.NewServer(respond(200, body))
			name, err := matrix.ServerName(ctx, nethttp.Doer{}, srv.URL)
			srv.Close()
			if !isResponseError(err) || name != "" {
				t.Errorf("%s: got %q, %v", body, name, err)
				continue
			}
			if !strings.Contains(err.Error(), "is not a server name") {
				t.Errorf("%s: the error %q does not say what is wrong", body, err)
			}
		}
	})

	t.Run("an IPv6 literal with a port is a server name", func(t *testing.T) {
		srv := httptest.NewServer(respond(200, `{"server_name":"[::1]:8448"}`))
		defer srv.Close()
		if name, err := matrix.ServerName(ctx, nethttp.Doer{}, srv.URL); err != nil || name != "[::1]:8448" {
			t.Fatalf("got %q, %v", name, err)
		}
	})

	t.Run("a name outside the grammar is refused before any .well-known request", func(t *testing.T) {
		d := doerFunc(func(context.Context, *matrix.Request) (*matrix.Response, error) {
			t.Error("a request was sent")
			return nil, io.EOF
		})
		for _, in := range []string{payload, "example.org:", "example.org:port", "exa\"mple.org"} {
			hs, err := matrix.Discover(ctx, d, in)
			if err == nil {
				t.Errorf("%q: got %+v", in, hs)
				continue
			}
			if !strings.Contains(err.Error(), "nor a server name") {
				t.Errorf("%q: the error %q does not say what is wrong", in, err)
			}
		}
	})
}

// quoteJSON writes s as a JSON string.
func quoteJSON(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
