package config_test

import (
	"encoding/json"
	"strings"
	"testing"

	"signup/app/config"
)

// embedConfig is a valid config whose embed.allowed_origins are origins.
func embedConfig(origins ...string) string {
	list, _ := json.Marshal(origins)
	return `{"version": 1, "homeserver": {"url": "https://matrix.example.org"}, "embed": {"allowed_origins": ` + string(list) + `}}`
}

// The origins an operator lists are compared, as strings, with the
// parent's origin (by the widget) and written into frame-ancestors (by the
// server): they are kept in the form browsers give an origin.
func TestAllowedOriginsNormalised(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.example.org":        "https://www.example.org",
		"https://www.example.org/":       "https://www.example.org",
		"HTTPS://WWW.Example.ORG":        "https://www.example.org",
		"https://www.example.org:443":    "https://www.example.org",
		"https://www.example.org:443/":   "https://www.example.org",
		"http://www.example.org:80":      "http://www.example.org",
		"http://www.example.org:443":     "http://www.example.org:443",
		"https://www.example.org:80":     "https://www.example.org:80",
		"https://www.example.org:08443":  "https://www.example.org:8443",
		"http://127.0.0.1:8080":          "http://127.0.0.1:8080",
		"http://[::1]:8080/":             "http://[::1]:8080",
		"https://[2001:DB8::1]":          "https://[2001:db8::1]",
		"https://xn--bcher-kva.example/": "https://xn--bcher-kva.example",
	} {
		t.Run(in, func(t *testing.T) {
			c, err := config.Parse([]byte(embedConfig(in)))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Embed.AllowedOrigins; len(got) != 1 || got[0] != want {
				t.Errorf("got %q, want [%q]", got, want)
			}
		})
	}

	t.Run("the same origin written twice is listed once", func(t *testing.T) {
		c, err := config.Parse([]byte(embedConfig("https://a.example", "HTTPS://A.example:443/", "https://b.example")))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(c.Embed.AllowedOrigins, " "); got != "https://a.example https://b.example" {
			t.Errorf("got %q", got)
		}
	})

	t.Run("Validate normalises a config built in code too (the server's flags)", func(t *testing.T) {
		c := &config.Config{Version: 1, Homeserver: config.Homeserver{URL: "example.org"},
			Embed: config.Embed{AllowedOrigins: []string{"https://App.Example.org:443/"}}}
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := c.Embed.AllowedOrigins; len(got) != 1 || got[0] != "https://app.example.org" {
			t.Errorf("got %q", got)
		}
	})
}

// What can never equal a page's origin is an error with its path, never a
// silently useless entry.
func TestAllowedOriginsThatCannotMatch(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.example.org/app":       "no path",
		"https://www.example.org/?x=1":      "no query",
		"https://www.example.org?":          "no query",
		"https://www.example.org/#top":      "no fragment",
		"https://www.example.org#":          "no fragment",
		"https://user:pw@www.example.org":   "no user name or password",
		"https://user@www.example.org":      "no user name or password",
		"*":                                 "no wildcards",
		"https://*.example.org":             "no wildcards",
		"ftp://www.example.org":             "want https:// or http://",
		"chrome-extension://abcdefghijklmn": "want https:// or http://",
		"null":                              "want https:// or http://",
		"www.example.org":                   "want https:// or http://",
		"https://":                          "no host",
		"https:www.example.org":             "no host",
		"https://www.example.org:":          "an empty port",
		"https://www.example.org:70000":     "port",
		"https://bücher.example":            "ASCII",
		"https://www.exa_mple.org":          "ASCII",
		"https://www.example.org\\@evil":    "",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := config.Parse([]byte(embedConfig("https://ok.example", in)))
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, `embed.allowed_origins[1]: `) || !strings.Contains(msg, "can never match") || !strings.Contains(msg, want) {
				t.Errorf("got %q, want embed.allowed_origins[1]: … %s", msg, want)
			}
		})
	}
}
