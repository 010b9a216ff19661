package config

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// What follows derives from brand.name what an operator would otherwise
// have to change in several places: the short name of the installed app
// and the name of the device a sign-up leaves in the account.

// maxShortName is how long a short_name may be before launchers cut it
// (about 12 characters, as the Web App Manifest's guidance suggests).
const maxShortName = 12

// ShortNameOr is short_name when set; else name when it is short enough
// for a launcher, else name's first word (cut to 12 characters); else def.
func (b Brand) ShortNameOr(name, def string) string {
	if b.ShortName != "" {
		return b.ShortName
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return def
	}
	if utf8.RuneCountInString(name) <= maxShortName {
		return name
	}
	first := strings.Fields(name)[0]
	if utf8.RuneCountInString(first) > maxShortName {
		first = string([]rune(first)[:maxShortName])
	}
	return first
}

// DeviceNameOr is registration.initial_device_display_name when set;
// else "<name> sign-up" when there is a name; else def.
func (r Registration) DeviceNameOr(name, def string) string {
	if r.DeviceName != "" {
		return r.DeviceName
	}
	if name = strings.TrimSpace(name); name != "" {
		return name + " sign-up"
	}
	return def
}

// publicURLProblem says what is wrong with a public_url, "" when it is
// empty or an http(s) URL with a host and no query, fragment or user.
func publicURLProblem(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "":
		return "is not an http(s) URL (such as https://signup.example.org/)"
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#"):
		return "must not have a user, query or fragment"
	case strings.ContainsAny(s, "\"<>\\` "):
		return "must not contain quotes, angle brackets, backslashes or spaces"
	}
	return ""
}
