//go:build js && wasm

// Package jsfetch implements matrix.Doer in the browser with the JavaScript
// fetch API, reached only through github.com/hack-pad/safejs.
package jsfetch

import (
	"context"
	"fmt"
	"time"

	"github.com/hack-pad/safejs"

	"signup/app/matrix"
	"signup/wasm/jsutil"
)

// Doer sends requests with the global fetch function. The zero value is
// ready to use.
//
// Requests carry no cookies or other credentials, bypass the HTTP cache,
// send no Referer, and fail instead of following a redirect. Response bodies
// are read as a stream and cut off with matrix.ErrBodyTooLarge as soon as
// more than matrix.MaxBodyBytes have arrived.
type Doer struct {
	// Timeout, when positive, bounds each request, including reading the
	// response body.
	Timeout time.Duration
}

var _ matrix.Doer = Doer{}

// Do sends req and reads the whole response. It returns a nil Response and
// an error when fetch rejects (server unreachable, CORS failure, redirect),
// when the body exceeds matrix.MaxBodyBytes (errors.Is matrix.ErrBodyTooLarge)
// or when ctx ends first (errors.Is ctx.Err()); in that last case the
// request is aborted.
func (d Doer) Do(ctx context.Context, req *matrix.Request) (*matrix.Response, error) {
	var cancel context.CancelFunc
	if d.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, d.Timeout)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	// On an error return stop is not called, so cancel also aborts the
	// request: nothing keeps the connection or the body stream open.
	defer cancel()
	signal, stop, err := jsutil.NewAbortController(ctx)
	if err == nil {
		var resp *matrix.Response
		resp, err = do(ctx, signal, req)
		if err == nil {
			stop()
			return resp, nil
		}
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = ctxErr // the fetch failed because it was aborted.
	}
	return nil, fmt.Errorf("fetch %s %s failed: %w", req.Method, req.URL, err)
}

func do(ctx context.Context, signal safejs.Value, req *matrix.Request) (*matrix.Response, error) {
	headers := make(map[string]any, len(req.Header))
	for k, v := range req.Header {
		headers[k] = v
	}
	init := map[string]any{
		"method":         req.Method,
		"headers":        headers,
		"signal":         signal,
		"credentials":    "omit",
		"mode":           "cors",
		"cache":          "no-store",
		"referrerPolicy": "no-referrer",
		"redirect":       "error",
	}
	if len(req.Body) > 0 { // fetch rejects any body, even empty, on GET.
		body, err := newUint8Array(len(req.Body))
		if err != nil {
			return nil, err
		}
		if _, err := safejs.CopyBytesToJS(body, req.Body); err != nil {
			return nil, err
		}
		init["body"] = body
	}

	promise, err := safejs.Global().Call("fetch", req.URL, init)
	if err != nil {
		return nil, err
	}
	response, err := jsutil.Await(ctx, promise)
	if err != nil {
		return nil, err
	}
	status, err := getInt(response, "status")
	if err != nil {
		return nil, err
	}
	header, err := readHeaders(response)
	if err != nil {
		return nil, err
	}
	body, err := readBody(ctx, response)
	if err != nil {
		return nil, err
	}
	return &matrix.Response{Status: status, Header: header, Body: body}, nil
}

// readHeaders copies every header fetch lets us see into a matrix.Header.
// In a browser a cross-origin response only shows the CORS-safelisted
// headers and those the server lists in Access-Control-Expose-Headers.
func readHeaders(response safejs.Value) (matrix.Header, error) {
	headers, err := response.Get("headers")
	if err != nil {
		return nil, err
	}
	it, err := headers.Call("entries")
	if err != nil {
		return nil, err
	}
	h := matrix.Header{}
	for {
		next, err := it.Call("next")
		if err != nil {
			return nil, err
		}
		done, err := next.Get("done")
		if err != nil {
			return nil, err
		}
		if isDone, _ := done.Truthy(); isDone {
			return h, nil
		}
		pair, err := next.Get("value")
		if err != nil {
			return nil, err
		}
		key, err := getString(pair, 0)
		if err != nil {
			return nil, err
		}
		value, err := getString(pair, 1)
		if err != nil {
			return nil, err
		}
		h.Set(key, value)
	}
}

// readBody reads the body chunk by chunk, so that an oversized or endless
// body is cut off after matrix.MaxBodyBytes (or when ctx ends).
func readBody(ctx context.Context, response safejs.Value) ([]byte, error) {
	stream, err := response.Get("body")
	if err != nil {
		return nil, err
	}
	if stream.IsNull() || stream.IsUndefined() {
		return readArrayBuffer(ctx, response)
	}
	reader, err := stream.Call("getReader")
	if err != nil {
		return nil, err
	}
	var body []byte
	for {
		promise, err := reader.Call("read")
		if err != nil {
			return nil, err
		}
		result, err := jsutil.Await(ctx, promise)
		if err != nil {
			// Cancel the stream ourselves rather than rely on the abort
			// signal alone: Node's fetch can lose the link between the
			// signal and the request when the Request object is garbage
			// collected (nodejs/node#55428), which leaves the socket open.
			cancelReader(reader)
			return nil, err
		}
		done, err := result.Get("done")
		if err != nil {
			return nil, err
		}
		if isDone, _ := done.Truthy(); isDone {
			return body, nil
		}
		chunk, err := result.Get("value")
		if err != nil {
			return nil, err
		}
		n, err := chunk.Length()
		if err != nil {
			return nil, err
		}
		if len(body)+n > matrix.MaxBodyBytes {
			cancelReader(reader)
			return nil, matrix.ErrBodyTooLarge
		}
		start := len(body)
		body = append(body, make([]byte, n)...)
		if _, err := safejs.CopyBytesToGo(body[start:], chunk); err != nil {
			return nil, err
		}
	}
}

// cancelReader cancels the body stream, which makes fetch close the
// connection. It does not wait for the cancellation, but handles its
// promise: an unhandled rejection would be logged (and kills Node).
func cancelReader(reader safejs.Value) {
	if promise, err := reader.Call("cancel"); err == nil {
		_ = jsutil.Ignore(promise)
	}
}

// readArrayBuffer is the fallback for a response without a body stream.
func readArrayBuffer(ctx context.Context, response safejs.Value) ([]byte, error) {
	promise, err := response.Call("arrayBuffer")
	if err != nil {
		return nil, err
	}
	buf, err := jsutil.Await(ctx, promise)
	if err != nil {
		return nil, err
	}
	view, err := newUint8Array(buf)
	if err != nil {
		return nil, err
	}
	n, err := view.Length()
	if err != nil {
		return nil, err
	}
	if n > matrix.MaxBodyBytes {
		return nil, matrix.ErrBodyTooLarge
	}
	body := make([]byte, n)
	if _, err := safejs.CopyBytesToGo(body, view); err != nil {
		return nil, err
	}
	return body, nil
}

// newUint8Array returns new Uint8Array(arg).
func newUint8Array(arg any) (safejs.Value, error) {
	ctor, err := safejs.Global().Get("Uint8Array")
	if err != nil {
		return safejs.Value{}, err
	}
	return ctor.New(arg)
}

// getInt returns v[p] as an int.
func getInt(v safejs.Value, p string) (int, error) {
	prop, err := v.Get(p)
	if err != nil {
		return 0, err
	}
	return prop.Int()
}

// getString returns v[i] as a string.
func getString(v safejs.Value, i int) (string, error) {
	item, err := v.Index(i)
	if err != nil {
		return "", err
	}
	return item.String()
}
