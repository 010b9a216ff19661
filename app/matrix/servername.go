package matrix

import "strings"

// ValidServerName reports whether s follows the spec's server-name grammar:
// a hostname (1 to 255 characters of letters, digits, "-" and "."), an IPv4
// address, or an IPv6 address in brackets, then an optional ":" and a port
// of 1 to 5 digits. A name that passes carries no character HTML, a URL or
// a user ID would treat specially. See
// https://spec.matrix.org/v1.16/appendices/#server-name.
func ValidServerName(s string) bool {
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return false
		}
		host, port = s[:end+1], s[end+1:]
		if !isIPv6Literal(host[1:end]) {
			return false
		}
	} else {
		if i := strings.IndexByte(s, ':'); i >= 0 {
			host, port = s[:i], s[i:]
		}
		// An IPv4 address is a dns-name as far as characters go.
		if len(host) < 1 || len(host) > 255 || !allBytes(host, isDNSChar) {
			return false
		}
	}
	if port == "" {
		return true
	}
	port, ok := strings.CutPrefix(port, ":")
	return ok && len(port) >= 1 && len(port) <= 5 && allBytes(port, isDigit)
}

// isIPv6Literal is the grammar's IPv6address: 2 to 45 hex digits, colons
// and dots.
func isIPv6Literal(s string) bool {
	return len(s) >= 2 && len(s) <= 45 && allBytes(s, func(c byte) bool {
		return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.'
	})
}

func isDNSChar(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '.'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}
