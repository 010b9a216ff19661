package config_test

// Fuzz test of the operator config parser, through config.Parse only: no
// panic, no hang, every rejection a list of field errors, and what is
// accepted is safe to put in a page: links only http(s) (footer links also
// mailto:), origins, colours and fonts that cannot escape their CSS, and a
// config that parses again to the same JSON. Seeds are in
// testdata/fuzz/FuzzParse/.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"signup/app/config"
)

// isLink reports an absolute http(s) URL, by its text and by its parse.
func isLink(s string) bool {
	l := strings.ToLower(s)
	if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https")
}

func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		watchdog := time.AfterFunc(30*time.Second, func() { panic(fmt.Sprintf("config.Parse of %d bytes did not return within 30 s", len(data))) })
		defer watchdog.Stop()
		c, err := config.Parse(data)
		if err != nil {
			var es config.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("rejection is not a list of field errors: %T %v", err, err)
			}
			for _, e := range es {
				if e == nil || e.Problem == "" {
					t.Fatalf("an empty field error in %v", es)
				}
			}
			if c != nil {
				t.Fatal("both a config and an error")
			}
			return
		}
		if len(data) > config.MaxSize {
			t.Fatalf("a config of %d bytes accepted", len(data))
		}
		checkSafe(t, c)

		// What was accepted parses again, to the same config.
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := config.Parse(b)
		if err != nil {
			t.Fatalf("the accepted config does not parse again: %v\n%s", err, b)
		}
		if b2, _ := json.Marshal(again); !bytes.Equal(b, b2) {
			t.Fatalf("parse is not stable:\n%s\n%s", b, b2)
		}
	})
}

// checkSafe checks the values that reach links, requests, CSS and HTML.
func checkSafe(t *testing.T, c *config.Config) {
	t.Helper()
	if c.Version != config.CurrentVersion || c.Homeserver.URL == "" {
		t.Fatalf("version %d, homeserver %q accepted", c.Version, c.Homeserver.URL)
	}
	if strings.Contains(c.Homeserver.URL, "://") && !isLink(c.Homeserver.URL) {
		t.Fatalf("homeserver.url %q", c.Homeserver.URL)
	}
	for _, ch := range c.Homeserver.Choices {
		if strings.Contains(ch.URL, "://") && !isLink(ch.URL) {
			t.Fatalf("homeserver.choices url %q", ch.URL)
		}
	}
	if r := c.After.Redirect; r != "" && !isLink(r) {
		t.Fatalf("after_signup.redirect %q", r)
	}
	for _, cl := range c.After.Clients {
		if cl.URL == "" {
			continue
		}
		u := strings.NewReplacer("{user_id}", "x", "{homeserver}", "x", "{login_token}", "x").Replace(cl.URL)
		if !isLink(u) {
			t.Fatalf("client url %q", cl.URL)
		}
	}
	for _, l := range c.Texts.Footer {
		if !isLink(l.URL) && !strings.HasPrefix(l.URL, "mailto:") {
			t.Fatalf("footer url %q", l.URL)
		}
	}
	for _, o := range append(append([]string{}, c.Homeserver.TrustedOrigins...), c.Embed.AllowedOrigins...) {
		u, err := url.Parse(o)
		if !isLink(o) || err != nil || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || strings.Contains(o, "*") {
			t.Fatalf("origin %q", o)
		}
	}
	for _, v := range []string{c.Brand.ThemeColor, c.Brand.BackgroundColor, c.Brand.AccentColor} {
		if v != "" && strings.Trim(v, "#0123456789abcdefABCDEF") != "" {
			t.Fatalf("colour %q", v)
		}
	}
	if strings.ContainsAny(c.Brand.Font, "();{}<>\\/:@") {
		t.Fatalf("font %q can escape its CSS", c.Brand.Font)
	}
	b := c.Brand
	for _, v := range []string{b.Logo, b.Stylesheet, b.Icons.Icon192, b.Icons.Icon512, b.Icons.Maskable, b.Icons.SVG, c.Registration.RecaptchaScript} {
		if v == "" || isLink(v) {
			continue
		}
		// Browsers drop tabs and newlines anywhere in a URL: "/\t/evil.example"
		// is "//evil.example", another host.
		clean := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(v)
		if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") || strings.ContainsAny(v, "\"'<> \\") {
			t.Fatalf("asset %q", v)
		}
	}
}
