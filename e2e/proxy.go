package e2e

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Recorded is one request that went through a Proxy.
type Recorded struct {
	Method, Path, Query string
	Body                []byte
	At                  time.Time
}

// Reply is an answer a Proxy rule sends instead of the upstream's.
type Reply struct {
	Status int
	Header map[string]string
	Body   string
}

// Rule decides, for one request, whether the Proxy answers it itself (a
// non-nil Reply) or passes it to the upstream homeserver (nil). n counts
// the requests with the same method and path so far, from 1.
type Rule func(r Recorded, n int) *Reply

// Proxy is a recording reverse proxy in front of a real homeserver. Tests
// point the widget at it to count what the widget sent and to inject
// spec-shaped answers (a 429 with Retry-After, an HTML 502, an extra UIAA
// stage) on top of the real server's.
type Proxy struct {
	URL string

	mu     sync.Mutex
	reqs   []Recorded
	rules  []Rule
	counts map[string]int
}

// StartProxy starts a Proxy to upstream on a free loopback port; it stops
// when the test ends.
func StartProxy(t testing.TB, upstream string) *Proxy {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{counts: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ErrorLog = log.New(io.Discard, "", 0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := Recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body, At: time.Now()}
		if reply := p.record(rec); reply != nil {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Content-Type", "application/json")
			for k, v := range reply.Header {
				h.Set(k, v)
			}
			w.WriteHeader(reply.Status)
			io.WriteString(w, reply.Body)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

func (p *Proxy) record(r Recorded) *Reply {
	if r.Method == http.MethodOptions {
		return nil
	}
	p.mu.Lock()
	p.reqs = append(p.reqs, r)
	key := r.Method + " " + r.Path
	p.counts[key]++
	n, rules := p.counts[key], append([]Rule(nil), p.rules...)
	p.mu.Unlock()
	for _, rule := range rules {
		if reply := rule(r, n); reply != nil {
			return reply
		}
	}
	return nil
}

// Intercept adds a rule, consulted in order before passing a request on.
func (p *Proxy) Intercept(rule Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, rule)
}

// Requests returns the recorded requests (preflights excluded) whose method
// matches and whose path ends with suffix.
func (p *Proxy) Requests(method, suffix string) []Recorded {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Recorded
	for _, r := range p.reqs {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}
