package config

import (
	"fmt"
	"net/url"
	"strings"

	"signup/app/i18n"
	"signup/app/matrix"
)

// The checks below are plain loops, not regular expressions: this package
// is linked into the WASM, where every kilobyte counts.

// isColor reports #rgb, #rgba, #rrggbb or #rrggbbaa.
func isColor(s string) bool {
	if len(s) < 4 || s[0] != '#' {
		return false
	}
	switch len(s) - 1 {
	case 3, 4, 6, 8:
	default:
		return false
	}
	return allOf(s[1:], func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' })
}

// isFont reports a plain CSS font-family list (no url(), no semicolons).
func isFont(s string) bool {
	return len(s) >= 1 && len(s) <= 200 && allOf(s, func(c byte) bool { return isAlnum(c) || strings.IndexByte(" ,'\"-", c) >= 0 })
}

// isServerName reports a hostname with an optional port.
func isServerName(s string) bool {
	host, port, hasPort := strings.Cut(s, ":")
	if host == "" || len(host) > 230 || !allOf(host, func(c byte) bool { return isAlnum(c) || c == '.' || c == '-' }) {
		return false
	}
	return !hasPort || len(port) >= 1 && len(port) <= 5 && allOf(port, func(c byte) bool { return c >= '0' && c <= '9' })
}

// verbs lists the fmt verbs (%s, %d, ...) of a message, in order.
func verbs(s string) string {
	var out []byte
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] >= 'a' && s[i+1] <= 'z' {
			out = append(out, '%', s[i+1])
		}
	}
	return string(out)
}

// placeholdersOf lists the {name} placeholders of a URL template, and
// returns the template with each replaced by "x".
func placeholdersOf(s string) (names []string, bare string) {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return names, b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return names, b.String()
		}
		names = append(names, s[i:i+j+1])
		b.WriteString(s[:i] + "x")
		s = s[i+j+1:]
	}
}

func allOf(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Validate checks the values of a config and returns every problem found.
func (c *Config) Validate() error {
	var errs Errors
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	switch c.Version {
	case CurrentVersion:
	case 0:
		add("version", "missing: add \"version\": %d", CurrentVersion)
	default:
		add("version", "this build reads version %d, not %d", CurrentVersion, c.Version)
	}
	if c.Homeserver.URL == "" {
		add("homeserver.url", "missing: the homeserver's base URL or server name")
	} else if !isHomeserver(c.Homeserver.URL) {
		add("homeserver.url", "%q is neither an http(s) URL nor a server name", c.Homeserver.URL)
	}
	if p := publicURLProblem(c.PublicURL); p != "" {
		add("public_url", "%q %s", c.PublicURL, p)
	}
	if s := c.Homeserver.ServerName; s != "" && !matrix.ValidServerName(s) {
		add("homeserver.server_name", "%q is not a server name (hostname, IPv4 or [IPv6], with an optional :port)", s)
	}
	for i, ch := range c.Homeserver.Choices {
		f := fmt.Sprintf("homeserver.choices[%d]", i)
		if ch.Name == "" {
			add(f+".name", "missing")
		}
		if !isHomeserver(ch.URL) {
			add(f+".url", "%q is neither an http(s) URL nor a server name", ch.URL)
		}
		if s := ch.ServerName; s != "" && !matrix.ValidServerName(s) {
			add(f+".server_name", "%q is not a server name (hostname, IPv4 or [IPv6], with an optional :port)", s)
		}
	}
	for i, o := range c.Homeserver.TrustedOrigins {
		if !isOrigin(o) {
			add(fmt.Sprintf("homeserver.trusted_origins[%d]", i), "%q is not an origin (scheme://host[:port])", o)
		}
	}
	c.validateBrand(add)
	c.validateTexts(add)
	for i, l := range c.Languages.Enabled {
		if _, ok := i18n.Lookup(l); !ok {
			add(fmt.Sprintf("languages.enabled[%d]", i), "no catalogue for %q (have %s)", l, strings.Join(i18n.Languages(), ", "))
		}
	}
	if d := c.Languages.Default; d != "" {
		if _, ok := i18n.Lookup(d); !ok {
			add("languages.default", "no catalogue for %q (have %s)", d, strings.Join(i18n.Languages(), ", "))
		}
	}
	if s := c.Registration.RecaptchaScript; s != "" && !isAsset(s) {
		add("registration.recaptcha_script", "want an http(s) URL or a path on this site")
	}
	switch c.Registration.Method {
	case "", MethodAuto, MethodOAuth, MethodPassword:
	default:
		add("registration.method", "want auto, oauth or password")
	}
	if n := c.Registration.MinStrength; n < 0 || n > 4 {
		add("registration.min_strength", "want 0 (none) to 4 (strong)")
	}
	if len(c.Registration.DeviceName) > 100 {
		add("registration.initial_device_display_name", "longer than 100 characters")
	}
	for i, cl := range c.After.Clients {
		f := fmt.Sprintf("after_signup.clients[%d]", i)
		if cl.Name == "" {
			add(f+".name", "missing")
		}
		if cl.URL != "" {
			names, bare := placeholdersOf(cl.URL)
			if !isWebURL(bare) {
				add(f+".url", "want an http(s) URL, optionally with {user_id}, {homeserver}, {login_token}")
			}
			for _, p := range names {
				switch {
				case p == "{login_token}" && !cl.LoginToken:
					add(f+".url", "{login_token} is filled in only for a client with login_token: true: set that "+
						"(and keep the placeholder in the URL fragment, after #, which keeps the token out of "+
						"server logs and Referer headers), or remove the placeholder")
				case p != "{user_id}" && p != "{homeserver}" && p != "{login_token}":
					add(f+".url", "unknown placeholder %s", p)
				}
			}
		}
		if cl.LoginToken && !strings.Contains(cl.URL, "{login_token}") {
			add(f+".url", "login_token needs {login_token} in the URL, best in its fragment (after #), "+
				"which keeps the token out of server logs and Referer headers")
		}
	}
	if r := c.After.Redirect; r != "" && !isWebURL(r) {
		add("after_signup.redirect", "want an http(s) URL")
	}
	c.Embed.AllowedOrigins = normalizeOrigins(c.Embed.AllowedOrigins, "embed.allowed_origins", add)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func (c *Config) validateBrand(add func(string, string, ...any)) {
	b := c.Brand
	for name, v := range map[string]string{"theme_color": b.ThemeColor, "background_color": b.BackgroundColor, "accent_color": b.AccentColor} {
		if v != "" && !isColor(v) {
			add("brand."+name, "%q is not a colour: use #rgb or #rrggbb", v)
		}
	}
	if b.Font != "" && !isFont(b.Font) {
		add("brand.font", "use a CSS font-family list of names, such as \"Inter, sans-serif\"")
	}
	for name, v := range map[string]string{"logo": b.Logo, "stylesheet": b.Stylesheet,
		"icons.192": b.Icons.Icon192, "icons.512": b.Icons.Icon512, "icons.maskable": b.Icons.Maskable, "icons.svg": b.Icons.SVG} {
		if v != "" && !isAsset(v) {
			add("brand."+name, "want a path starting with / or an http(s) URL")
		}
	}
	if len(b.Name) > 80 {
		add("brand.name", "longer than 80 characters")
	}
	if len(b.ShortName) > 24 {
		add("brand.short_name", "longer than 24 characters")
	}
}

func (c *Config) validateTexts(add func(string, string, ...any)) {
	validateLocalized(c.Texts.Title, "texts.title", 200, add)
	validateLocalized(c.Texts.Intro, "texts.intro", 2000, add)
	validateLocalized(c.Registration.UsernameHint, "registration.username_hint", 500, add)
	for i, l := range c.Texts.Footer {
		f := fmt.Sprintf("texts.footer[%d]", i)
		if l.Label.In("", "") == "" {
			add(f+".label", "missing")
		}
		validateLocalized(l.Label, f+".label", 200, add)
		if !isWebURL(l.URL) && !strings.HasPrefix(l.URL, "mailto:") {
			add(f+".url", "want an http(s) or mailto: URL")
		}
		switch l.Kind {
		case "", "privacy", "terms", "conduct", "contact", "other":
		default:
			add(f+".kind", "%q: want privacy, terms, conduct, contact or other", l.Kind)
		}
	}
	en := i18n.English()
	for lang, over := range c.Texts.Overrides {
		if _, ok := i18n.Lookup(lang); !ok {
			add("texts.overrides."+lang, "no catalogue for %q (have %s)", lang, strings.Join(i18n.Languages(), ", "))
			continue
		}
		for k, v := range over {
			ref, ok := en.Messages[k]
			if !ok {
				add("texts.overrides."+lang+"."+k, "unknown message key")
				continue
			}
			if a, b := verbs(ref), verbs(v); a != b {
				add("texts.overrides."+lang+"."+k, "must keep the placeholders %s in this order", a)
			}
		}
	}
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// isAsset reports a path on this site or an http(s) URL. Control
// characters and spaces are refused: browsers drop tabs and newlines from
// URLs, so "/\t/evil.example" would become another host.
func isAsset(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] == 0x7f {
			return false
		}
	}
	return (strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, "\"'<>\\")) || isWebURL(s)
}

func isOrigin(s string) bool {
	u, err := url.Parse(s)
	return err == nil && isWebURL(s) && (u.Path == "" || u.Path == "/") && u.RawQuery == "" && u.Fragment == "" && !strings.Contains(s, "*")
}

func isHomeserver(s string) bool {
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		return err == nil && isWebURL(s) && u.RawQuery == "" && u.Fragment == ""
	}
	return isServerName(s)
}
