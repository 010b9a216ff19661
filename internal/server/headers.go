package server

import (
	"net/http"
	"strings"

	"signup/app/matrix"
	"signup/app/ui"
)

// contentSecurityPolicy allows scripts from self (and the reCAPTCHA
// script's origins, with its frame), WASM compilation, requests to self,
// the homeserver and the origins trusted with codes, and framing by self.
func contentSecurityPolicy(c ui.Config) string {
	op := c.Operator
	connect := []string{"'self'", matrix.Origin(c.HomeserverURL)}
	for _, o := range op.Homeserver.TrustedOrigins {
		connect = appendOrigin(connect, o)
	}
	for _, ch := range op.Homeserver.Choices {
		connect = appendOrigin(connect, ch.URL)
	}
	if op.Homeserver.AllowCustom {
		// A homeserver the user types can be anywhere (plain http too
		// when the configured one is: a development setup).
		connect = append(connect, "https:")
		if strings.HasPrefix(c.HomeserverURL, "http:") {
			connect = append(connect, "http:")
		}
	}
	style := []string{"'self'"}
	img := []string{"'self'", "data:"}
	font := []string{"'self'"}
	style = appendOrigin(style, op.Brand.Stylesheet)
	font = appendOrigin(font, op.Brand.Stylesheet)
	img = appendOrigin(img, op.Brand.Logo)
	ancestors := []string{"'self'"}
	for _, o := range op.Embed.AllowedOrigins {
		ancestors = appendOrigin(ancestors, o)
	}
	script := []string{"'self'", "'wasm-unsafe-eval'"}
	var frame []string
	switch captcha := c.RecaptchaScript(); {
	case captcha == ui.DefaultRecaptchaScript:
		script = append(script, "https://www.google.com", "https://www.gstatic.com")
		frame = append(frame, "https://www.google.com", "https://recaptcha.google.com")
	case matrix.Origin(captcha) != "":
		script = append(script, matrix.Origin(captcha))
		frame = append(frame, matrix.Origin(captcha))
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + strings.Join(script, " "),
		"style-src " + strings.Join(style, " "),
		"img-src " + strings.Join(img, " "),
		"font-src " + strings.Join(font, " "),
		"connect-src " + strings.Join(connect, " "),
		"frame-src " + strings.Join(frame, " "),
		"frame-ancestors " + strings.Join(ancestors, " "),
		"base-uri 'none'",
		"form-action 'self'",
		"object-src 'none'",
	}, "; ")
}

// withHeaders sets the security headers on every response: a strict
// Content-Security-Policy (scripts from self only, WASM compilation allowed,
// requests only to self and the homeserver, framing by self only),
// nosniff, no referrer, and a Permissions-Policy that turns off what a
// sign-up form never needs. No Cross-Origin-Opener-Policy: it guards only
// against a cross-origin page that opened the widget, and Chromium answers
// it by moving the page to a new renderer process, which delayed the first
// paint of every fresh tab by about 40 ms (make bench). An operator who
// wants it adds it in front (same-origin-allow-popups keeps the fallback
// popup working).
func withHeaders(h http.Handler, c ui.Config) http.Handler {
	csp := contentSecurityPolicy(c)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=63072000")
		}
		h.ServeHTTP(w, r)
	})
}

// appendOrigin adds the origin of an http(s) URL, once.
func appendOrigin(list []string, u string) []string {
	o := matrix.Origin(u)
	if o == "" {
		return list
	}
	for _, x := range list {
		if x == o {
			return list
		}
	}
	return append(list, o)
}
