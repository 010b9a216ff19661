package registration

import (
	"strings"
	"testing"

	"signup/app/config"
)

func TestJudgePageServer(t *testing.T) {
	const base, name = "https://matrix.example.org", "example.org"
	choices := []config.Choice{
		{Name: "Beta", URL: "https://beta.example.net/", ServerName: "beta.example.net"},
		{Name: "Gamma", URL: "http://127.0.0.1:8009", ServerName: "gamma.test"},
	}
	open := config.Homeserver{Choices: choices, AllowCustom: true}
	closed := config.Homeserver{Choices: choices}
	none := config.Homeserver{}
	for _, tc := range []struct {
		name   string
		h      config.Homeserver
		want   string
		action pageAction
		choice string // the choice's name, for pageTake
	}{
		{"nothing asked", open, "", pageStay, ""},
		{"blanks only", open, "  ", pageStay, ""},
		{"the configured server by name", open, "example.org", pageStay, ""},
		{"the configured server by name, in capitals", none, "Example.ORG", pageStay, ""},
		{"the configured server by base URL, with a slash and the default port", none, "HTTPS://Matrix.Example.org:443/", pageStay, ""},
		{"the configured server by its host", closed, "matrix.example.org", pageStay, ""},
		{"a listed choice by base URL", closed, "https://beta.example.net", pageTake, "Beta"},
		{"a listed choice by server name, in capitals", open, "GAMMA.test", pageTake, "Gamma"},
		{"a listed choice by its host and port", open, "127.0.0.1:8009", pageTake, "Gamma"},
		{"a listed choice's URL on another port is another server", open, "http://127.0.0.1:8010", pageAsk, ""},
		{"a listed choice's URL with https is another server", open, "https://127.0.0.1:8009", pageAsk, ""},
		{"a look-alike name, custom allowed", open, "examp1e.org", pageAsk, ""},
		{"a look-alike URL, custom allowed", open, "https://matrix.examp1e.org", pageAsk, ""},
		{"the configured name under another scheme's URL is not assumed", open, "https://example.org", pageAsk, ""},
		{"a look-alike name, custom not allowed", closed, "examp1e.org", pageIgnore, ""},
		{"any server without a picker", none, "beta.example.net", pageIgnore, ""},
		{"a URL with a query is no base URL", open, "https://beta.example.net/?x=1", pageAsk, ""},
		{"a URL with user info is no base URL", closed, "https://beta.example.net@evil.example", pageIgnore, ""},
		{"control characters", open, "beta.example.net\x00", pageStay, ""},
		{"too long", open, strings.Repeat("a", 256), pageStay, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := judgePageServer(tc.h, base, name, tc.want)
			if got.action != tc.action || got.choice.Name != tc.choice {
				t.Fatalf("judgePageServer(%q) = %+v, want action %d, choice %q", tc.want, got, tc.action, tc.choice)
			}
			if (got.action == pageAsk || got.action == pageIgnore) && got.asked != strings.TrimSpace(tc.want) {
				t.Errorf("asked = %q", got.asked)
			}
		})
	}
}

func TestCanonOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://Matrix.Example.org:443/_matrix/client/v3/auth/x/fallback/web?session=a": "https://matrix.example.org",
		"http://127.0.0.1:8008/":        "http://127.0.0.1:8008",
		"http://localhost:80":           "http://localhost",
		"HTTPS://[::1]:8448":            "https://[::1]:8448",
		"https://id.example.org/":       "https://id.example.org",
		"https://a@id.example.org":      "",
		"javascript:alert(1)":           "",
		"example.org":                   "",
		"ftp://example.org":             "",
		"":                              "",
		"https://example.org:443/path/": "https://example.org",
	} {
		if got := canonOrigin(in); got != want {
			t.Errorf("canonOrigin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFallbackOrigins(t *testing.T) {
	got := fallbackOrigins("https://Matrix.Example.org:443/_matrix/client/v3/auth/m.login.terms/fallback/web?session=x",
		[]string{"https://matrix.example.org/", "https://auth.example.org", "not a url", "https://Auth.Example.org:443"})
	want := []string{"https://matrix.example.org", "https://auth.example.org"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fallbackOrigins = %q, want %q", got, want)
	}
}
