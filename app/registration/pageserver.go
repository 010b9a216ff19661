package registration

import (
	"net/url"
	"slices"
	"strings"
	"unicode"

	"signup/app/config"
)

// pageAction is what the widget does with the homeserver a page URL asks
// for (?homeserver=, which the embed snippet's data-homeserver becomes).
// The link is anyone's to write, so only the operator's own servers are
// taken without the user's word: a look-alike name must never receive a
// password under the operator's brand.
type pageAction int

const (
	// pageStay: nothing asked, an unusable value, or the configured
	// server itself.
	pageStay pageAction = iota
	// pageTake: one of the operator's choices, taken silently.
	pageTake
	// pageAsk: another server while custom ones are allowed. The picker
	// opens with it typed in, and nothing is sent to it until the user
	// clicks to use it.
	pageAsk
	// pageIgnore: another server while custom ones are not allowed. The
	// configured server stays, with a note that the link's was ignored.
	pageIgnore
)

// pageServer is the verdict on the homeserver a page URL asks for.
type pageServer struct {
	action pageAction
	choice config.Choice // pageTake: the operator's choice it names
	asked  string        // pageAsk, pageIgnore: the value, trimmed
}

// judgePageServer decides what to do with want, the ?homeserver= of the
// page, given the operator's homeserver settings and the configured
// server (its base URL and server name). want may be a base URL or a
// server name; both compare in their canonical forms (see sameServer).
func judgePageServer(h config.Homeserver, base, serverName, want string) pageServer {
	want = strings.TrimSpace(want)
	if want == "" || len(want) > 255 || strings.IndexFunc(want, unicode.IsControl) >= 0 {
		return pageServer{}
	}
	if sameServer(want, base, serverName) {
		return pageServer{}
	}
	for _, c := range h.Choices {
		if sameServer(want, c.URL, c.ServerName) {
			return pageServer{action: pageTake, choice: c}
		}
	}
	if h.AllowCustom {
		return pageServer{action: pageAsk, asked: want}
	}
	return pageServer{action: pageIgnore, asked: want}
}

// sameServer reports whether want names the server at base whose server
// name is serverName: as a URL, when its canonical base URL is base's;
// as a name, when it is serverName or base's host (case-insensitive,
// default port left out).
func sameServer(want, base, serverName string) bool {
	b := canonBase(base)
	if strings.Contains(want, "://") {
		return b != "" && canonBase(want) == b
	}
	name := strings.ToLower(want)
	if serverName != "" && name == strings.ToLower(serverName) {
		return true
	}
	u, err := url.Parse(b)
	return b != "" && err == nil && name == u.Host
}

// canonBase returns the canonical form of a homeserver base URL
// (lower-case scheme and host, no default port, no trailing slash), or ""
// when s is not an http(s) base URL.
func canonBase(s string) string {
	o := canonOrigin(s)
	if o == "" {
		return ""
	}
	u, _ := url.Parse(strings.TrimSpace(s))
	if u.RawQuery != "" || u.Fragment != "" {
		return ""
	}
	return o + strings.TrimRight(u.EscapedPath(), "/")
}

// canonOrigin returns the origin of an http(s) URL as a browser
// serialises it (event.origin, location.origin): lower-case scheme and
// host, no default port. It returns "" for anything else, a URL with user
// info included.
func canonOrigin(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || u.User != nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return ""
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if host == "" {
		return ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" && !(scheme == "https" && port == "443") && !(scheme == "http" && port == "80") {
		host += ":" + port
	}
	return scheme + "://" + host
}

// fallbackOrigins are the origins whose "authDone" finishes the stage:
// the fallback page's own (the homeserver's) and the operator's trusted
// origins, in the form event.origin takes. Any other page the popup
// reaches (a redirect elsewhere) cannot finish it.
func fallbackOrigins(href string, trusted []string) []string {
	var out []string
	for _, s := range append([]string{href}, trusted...) {
		if o := canonOrigin(s); o != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}
