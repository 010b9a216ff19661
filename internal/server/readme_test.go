package server

import (
	"os"
	"strings"
	"testing"

	"signup/app/ui"
)

// readmeBlock is the first fenced block of the given language in the
// README's "Static hosting" section.
func readmeBlock(t *testing.T, lang string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "### Static hosting\n")
	if !ok {
		t.Fatal(`the README has no "Static hosting" section`)
	}
	sec, _, _ = strings.Cut(sec, "\n### ")
	_, block, ok := strings.Cut(sec, "```"+lang+"\n")
	if !ok {
		t.Fatalf("the Static hosting section has no %s block", lang)
	}
	block, _, _ = strings.Cut(block, "```")
	return block
}

func TestReadmeStaticHeaders(t *testing.T) {
	// The README's example: the homeserver https://matrix.example.org,
	// otherwise the defaults.
	c := ui.Config{HomeserverURL: "https://matrix.example.org"}

	t.Run("the nginx example sends every header the server sends, also on errors", func(t *testing.T) {
		block := readmeBlock(t, "nginx")
		for _, h := range securityHeaders(c, false) {
			if line := `add_header ` + h.name + ` "` + h.value + `" always;`; !strings.Contains(block, line) {
				t.Errorf("the nginx example lacks\n%s", line)
			}
		}
	})

	t.Run("the Caddy example sends every header the server sends with -hsts", func(t *testing.T) {
		block := readmeBlock(t, "caddyfile")
		for _, h := range securityHeaders(c, true) {
			if line := h.name + ` "` + h.value + `"`; !strings.Contains(block, line) {
				t.Errorf("the Caddy example lacks\n%s", line)
			}
		}
	})

	t.Run("both examples serve the callback page without COOP, and the rest of the headers", func(t *testing.T) {
		block := readmeBlock(t, "nginx")
		_, loc, ok := strings.Cut(block, "location = /signup/web/callback.html {")
		if !ok {
			t.Fatal("the nginx example has no location for web/callback.html")
		}
		loc, _, _ = strings.Cut(loc, "\n}")
		for _, h := range securityHeaders(c, false) {
			line := `add_header ` + h.name + ` "` + h.value + `" always;`
			if has := strings.Contains(loc, line); has != (h.name != coop) {
				t.Errorf("nginx callback location: %s present %v", h.name, has)
			}
		}
		caddy := readmeBlock(t, "caddyfile")
		if !strings.Contains(caddy, "header "+callbackPage+" {\n        -"+coop+"\n        defer\n    }") {
			t.Errorf("the Caddy example does not drop %s from %s (deferred)", coop, callbackPage)
		}
	})
}
