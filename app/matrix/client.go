package matrix

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"
)

// Client calls the Matrix client-server API of one homeserver through a Doer.
// It holds no credentials: the widget only registers.
type Client struct {
	// BaseURL is the homeserver's client-server API base URL, such as
	// "https://matrix.example.org", without a trailing slash.
	BaseURL string
	// Doer sends the requests: fetch in the browser, net/http natively.
	Doer Doer
	// Now returns the current time; nil means time.Now. Used for
	// Retry-After dates.
	Now func() time.Time
}

// NewClient returns a Client for baseURL (a trailing slash is dropped).
func NewClient(baseURL string, d Doer) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Doer: d}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// URL returns the absolute URL of an API path with an optional query.
func (c *Client) URL(path string, query url.Values) string {
	u := c.BaseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// call sends one JSON request and decodes a 2xx JSON answer into out (when
// out is not nil). Any other answer becomes an *Error (a Matrix error body),
// a *ResponseError (not what the spec prescribes) or a *NetworkError.
func (c *Client) call(ctx context.Context, op, method, path string, query url.Values, in, out any) error {
	req := &Request{Method: method, URL: c.URL(path, query), Header: Header{"accept": "application/json"}}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		req.Body = b
		req.Header.Set("Content-Type", "application/json")
	}
	return send(ctx, c.Doer, op, req, out, func(r *Response) error { return c.parseError(op, r) })
}

// send carries out req through d and decodes a 2xx JSON answer into out
// (when out is not nil); any other answer is fail's to read. A request
// that never got an answer is a *NetworkError.
func send(ctx context.Context, d Doer, op string, req *Request, out any, fail func(*Response) error) error {
	resp, err := d.Do(ctx, req)
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) {
			return &ResponseError{Op: op, Reason: "body too large", Err: err}
		}
		return &NetworkError{Op: op, Err: err}
	}
	if resp.Status >= 200 && resp.Status < 300 {
		if out == nil {
			return nil
		}
		if err := decodeJSON(resp.Body, out); err != nil {
			return &ResponseError{Op: op, Status: resp.Status, Reason: "not the JSON the spec prescribes", Err: err}
		}
		return nil
	}
	return fail(resp)
}

// errorBody is the standard error response, plus the UIAA fields a 401 may
// carry. See https://spec.matrix.org/v1.16/client-server-api/#standard-error-response.
type errorBody struct {
	Errcode      string `json:"errcode"`
	Error        string `json:"error"`
	RetryAfterMS int64  `json:"retry_after_ms"`
	AuthInfo
}

// maxMessage caps how much of a server's error text is kept.
const maxMessage = 500

func (c *Client) parseError(op string, resp *Response) error {
	e := &Error{Status: resp.Status}
	var body errorBody
	if err := decodeJSON(resp.Body, &body); err != nil {
		if resp.Status == 429 {
			e.Code = CodeLimitExceeded
			e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
			return e
		}
		return &ResponseError{Op: op, Status: resp.Status, Reason: "the answer is not JSON", Err: err}
	}
	e.Code = body.Errcode
	e.Message = truncate(body.Error, maxMessage)
	if d := parseRetryAfter(resp.Header.Get("Retry-After"), c.now()); d > 0 {
		e.RetryAfter = d
	} else if body.RetryAfterMS > 0 {
		e.RetryAfter = retryAfterMS(body.RetryAfterMS)
	}
	if resp.Status == 429 && e.Code == "" {
		e.Code = CodeLimitExceeded
	}
	if resp.Status == 401 && body.Flows != nil {
		info := body.AuthInfo
		if err := info.validate(); err != nil {
			return &ResponseError{Op: op, Status: resp.Status, Reason: "invalid authentication flows", Err: err}
		}
		info.Errcode, info.Error = e.Code, e.Message
		e.Auth = &info
	}
	if e.Code == "" && e.Auth == nil {
		return &ResponseError{Op: op, Status: resp.Status, Reason: "an error without errcode"}
	}
	return e
}

// decodeJSON decodes one JSON value into out and rejects trailing data.
func decodeJSON(b []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(out); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n] + "…"
}
