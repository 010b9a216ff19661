// Package nethttp implements matrix.Doer with net/http, for native code: the
// server's start-up discovery of the homeserver and the tests. The browser
// build uses fetch instead.
package nethttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"signup/app/matrix"
)

// MaxRedirects is how many same-host redirects Doer follows before giving up.
const MaxRedirects = 3

// ErrCrossHostRedirect is returned (wrapped) when a server redirects to
// another host or scheme: the widget never follows its requests there.
var ErrCrossHostRedirect = errors.New("redirect to another host refused")

// ErrTooManyRedirects is returned (wrapped) after MaxRedirects redirects.
var ErrTooManyRedirects = errors.New("too many redirects")

// Doer sends matrix.Requests with an *http.Client. The zero value uses a
// fresh client with no timeout: bound each request with its context.
//
// Whatever Client's own CheckRedirect says, Doer refuses a redirect that
// changes host or scheme, and follows at most MaxRedirects same-host ones.
type Doer struct {
	// Client sends the requests; nil means a client with default settings
	// (http.DefaultTransport).
	Client *http.Client
}

var _ matrix.Doer = Doer{}

// Do sends req and reads the whole response body, at most
// matrix.MaxBodyBytes of it. It returns matrix.ErrBodyTooLarge (and no
// Response) when the body is larger, and an error wrapping ctx's error when
// ctx ends before the body is read. Response headers are copied with
// lower-case keys, keeping the first value of each.
func (d Doer) Do(ctx context.Context, req *matrix.Request) (*matrix.Response, error) {
	if req == nil {
		return nil, errors.New("nethttp: nil request")
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	hreq, err := http.NewRequestWithContext(ctx, method, req.URL, body)
	if err != nil {
		return nil, err
	}
	for k, v := range req.Header {
		hreq.Header.Set(k, v)
	}

	client := d.client()
	hresp, err := client.Do(hreq)
	if err != nil {
		return nil, withContext(ctx, err)
	}
	defer hresp.Body.Close()

	b, err := io.ReadAll(io.LimitReader(hresp.Body, matrix.MaxBodyBytes+1))
	if err != nil {
		return nil, withContext(ctx, fmt.Errorf("reading the body of %s %s: %w", method, req.URL, err))
	}
	if len(b) > matrix.MaxBodyBytes {
		return nil, matrix.ErrBodyTooLarge
	}

	h := make(matrix.Header, len(hresp.Header))
	for k, vs := range hresp.Header {
		if len(vs) > 0 {
			h[strings.ToLower(k)] = vs[0]
		}
	}
	return &matrix.Response{Status: hresp.StatusCode, Header: h, Body: b}, nil
}

// client returns a shallow copy of d.Client (or a default client) whose
// CheckRedirect enforces the same-host policy before the caller's own.
func (d Doer) client() *http.Client {
	var c http.Client
	if d.Client != nil {
		c = *d.Client
	}
	next := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 {
			first := via[0].URL
			if !strings.EqualFold(req.URL.Host, first.Host) || !strings.EqualFold(req.URL.Scheme, first.Scheme) {
				return fmt.Errorf("%w: %s://%s to %s://%s", ErrCrossHostRedirect,
					first.Scheme, first.Host, req.URL.Scheme, req.URL.Host)
			}
		}
		if len(via) > MaxRedirects {
			return ErrTooManyRedirects
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	return &c
}

// withContext makes sure an error caused by the end of ctx matches ctx's
// error with errors.Is, whatever net/http reported.
func withContext(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}
