//go:build js && wasm

package jsfetch_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"

	"signup/app/matrix"
	"signup/wasm/jsfetch"
	"signup/wasm/jsutil"
)

// serverJS starts a loopback HTTP server with Node's http module (the Go
// test binary runs under wasm_exec_node.js, which exposes require). The
// handler is JavaScript, so it answers while the single Go thread is blocked
// in Await. The function resolves to the server, with a stop() method added.
const serverJS = `
const http = globalThis.require("http");
const MiB = 1 << 20;
const server = http.createServer((req, res) => handler(req, res));
server.endlessClosed = 0; // how many /endless responses the client dropped
const handler = (req, res) => {
	const chunks = [];
	req.on("data", (c) => chunks.push(c));
	req.on("end", () => {
		const body = Buffer.concat(chunks).toString("utf8");
		const json = (status, headers, value) => {
			res.writeHead(status, Object.assign({"Content-Type": "application/json"}, headers));
			res.end(JSON.stringify(value));
		};
		const sized = (n) => { // n bytes of JSON-ish filler, in chunks
			res.writeHead(200, {"Content-Type": "application/octet-stream", "Content-Length": String(n)});
			const chunk = Buffer.alloc(64 * 1024, 0x61);
			let left = n;
			const pump = () => {
				while (left > 0) {
					const c = chunk.subarray(0, Math.min(left, chunk.length));
					left -= c.length;
					if (!res.write(c)) { res.once("drain", pump); return; }
				}
				res.end();
			};
			pump();
		};
		switch (new URL(req.url, "http://localhost").pathname) {
		case "/echo":
			return json(200, {"X-Test-Header": "Hello", "Retry-After": "0"}, {
				method: req.method,
				body: body,
				authorization: req.headers["authorization"] ?? null,
				contentType: req.headers["content-type"] ?? null,
				custom: req.headers["x-custom"] ?? null,
				cookie: req.headers["cookie"] ?? null,
				referer: req.headers["referer"] ?? null,
			});
		case "/unauthorized":
			return json(401, {}, {errcode: "M_FORBIDDEN", error: "Invalid password"});
		case "/ratelimited":
			return json(429, {"Retry-After": "7"}, {errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 7000});
		case "/nocontent":
			res.writeHead(204);
			return res.end();
		case "/exact":
			return sized(MiB);
		case "/big":
			return sized(MiB + 1);
		case "/endless-big": { // never ends, and floods the client
			res.writeHead(200, {"Content-Type": "application/octet-stream"});
			const chunk = Buffer.alloc(64 * 1024, 0x62);
			const pump = () => {
				while (!res.destroyed) {
					if (!res.write(chunk)) { res.once("drain", pump); return; }
				}
			};
			return pump();
		}
		case "/endless": // sends a little, then hangs forever
			res.on("close", () => { server.endlessClosed++; });
			res.writeHead(200, {"Content-Type": "application/json"});
			return res.write("{\"partial\":");
		case "/hang": // never even sends the status line
			return;
		case "/redirect":
			res.writeHead(302, {"Location": "/echo"});
			return res.end();
		default:
			return json(404, {}, {errcode: "M_UNRECOGNIZED"});
		}
	});
};
return new Promise((resolve, reject) => {
	server.on("error", reject);
	server.listen(0, "127.0.0.1", () => {
		server.stop = () => new Promise((done) => {
			server.close(() => done());
			server.closeAllConnections();
		});
		resolve(server);
	});
});
`

type server struct {
	t   *testing.T
	js  safejs.Value
	URL string // base URL, without trailing slash
}

// startServer starts the JavaScript test server; it is stopped when the test
// ends (stopping it twice is harmless).
func startServer(t *testing.T) *server {
	t.Helper()
	fn, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	start, err := fn.New(serverJS)
	if err != nil {
		t.Fatal(err)
	}
	promise, err := start.Invoke()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	js, err := jsutil.Await(ctx, promise)
	if err != nil {
		t.Fatal("starting server: ", err)
	}
	addr, err := js.Call("address")
	if err != nil {
		t.Fatal(err)
	}
	portV, err := addr.Get("port")
	if err != nil {
		t.Fatal(err)
	}
	port, err := portV.Int()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, js: js, URL: "http://127.0.0.1:" + strconv.Itoa(port)}
	t.Cleanup(s.stop)
	return s
}

func (s *server) stop() {
	s.t.Helper()
	promise, err := s.js.Call("stop")
	if err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := jsutil.Await(ctx, promise); err != nil {
		s.t.Fatal("stopping server: ", err)
	}
}

// waitEndlessClosed waits until the server has seen n /endless responses
// closed by the client, i.e. the aborted fetches really hung up.
func (s *server) waitEndlessClosed(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		v, err := s.js.Get("endlessClosed")
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.Int()
		if err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server saw %d closed /endless responses, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond) // lets the JavaScript event loop run
	}
}

func do(t *testing.T, ctx context.Context, d jsfetch.Doer, req *matrix.Request) (*matrix.Response, error) {
	t.Helper()
	resp, err := d.Do(ctx, req)
	if err != nil && resp != nil {
		t.Errorf("Do returned both a response and error %v", err)
	}
	if err == nil && resp == nil {
		t.Fatal("Do returned neither a response nor an error")
	}
	return resp, err
}

func TestEcho(t *testing.T) {
	s := startServer(t)
	for _, method := range []string{"POST", "PUT", "GET"} {
		t.Run(method, func(t *testing.T) {
			body := []byte(`{"username":"alice","password":"héllo wörld"}`)
			if method == "GET" {
				body = []byte{} // non-nil but empty: must not be sent
			}
			req := &matrix.Request{
				Method: method,
				URL:    s.URL + "/echo?x=1",
				Header: matrix.Header{},
				Body:   body,
			}
			req.Header.Set("Authorization", "Bearer secret")
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Custom", "custom value")
			resp, err := do(t, context.Background(), jsfetch.Doer{}, req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != 200 {
				t.Errorf("status %d", resp.Status)
			}
			for k, want := range map[string]string{
				"content-type":  "application/json",
				"x-test-header": "Hello",
				"retry-after":   "0",
			} {
				if got := resp.Header[k]; got != want {
					t.Errorf("header %q = %q, want %q (all: %v)", k, got, want, resp.Header)
				}
			}
			if got := resp.Header.Get("X-Test-Header"); got != "Hello" {
				t.Errorf("Header.Get = %q", got)
			}
			for k := range resp.Header {
				if k != strings.ToLower(k) {
					t.Errorf("header key %q not lower-case", k)
				}
			}
			var echo struct {
				Method, Body, Authorization, ContentType, Custom string
				Cookie, Referer                                  *string
			}
			if err := json.Unmarshal(resp.Body, &echo); err != nil {
				t.Fatalf("body %q: %v", resp.Body, err)
			}
			if echo.Method != method || echo.Body != string(body) ||
				echo.Authorization != "Bearer secret" || echo.ContentType != "application/json" ||
				echo.Custom != "custom value" || echo.Cookie != nil || echo.Referer != nil {
				t.Errorf("server saw %+v", echo)
			}
		})
	}
}

func TestErrorStatuses(t *testing.T) {
	s := startServer(t)
	d := jsfetch.Doer{}

	resp, err := do(t, context.Background(), d, &matrix.Request{Method: "POST", URL: s.URL + "/unauthorized", Body: []byte("{}")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 401 || !strings.Contains(string(resp.Body), `"M_FORBIDDEN"`) {
		t.Errorf("got %d %q", resp.Status, resp.Body)
	}

	resp, err = do(t, context.Background(), d, &matrix.Request{Method: "GET", URL: s.URL + "/ratelimited"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 429 || resp.Header.Get("Retry-After") != "7" ||
		!strings.Contains(string(resp.Body), `"retry_after_ms":7000`) {
		t.Errorf("got %d %v %q", resp.Status, resp.Header, resp.Body)
	}

	resp, err = do(t, context.Background(), d, &matrix.Request{Method: "GET", URL: s.URL + "/nocontent"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 204 || len(resp.Body) != 0 {
		t.Errorf("got %d %q", resp.Status, resp.Body)
	}
}

func TestBodyLimit(t *testing.T) {
	s := startServer(t)
	d := jsfetch.Doer{}

	resp, err := do(t, context.Background(), d, &matrix.Request{Method: "GET", URL: s.URL + "/exact"})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Body) != matrix.MaxBodyBytes {
		t.Errorf("got %d bytes, want %d", len(resp.Body), matrix.MaxBodyBytes)
	}

	for _, path := range []string{"/big", "/endless-big"} {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := do(t, ctx, d, &matrix.Request{Method: "GET", URL: s.URL + path})
		cancel()
		if !errors.Is(err, matrix.ErrBodyTooLarge) {
			t.Errorf("%s: error %v, want ErrBodyTooLarge", path, err)
		}
		t.Logf("%s: %v after %v", path, err, time.Since(start))
	}
}

func TestEndlessBodyCancelled(t *testing.T) {
	s := startServer(t)
	closed := 0
	for name, tc := range map[string]struct {
		doer    jsfetch.Doer
		timeout time.Duration
	}{
		"ctx timeout":   {jsfetch.Doer{}, 200 * time.Millisecond},
		"doer timeout":  {jsfetch.Doer{Timeout: 200 * time.Millisecond}, time.Minute},
		"both, ctx won": {jsfetch.Doer{Timeout: time.Minute}, 200 * time.Millisecond},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
			defer cancel()
			start := time.Now()
			_, err := do(t, ctx, tc.doer, &matrix.Request{Method: "GET", URL: s.URL + "/endless"})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error %v, want deadline exceeded", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("returned after %v", d)
			}
			t.Log(err)
			closed++
			s.waitEndlessClosed(t, closed)
		})
	}
}

func TestNoResponseCancelled(t *testing.T) {
	// The fetch promise itself never settles; Do must still return on time.
	// (Whether Node then really drops the socket is not checked: Node's fetch
	// may lose the abort signal's link to a garbage-collected request,
	// nodejs/node#55428; browsers do not have that problem.)
	s := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := do(t, ctx, jsfetch.Doer{}, &matrix.Request{Method: "POST", URL: s.URL + "/hang", Body: []byte("{}")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %v", d)
	}
}

func TestCancel(t *testing.T) {
	s := startServer(t)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := do(t, ctx, jsfetch.Doer{}, &matrix.Request{Method: "GET", URL: s.URL + "/echo"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("already cancelled: error %v, want canceled", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		time.Sleep(100 * time.Millisecond)
		cancel()
	}()
	_, err = do(t, ctx, jsfetch.Doer{}, &matrix.Request{Method: "GET", URL: s.URL + "/endless"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while reading: error %v, want canceled", err)
	}
	s.waitEndlessClosed(t, 1)
}

func TestRedirectFails(t *testing.T) {
	s := startServer(t)
	_, err := do(t, context.Background(), jsfetch.Doer{}, &matrix.Request{Method: "GET", URL: s.URL + "/redirect"})
	if err == nil {
		t.Fatal("redirect was followed")
	}
	var jsErr *jsutil.Error
	if !errors.As(err, &jsErr) {
		t.Errorf("error %T %v does not wrap *jsutil.Error", err, err)
	}
	if !strings.Contains(err.Error(), "fetch GET "+s.URL+"/redirect failed") {
		t.Errorf("error %q", err)
	}
	t.Log(err)
}

func TestConnectionRefused(t *testing.T) {
	s := startServer(t)
	url := s.URL + "/echo"
	s.stop()
	_, err := do(t, context.Background(), jsfetch.Doer{}, &matrix.Request{Method: "POST", URL: url, Body: []byte("{}")})
	if err == nil {
		t.Fatal("no error from a stopped server")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v looks like a context error", err)
	}
	t.Log(err)
}

func TestBadRequest(t *testing.T) {
	// fetch rejects an unparsable URL and a forbidden method; both must be
	// plain errors.
	for _, req := range []*matrix.Request{
		{Method: "GET", URL: "http://[::1"},
		{Method: "CONNECT", URL: "http://127.0.0.1:1/"},
		{Method: "GET", URL: "http://127.0.0.1:1/", Header: matrix.Header{"bad header": "x"}},
	} {
		_, err := do(t, context.Background(), jsfetch.Doer{}, req)
		if err == nil {
			t.Errorf("%+v: no error", req)
		}
		t.Log(err)
	}
}
