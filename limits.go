package main

import (
	"net/http"
	"time"
)

// limits bound what one connection may cost the server: how long a client
// may take to send its request, how long a response may take to go out,
// how long an idle keep-alive connection is kept, and how large the
// request headers may be. Without them, a client that drips its headers,
// never reads, or just stays connected holds a goroutine and a socket for
// ever.
type limits struct {
	// ReadHeader bounds the request line and headers, however slowly
	// they arrive (a byte a second is cut off here).
	ReadHeader time.Duration
	// Read bounds the whole request; the widget's routes take no body
	// (anything but GET and HEAD is refused), so this is ReadHeader with
	// room to spare.
	Read time.Duration
	// Write bounds the whole response. It must carry app.wasm to a phone
	// on a slow link: 9.2 MB uncompressed at 1.6 Mbit/s is 46 s (brotli,
	// 1.5 MB, is 8 s), so two minutes leave room for a slower one.
	Write time.Duration
	// Idle is how long a keep-alive connection may wait for its next
	// request.
	Idle time.Duration
	// HeaderBytes caps the request headers (Go's default is 1 MiB); a
	// browser's headers for this site are well under 8 KiB.
	HeaderBytes int
}

// defaultLimits are the limits bin/signup serves with.
var defaultLimits = limits{
	ReadHeader:  10 * time.Second,
	Read:        30 * time.Second,
	Write:       2 * time.Minute,
	Idle:        60 * time.Second,
	HeaderBytes: 32 << 10,
}

// newHTTPServer returns the server for h with the limits l.
func newHTTPServer(h http.Handler, l limits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeader,
		ReadTimeout:       l.Read,
		WriteTimeout:      l.Write,
		IdleTimeout:       l.Idle,
		MaxHeaderBytes:    l.HeaderBytes,
	}
}
