package main

import (
	"bytes"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// proxy is a TCP proxy on loopback in front of one server. The browser
// talks to the server through it, and it counts what crosses the wire: the
// bytes the server sends (status lines, headers and bodies, compressed as
// served) and the HTTP requests the browser sends. So it sees every request
// of a visit, the service worker's included (its install fetches run in a
// target of their own, which the page's CDP Network domain does not
// report). It copies bytes as they come and adds no measurable delay on
// loopback.
type proxy struct {
	ln     net.Listener
	target string

	down atomic.Int64 // server → browser bytes
	up   atomic.Int64 // browser → server bytes

	mu    sync.Mutex
	reqs  []string // request lines ("GET /web/app.wasm"), in order
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// mark is a point in the proxy's counts, to measure what happened since.
type mark struct {
	down, up int64
	reqs     int
}

func newProxy(target string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// URL is the proxy's base URL, http://127.0.0.1:PORT.
func (p *proxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *proxy) mark() mark {
	p.mu.Lock()
	defer p.mu.Unlock()
	return mark{down: p.down.Load(), up: p.up.Load(), reqs: len(p.reqs)}
}

// since returns the bytes the server sent and the requests the browser made
// since m.
func (p *proxy) since(m mark) (down int64, reqs []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.down.Load() - m.down, append([]string(nil), p.reqs[m.reqs:]...)
}

func (p *proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.handle(c)
	}
}

func (p *proxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = struct{}{}
	} else {
		delete(p.conns, c)
	}
}

func (p *proxy) handle(client net.Conn) {
	defer p.wg.Done()
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	p.track(client, true)
	p.track(server, true)
	defer p.track(client, false)
	defer p.track(server, false)

	parser := &requestParser{onRequest: func(line string) {
		p.mu.Lock()
		p.reqs = append(p.reqs, line)
		p.mu.Unlock()
	}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.Copy(writerFunc(func(b []byte) (int, error) {
			p.up.Add(int64(len(b)))
			parser.feed(b)
			return server.Write(b)
		}), client)
		if tc, ok := server.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
	}()
	io.Copy(writerFunc(func(b []byte) (int, error) {
		p.down.Add(int64(len(b)))
		return client.Write(b)
	}), server)
	client.Close()
	<-done
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// requestParser finds the HTTP/1.1 requests in what a client sends on one
// connection: a header block ending in CRLF CRLF, then Content-Length bytes
// of body.
type requestParser struct {
	buf       []byte
	skip      int64
	onRequest func(line string)
}

func (r *requestParser) feed(b []byte) {
	r.buf = append(r.buf, b...)
	for {
		if r.skip > 0 {
			n := min(r.skip, int64(len(r.buf)))
			r.buf = r.buf[n:]
			r.skip -= n
			if r.skip > 0 {
				return
			}
		}
		i := bytes.Index(r.buf, []byte("\r\n\r\n"))
		if i < 0 {
			if len(r.buf) > 1<<16 { // not HTTP/1.1 as expected: give up on this connection
				r.buf = nil
			}
			return
		}
		head := string(r.buf[:i])
		r.buf = append([]byte(nil), r.buf[i+4:]...)
		line, rest, _ := strings.Cut(head, "\r\n")
		if method, target, ok := strings.Cut(line, " "); ok {
			target, _, _ = strings.Cut(target, " ")
			r.onRequest(method + " " + target)
		}
		for _, h := range strings.Split(rest, "\r\n") {
			if k, v, ok := strings.Cut(h, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "Content-Length") {
				if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n > 0 {
					r.skip = n
				}
			}
		}
	}
}

// quiet waits until nothing crossed the proxy for d, at most max.
func (p *proxy) quiet(d, max time.Duration) {
	deadline := time.Now().Add(max)
	last, since := p.mark(), time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if m := p.mark(); m != last {
			last, since = m, time.Now()
		} else if time.Since(since) >= d {
			return
		}
	}
}
