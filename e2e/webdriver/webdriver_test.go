package webdriver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// page is a form whose button copies the input into an output, logs an
// error and sets an attribute.
const page = `<!doctype html><title>driver page</title>
<input id="name"><button id="go" onclick="
	document.getElementById('out').textContent = 'hello ' + document.getElementById('name').value;
	document.getElementById('out').setAttribute('data-done', 'yes');
	console.error('clicked-error');">go</button>
<p id="out"></p>`

// starters are the engines, by name.
var starters = map[string]func(context.Context, Options) (Browser, error){
	"firefox": StartFirefox,
	"webkit":  StartWebKit,
}

// Each engine's driver navigates, types, clicks, reads text, attributes
// and values, waits, and reports the page's console errors.
func TestEnginesDriver(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	defer ts.Close()
	for _, engine := range []string{"firefox", "webkit"} {
		t.Run(engine, func(t *testing.T) {
			began := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			b, err := starters[engine](ctx, Options{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			t.Logf("%s: %s, started in %s", engine, b.Version(), time.Since(began).Round(time.Millisecond))
			if b.Engine() != engine || !strings.Contains(b.Version(), " ") {
				t.Errorf("Engine/Version = %q/%q", b.Engine(), b.Version())
			}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(b.Navigate(ctx, ts.URL+"/"))
			in, err := b.Find(ctx, "#name")
			must(err)
			must(in.Type(ctx, "wörld 1"))
			btn, err := b.Find(ctx, "button#go")
			must(err)
			must(btn.Click(ctx))
			must(Wait(ctx, b, `document.getElementById("out").dataset.done === "yes"`))
			out, err := b.Find(ctx, "#out")
			must(err)
			if s, err := out.Text(ctx); err != nil || s != "hello wörld 1" {
				t.Errorf("text = %q, %v", s, err)
			}
			if s, err := out.Attribute(ctx, "data-done"); err != nil || s != "yes" {
				t.Errorf("attribute = %q, %v", s, err)
			}
			var v struct {
				N int      `json:"n"`
				L []string `json:"l"`
			}
			must(b.Eval(ctx, `new Promise(r => setTimeout(() => r({n: 2, l: [document.title]}), 10))`, &v))
			if v.N != 2 || len(v.L) != 1 || v.L[0] != "driver page" {
				t.Errorf("eval = %+v", v)
			}
			if err := b.Eval(ctx, `(() => { throw new Error("thrown-here") })()`, nil); err == nil || !strings.Contains(err.Error(), "thrown-here") {
				t.Errorf("a throwing expression: err = %v", err)
			}
			if _, err := b.Find(ctx, "#absent"); err == nil {
				t.Error("Find of an absent element worked")
			}
			if c := strings.Join(b.Console(), "\n"); !strings.Contains(c, "clicked-error") {
				t.Errorf("console = %q, want the click's error", c)
			}
			short, cancel2 := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel2()
			if err := Wait(short, b, "false"); err == nil {
				t.Error("Wait for false returned nil")
			}
			if err := b.SetOffline(ctx, true); err != nil && !errors.Is(err, ErrUnsupported) {
				t.Errorf("SetOffline: %v", err)
			} else if err == nil {
				must(b.SetOffline(ctx, false))
			}
		})
	}
}

// A missing browser fails at once with the package to install.
func TestEnginesDriverMissingBrowser(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for engine, start := range starters {
		_, err := start(context.Background(), Options{Dir: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), "not installed") {
			t.Errorf("%s without the browser: err = %v", engine, err)
		}
	}
}
