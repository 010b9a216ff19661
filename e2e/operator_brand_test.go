package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// brandSeen is what a visitor sees of the operator's brand on the page.
type brandSeen struct {
	Name, Logo, Title, Intro, Hint, DocTitle string
	LogoLoaded                               bool
	Footer                                   [][2]string // label, href
	Accent, Bg, SubmitBg, BodyBg, Font       string
	Ready                                    string
}

const brandJS = `(() => {
	const q = (s) => document.querySelector(s);
	const txt = (s) => (q(s) ? q(s).textContent.trim() : "(missing " + s + ")");
	const root = getComputedStyle(document.documentElement);
	const logo = q(".brand__logo");
	return {
		Name: txt(".brand__name"),
		Logo: logo ? logo.getAttribute("src") : "(missing)",
		LogoLoaded: !!logo && logo.complete && logo.naturalWidth > 0,
		Title: txt("#form-title"),
		Intro: txt("#signup-form .intro"),
		Hint: txt("#username-hint"),
		DocTitle: document.title,
		Footer: [...document.querySelectorAll("footer a")].map(a => [a.textContent.trim(), a.getAttribute("href")]),
		Accent: root.getPropertyValue("--accent").trim(),
		Bg: root.getPropertyValue("--bg").trim(),
		SubmitBg: q("#submit") ? getComputedStyle(q("#submit")).backgroundColor : "(missing #submit)",
		BodyBg: getComputedStyle(document.body).backgroundColor,
		Font: getComputedStyle(document.body).fontFamily,
		Ready: String(q("#signup") && q("#signup").getAttribute("data-ready")),
	};
})()`

// The operator's brand (testdata/operator/brand.yaml) shows on the
// pre-rendered page, before any WASM, and stays once the app has taken
// over: name, logo, title, intro, username hint, footer links, accent and
// background colours, font, page title; the manifest carries the brand.
func TestOperatorBranding(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-config", operatorTestdata("brand.yaml"), "-homeserver", hs.URL)
	ctx := NewBrowser(t)

	check := func(t *testing.T, got brandSeen) {
		t.Helper()
		want := brandSeen{
			Name: "Acme Chat", Logo: "/web/icon-192.png", LogoLoaded: true,
			Title:    "Join Acme Chat",
			Intro:    "One account for every Acme room, on any Matrix app.",
			Hint:     "Pick a short lowercase name, such as your first name.",
			DocTitle: "Join Acme Chat · Acme Chat",
			Footer: [][2]string{
				{"Privacy policy", "https://acme.example.test/privacy"},
				{"Contact the admins", "mailto:admins@acme.example.test"},
			},
			Accent: "#c2185b", Bg: "#fff8e1",
			SubmitBg: "rgb(194, 24, 91)", BodyBg: "rgb(255, 248, 225)",
			Font: got.Font, Ready: got.Ready,
		}
		if !strings.HasPrefix(got.Font, "Georgia") {
			t.Errorf("body font-family = %q, want the brand's Georgia, ...", got.Font)
		}
		gb, _ := json.MarshalIndent(got, "", " ")
		wb, _ := json.MarshalIndent(want, "", " ")
		if string(gb) != string(wb) {
			t.Errorf("the page shows\n%s\nwant\n%s", gb, wb)
		}
	}

	t.Run("pre-rendered, without the WASM", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(s.URL+"/?wasm=false"))
		waitJS(t, ctx, `document.readyState === "complete" && document.getElementById("signup") !== null &&
			[...document.styleSheets].some(s => s.ownerNode && s.ownerNode.tagName === "STYLE")`, "the pre-rendered page with its inline stylesheet")
		got := eval[brandSeen](t, ctx, brandJS)
		if got.Ready == "true" {
			t.Fatalf("the app took over although ?wasm=false: this is not the pre-rendered page")
		}
		check(t, got)
		if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
			t.Errorf("pre-rendered html lang = %q, want en (languages.default)", lang)
		}
	})

	t.Run("after the app took over", func(t *testing.T) {
		opOpen(t, ctx, s.URL+"/")
		check(t, eval[brandSeen](t, ctx, brandJS))
		// The colours the app applies itself (CSSOM on <html>) agree.
		if v := eval[string](t, ctx, `document.documentElement.style.getPropertyValue("--accent")`); v != "" && v != "#c2185b" {
			t.Errorf("inline --accent = %q", v)
		}
	})

	t.Run("the theme-color and the manifest carry the brand", func(t *testing.T) {
		if tc := eval[string](t, ctx, `(document.querySelector('meta[name="theme-color"]') || {}).content || ""`); tc != "#880e4f" {
			t.Errorf(`<meta name="theme-color"> = %q, want #880e4f`, tc)
		}
		m := fetchManifest(t, s.URL)
		if m.Name != "Acme Chat" || m.ShortName != "Acme" || m.ThemeColor != "#880e4f" || m.BackgroundColor != "#fff8e1" {
			t.Errorf("manifest name/short_name/theme/background = %q/%q/%q/%q", m.Name, m.ShortName, m.ThemeColor, m.BackgroundColor)
		}
		if len(m.Icons) == 0 {
			t.Fatal("manifest has no icons")
		}
		for _, ic := range m.Icons {
			if !strings.HasPrefix(ic.Src, "/web/") {
				t.Errorf("manifest icon %q is not one of the widget's /web/ icons", ic.Src)
			}
		}
	})
	noDialogs(t, ctx)
}

// manifest is the part of the web app manifest the tests read.
type manifest struct {
	Name            string `json:"name"`
	ShortName       string `json:"short_name"`
	StartURL        string `json:"start_url"`
	Scope           string `json:"scope"`
	Display         string `json:"display"`
	ThemeColor      string `json:"theme_color"`
	BackgroundColor string `json:"background_color"`
	Icons           []struct {
		Src     string `json:"src"`
		Type    string `json:"type"`
		Sizes   string `json:"sizes"`
		Purpose string `json:"purpose"`
	} `json:"icons"`
}

// fetchManifest reads base/manifest.webmanifest.
func fetchManifest(t *testing.T, base string) manifest {
	t.Helper()
	resp, err := http.Get(base + "/manifest.webmanifest")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /manifest.webmanifest: %s", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/manifest+json") {
		t.Errorf("manifest Content-Type = %q", ct)
	}
	var m manifest
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	return m
}
