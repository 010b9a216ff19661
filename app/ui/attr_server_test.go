//go:build !wasm

package ui

import (
	"html"
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/config"
)

func TestSafeAttr(t *testing.T) {
	for _, s := range []string{
		`evil"'x'><plaintext>`,
		`a&amp;b`,
		`C:\path`,
		"tab\there\nline\x00nul\x7f",
		"bidi\u202eoverride\u200bzero",
		"bad\xffbyte",
		"c1\u0085control",
		"ünïcödé ✓ 日本",
		"",
		"plain",
	} {
		t.Run(strconv.Quote(s), func(t *testing.T) {
			got := SafeAttr(s)
			if q := strconv.Quote(got); q != `"`+got+`"` {
				t.Errorf("strconv.Quote changes %q into %s", got, q)
			}
			// What no reference can carry becomes U+FFFD, as browsers
			// show it.
			want := strings.Map(func(r rune) rune {
				if r == 0 || r >= 0x80 && r <= 0x9f {
					return '\ufffd'
				}
				return r
			}, strings.ToValidUTF8(s, "\ufffd"))
			if back := html.UnescapeString(got); back != want {
				t.Errorf("decodes to %q, want %q", back, want)
			}
		})
	}

	t.Run("plain text is left as it is", func(t *testing.T) {
		for _, s := range []string{"https://example.org/a/b?c=d", "ünïcödé ✓", "/web/icon.svg"} {
			if got := SafeAttr(s); got != s {
				t.Errorf("SafeAttr(%q) = %q", s, got)
			}
		}
	})
}

func TestPreRenderedValues(t *testing.T) {
	const payload = `evil"'x'><plaintext>`
	t.Run("an input's value, a link and the logo decode to the untrusted text", func(t *testing.T) {
		r := &Register{Config: Config{ServerName: "example.org"}}
		r.Config.Operator.Brand.Logo = "https://cdn.example.org/" + payload
		r.Config.Operator.Texts.Footer = []config.Link{{Label: config.Text("x"), URL: "https://example.org/" + payload}}
		page := app.HTMLString(app.Div().Body(
			field{ID: "token", Label: "Token", Type: "text", Value: payload}.render(),
			r.Render(),
		))
		if strings.Contains(page, "<plaintext") {
			t.Fatalf("the markup broke out: %s", page)
		}
		for _, want := range []string{
			`value="` + SafeAttr(payload) + `"`,
			`src="` + SafeAttr(r.Config.Operator.Brand.Logo) + `"`,
			`href="` + SafeAttr(r.Config.Operator.Texts.Footer[0].URL) + `"`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("no %s in %s", want, page)
			}
		}
	})
}
