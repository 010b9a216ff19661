package config

import (
	"net/url"
	"strconv"
	"strings"
)

// normalizeOrigin returns s as a browser writes an origin
// (https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin):
// scheme and host in lower case, no default port (443 for https, 80 for
// http), no trailing slash. A value that can never equal a page's origin
// (a path, query, fragment, user name, wildcard, another scheme, a host
// not in its ASCII form) returns the reason instead.
func normalizeOrigin(s string) (origin, problem string) {
	if strings.Contains(s, "*") {
		return "", "no wildcards: list each origin"
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", "not a URL"
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "https" && scheme != "http":
		return "", "want https:// or http://"
	case u.Opaque != "" || u.Host == "":
		return "", "no host"
	case u.User != nil || strings.Contains(u.Host, "@"):
		return "", "an origin has no user name or password"
	case u.Path != "" && u.Path != "/":
		return "", "an origin has no path"
	case u.RawQuery != "" || u.ForceQuery || strings.Contains(s, "?"):
		return "", "an origin has no query"
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "", "an origin has no fragment"
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if host == "" || !allOf(host, func(c byte) bool { return isAlnum(c) || strings.IndexByte(".-:", c) >= 0 }) {
		return "", "write the host in ASCII (punycode for international names), as browsers do"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // an IPv6 address
	}
	if strings.HasSuffix(u.Host, ":") {
		return "", "an empty port"
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", "the port is not a number from 1 to 65535"
		}
		if scheme == "https" && n == 443 || scheme == "http" && n == 80 {
			port = ""
		} else {
			port = ":" + strconv.Itoa(n)
		}
	}
	return scheme + "://" + host + port, ""
}

// normalizeOrigins replaces each of origins by its normal form, drops
// duplicates, and reports what cannot match through add, by index under
// field.
func normalizeOrigins(origins []string, field string, add func(string, string, ...any)) []string {
	if len(origins) == 0 {
		return origins
	}
	out := make([]string, 0, len(origins))
	seen := map[string]bool{}
	for i, o := range origins {
		n, problem := normalizeOrigin(o)
		if problem != "" {
			add(field+"["+strconv.Itoa(i)+"]", "%q can never match a page's origin (scheme://host[:port]): %s", o, problem)
			continue
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
