package server

import (
	"encoding/json"
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"signup/app/config"
	"signup/app/ui"
)

// attackPayload broke out of a pre-rendered <meta content> as a server name:
// go-app quotes attribute values with strconv.Quote, which does not
// HTML-escape.
const attackPayload = `evil"'x'><plaintext>`

// hostileConfig puts attackPayload into every operator field the
// validation lets it into.
func hostileConfig() config.Config {
	p := attackPayload
	return config.Config{
		Version: config.CurrentVersion,
		Homeserver: config.Homeserver{
			URL:         "https://hs.example.org",
			Choices:     []config.Choice{{Name: p, URL: "https://hs.example.org"}, {Name: "Other " + p, URL: "https://other.example.org"}},
			AllowCustom: true,
		},
		Brand: config.Brand{
			Name: p, ShortName: p,
			Logo:       "https://cdn.example.org/logo/" + p + ".svg",
			Stylesheet: "https://cdn.example.org/css/" + p + ".css",
			Icons: config.Icons{
				Icon192: "https://cdn.example.org/192/" + p, Icon512: "https://cdn.example.org/512/" + p,
				Maskable: "https://cdn.example.org/m/" + p, SVG: "https://cdn.example.org/svg/" + p,
			},
		},
		Texts: config.Texts{
			Title: config.Text(p), Intro: config.Text(p),
			Footer: []config.Link{
				{Label: config.Text(p), URL: "https://example.org/privacy/" + p, Kind: "privacy"},
				{Label: config.Text(p), URL: "mailto:" + p, Kind: "contact"},
			},
			Overrides: map[string]map[string]string{"en": {"username": p, "password": p, "submit": p}},
		},
		Registration: config.Registration{UsernameHint: config.Text(p), Guests: true},
	}
}

// tagRe and attrValRe are a small HTML reader: enough to find each start
// tag and its double-quoted attributes, which is all go-app writes.
var (
	tagRe     = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*")?)*)\s*/?>`)
	attrValRe = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?`)
)

// attrValues lists every attribute value of the page, decoded as a browser
// would, by "tag attr".
func attrValues(page string) map[string][]string {
	out := map[string][]string{}
	for _, m := range tagRe.FindAllStringSubmatch(page, -1) {
		for _, a := range attrValRe.FindAllStringSubmatch(m[2], -1) {
			k := strings.ToLower(m[1]) + " " + a[1]
			out[k] = append(out[k], html.UnescapeString(a[2]))
		}
	}
	return out
}

func TestPreRenderedAttributesCarryHostileText(t *testing.T) {
	p := attackPayload
	op := hostileConfig()

	t.Run("validation lets the payload into these fields", func(t *testing.T) {
		if err := op.Validate(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("validation refuses it as a server name", func(t *testing.T) {
		c := hostileConfig()
		c.Homeserver.ServerName = p
		c.Homeserver.Choices[1].ServerName = p
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), "homeserver.server_name") || !strings.Contains(err.Error(), "homeserver.choices[1].server_name") {
			t.Fatalf("got %v", err)
		}
	})

	cfg := ui.Config{HomeserverURL: "https://hs.example.org", ServerName: "example.org", Operator: op}
	h, err := New(Options{Config: cfg, WebDir: webDir})
	if err != nil {
		t.Fatal(err)
	}
	// New registers the page with go-app's global router: give the
	// other tests theirs back.
	t.Cleanup(func() { ui.Routes(testConfig(), nil) })

	q := url.Values{}
	for _, k := range []string{"token", "homeserver", "username", "email_confirmed", "lang", "server_name", "session", "sid", "client_secret", "loginToken", "state", "code", "error", "error_description"} {
		q.Set(k, p)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/?"+q.Encode(), nil))
	page := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}

	t.Run("no markup of the payload's reaches the page", func(t *testing.T) {
		// Outside attribute values, that is: go-app's head fields keep a
		// literal < inside a quoted <meta content>, where it is text.
		bare := tagRe.ReplaceAllStringFunc(page, func(tag string) string {
			return regexp.MustCompile(`="[^"]*"`).ReplaceAllString(tag, `=""`)
		})
		if i := strings.Index(strings.ToLower(bare), "<plaintext"); i >= 0 {
			t.Fatalf("the page carries <plaintext>: ...%s...", bare[max(0, i-200):i+20])
		}
		for _, m := range tagRe.FindAllStringSubmatch(page, -1) {
			if strings.EqualFold(m[1], "plaintext") {
				t.Fatalf("a <plaintext> element: %s", m[0])
			}
		}
		if strings.Contains(page, `"'x'`) {
			t.Error("the payload's quote is in the page as it is")
		}
	})

	attrs := attrValues(page)
	has := func(key, want string) bool {
		for _, v := range attrs[key] {
			if v == want {
				return true
			}
		}
		return false
	}

	t.Run("attributes the widget draws decode to the operator's exact text", func(t *testing.T) {
		for key, want := range map[string]string{
			"img src": op.Brand.Logo,
			"a href":  op.Texts.Footer[0].URL,
		} {
			if !has(key, want) {
				t.Errorf("no %s=%q; got %q", key, want, attrs[key])
			}
		}
		if !has("a href", op.Texts.Footer[1].URL) {
			t.Errorf("no a href=%q; got %q", op.Texts.Footer[1].URL, attrs["a href"])
		}
	})

	t.Run("go-app's head fields keep their meaning: URLs percent-encoded, text with typographic quotes", func(t *testing.T) {
		for _, u := range []string{op.Brand.Stylesheet, op.Brand.Icons.SVG, op.Brand.Icons.Maskable} {
			if !has("link href", headURL(u)) {
				t.Errorf("no link href=%q; got %q", headURL(u), attrs["link href"])
			}
			if back, err := url.PathUnescape(headURL(u)); err != nil || back != u {
				t.Errorf("%q decodes to %q, %v", headURL(u), back, err)
			}
		}
		if !has("img src", headURL(op.Brand.Icons.Icon192)) {
			t.Errorf("the loader icon is not %q: %q", headURL(op.Brand.Icons.Icon192), attrs["img src"])
		}
		if !has("meta content", headURL(op.Brand.Icons.Icon512)) {
			t.Errorf("og:image is not %q: %q", headURL(op.Brand.Icons.Icon512), attrs["meta content"])
		}
		title := `evil”'x'><plaintext> · evil”'x'><plaintext>`
		if !has("meta content", title) {
			t.Errorf("og:title is not %q: %q", title, attrs["meta content"])
		}
		if !strings.Contains(page, "<title>"+html.EscapeString(title)+"</title>") {
			t.Errorf("<title> is not %q", title)
		}
		if !has("meta content", "Create a Matrix account on example.org") {
			t.Errorf("no description: %q", attrs["meta content"])
		}
	})

	t.Run("the manifest has the operator's names exactly", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/manifest.webmanifest", nil))
		var m struct {
			Name      string `json:"name"`
			ShortName string `json:"short_name"`
			Icons     []struct {
				Src string `json:"src"`
			} `json:"icons"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		if m.Name != p || m.ShortName != p {
			t.Errorf("got %+v", m)
		}
		for _, ic := range m.Icons {
			if strings.ContainsAny(ic.Src, `"<>&\`) {
				t.Errorf("icon %q", ic.Src)
			}
		}
	})

	t.Run("the text the operator wrote is shown as written", func(t *testing.T) {
		if n := strings.Count(page, html.EscapeString(p)); n < 5 {
			t.Errorf("the escaped payload shows %d times, want the brand, title, intro, hint, labels", n)
		}
	})
}
