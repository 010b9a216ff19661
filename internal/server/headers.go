package server

import (
	"net/http"
	"strings"
)

// withHeaders sets the security headers on every response: a strict
// Content-Security-Policy (scripts from self only, WASM compilation allowed,
// requests only to self and the homeserver, framing by self only),
// nosniff, no referrer, and a Permissions-Policy that turns off what a
// sign-up form never needs.
func withHeaders(h http.Handler, homeserver string) http.Handler {
	csp := strings.Join([]string{
		"default-src 'self'",
		"script-src 'self' 'wasm-unsafe-eval'",
		"style-src 'self'",
		"img-src 'self' data:",
		"connect-src 'self' " + origin(homeserver),
		"frame-ancestors 'self'",
		"base-uri 'none'",
		"form-action 'self'",
		"object-src 'none'",
	}, "; ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin-allow-popups")
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=63072000")
		}
		h.ServeHTTP(w, r)
	})
}
