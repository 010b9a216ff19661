package tesths

import (
	"fmt"
	"net/http"
	"strings"
)

// Requests returns every request received so far, oldest first, OPTIONS
// preflights excluded. A request is recorded before its answer is sent.
func (s *Server) Requests() []Request {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestsTo returns the recorded requests with this method and path.
func (s *Server) RequestsTo(method, path string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// Log returns one line per recorded request ("15:04:05.000 POST /path?query
// -> 401"), for t.Log when a test fails.
func (s *Server) Log() string {
	var b strings.Builder
	s.recMu.Lock()
	if s.droppedRecords > 0 {
		fmt.Fprintf(&b, "(%d older requests dropped)\n", s.droppedRecords)
	}
	s.recMu.Unlock()
	for _, r := range s.Requests() {
		q := ""
		if r.RawQuery != "" {
			q = "?" + r.RawQuery
		}
		fmt.Fprintf(&b, "%s %s %s%s -> %d\n", r.Time.Format("15:04:05.000"), r.Method, r.Path, q, r.Status)
	}
	return b.String()
}

func (s *Server) record(r Request) {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	s.requests = append(s.requests, r)
	if n := len(s.requests) - maxRecorded; n > 0 {
		s.requests = append([]Request(nil), s.requests[n:]...)
		s.droppedRecords += n
	}
}

// recorder records the request when the handler sends the status line, so
// that a client that got the answer always finds its request in Requests.
type recorder struct {
	http.ResponseWriter
	s    *Server
	req  Request
	done bool
}

func (rw *recorder) WriteHeader(code int) {
	if !rw.done {
		rw.done = true
		rw.req.Status = code
		rw.s.record(rw.req)
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(p []byte) (int, error) {
	if !rw.done {
		rw.WriteHeader(http.StatusOK)
	}
	return rw.ResponseWriter.Write(p)
}
