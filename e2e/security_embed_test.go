package e2e

// embed.js takes the widget's URL from data-src on the host page: only an
// http(s) URL (relative ones resolved against the page) becomes an iframe.
// A javascript: or data: URL would run code of the attribute's choosing in
// a frame the host page styles as the sign-up widget.

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// embedSrcPage has one placeholder per data-src, and embed.js from the
// same host. /frame is a page an http(s) data-src may show.
const embedSrcPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host</title></head>
<body>
<div data-signup id="js" data-src="javascript:parent.document.title='pwned'"></div>
<div data-signup id="js-upper" data-src="  JavaScript:parent.document.title='pwned'"></div>
<div data-signup id="data" data-src="data:text/html,&lt;script&gt;parent.document.title='pwned'&lt;/script&gt;"></div>
<div data-signup id="blob" data-src="blob:http://example.invalid/x"></div>
<div data-signup id="relative" data-src="/frame"></div>
<script src="/embed.js"></script>
</body></html>
`

func TestEmbedRefusesNonHTTPDataSrc(t *testing.T) {
	embed, err := os.ReadFile(filepath.Join(RepoRoot(), "web", "embed.js"))
	if err != nil {
		t.Fatal(err)
	}
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, embedSrcPage)
		case "/embed.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(embed)
		case "/frame":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<!doctype html><title>frame</title><p>the widget")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(host.Close)

	ctx := NewBrowser(t)
	do(t, ctx, chromedp.Navigate(host.URL+"/"))
	waitJS(t, ctx, `document.querySelector("#relative iframe") !== null`, "the iframe of the http(s) data-src")

	t.Run("an http(s) data-src, relative to the page, is framed", func(t *testing.T) {
		if src := eval[string](t, ctx, `document.querySelector("#relative iframe").src`); src != host.URL+"/frame" {
			t.Errorf("iframe src %q, want %q", src, host.URL+"/frame")
		}
	})

	for _, id := range []string{"js", "js-upper", "data", "blob"} {
		t.Run("a "+id+": data-src makes no iframe", func(t *testing.T) {
			if n := eval[int](t, ctx, `document.querySelectorAll("#`+id+` iframe").length`); n != 0 {
				t.Errorf("%d iframes, src %q", n, eval[string](t, ctx, `(document.querySelector("#`+id+` iframe") || {}).src || ""`))
			}
		})
	}

	t.Run("only the http(s) frame exists, the page is untouched, and the console says why", func(t *testing.T) {
		if n := eval[int](t, ctx, `document.querySelectorAll("iframe").length`); n != 1 {
			t.Errorf("%d iframes on the page, want 1", n)
		}
		if title := eval[string](t, ctx, `document.title`); title != "Host" {
			t.Errorf("the page title became %q", title)
		}
		// The browser reports console messages a little late.
		refused := func() int {
			n := 0
			for _, e := range ConsoleErrors(ctx) {
				if strings.Contains(e, "data-src must be an http(s) URL") {
					n++
				}
			}
			return n
		}
		for end := time.Now().Add(5 * time.Second); refused() < 4 && time.Now().Before(end); {
			time.Sleep(50 * time.Millisecond)
		}
		if refused := refused(); refused != 4 {
			t.Errorf("%d console errors about data-src, want 4: %q", refused, ConsoleErrors(ctx))
		}
	})
}
