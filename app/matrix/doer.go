package matrix

import (
	"context"
	"errors"
	"strings"
)

// MaxBodyBytes caps every response body the widget reads from a homeserver.
// A larger body is rejected with ErrBodyTooLarge instead of being buffered.
const MaxBodyBytes = 1 << 20

// ErrBodyTooLarge is returned by a Doer when a response body exceeds
// MaxBodyBytes.
var ErrBodyTooLarge = errors.New("response body exceeds 1 MiB")

// Request is one HTTP request as the widget sends it to a homeserver. It is a
// plain value so that the browser (fetch through safejs) and native code
// (net/http, in tests and on the server) can both carry it.
type Request struct {
	// Method is the HTTP method, such as "GET" or "POST".
	Method string
	// URL is the absolute request URL.
	URL string
	// Header holds request headers; keys are matched case-insensitively.
	Header Header
	// Body is the request body, or nil.
	Body []byte
}

// Response is one HTTP response, fully read (at most MaxBodyBytes).
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Header holds the response headers the widget may read (at least
	// Content-Type and Retry-After), with lower-case keys.
	Header Header
	// Body is the response body.
	Body []byte
}

// Header is a set of HTTP headers with lower-case keys.
type Header map[string]string

// Get returns the value of the header named key, matched case-insensitively.
func (h Header) Get(key string) string {
	if h == nil {
		return ""
	}
	return h[strings.ToLower(key)]
}

// Set sets the header named key (stored lower-case) to value.
func (h Header) Set(key, value string) {
	h[strings.ToLower(key)] = value
}

// Doer sends one HTTP request. Implementations must honour ctx (a cancelled
// context aborts the request and returns ctx's error), must not follow
// redirects to other hosts silently, and must cap the body at MaxBodyBytes.
// A request that never reaches the server (connection refused, DNS failure,
// CORS rejection, abort) returns a non-nil error and a nil Response.
type Doer interface {
	Do(ctx context.Context, req *Request) (*Response, error)
}
