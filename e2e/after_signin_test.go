package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// After sign-up the user can sign in elsewhere: the welcome panel shows
// the homeserver's address with a copy button that puts it on the
// clipboard and says "Copied", and the default Cinny link opens Cinny's
// login on this homeserver.
func TestAfterSignupHomeserverAddress(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-config", opWriteConfig(t, opBaseConfig(hs.URL)))
	ctx := NewBrowser(t)
	// The test reads the clipboard back: the page may, here.
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.Call(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: "granted", Origin: s.URL,
		}); err != nil {
			t.Fatalf("granting %s: %v", name, err)
		}
	}
	opOpen(t, ctx, s.URL+"/")
	opRegister(t, ctx, "carla")

	if got := eval[string](t, ctx, `document.getElementById("homeserver-url").textContent`); got != hs.URL {
		t.Errorf("homeserver address = %q, want %q", got, hs.URL)
	}
	want := "https://app.cinny.in/login/" + url.QueryEscape(hs.URL) + "/"
	if got := eval[string](t, ctx, `document.getElementById("client-cinny").getAttribute("href")`); got != want {
		t.Errorf("Cinny link = %q, want %q", got, want)
	}

	do(t, ctx, chromedp.Click(chromedp.ID("homeserver-copy")))
	waitJS(t, ctx, `document.getElementById("homeserver-copy-status").textContent !== ""`, "the copy to be announced")
	en := opCatalogue(t, "en")
	got := eval[[2]string](t, ctx, `[document.getElementById("homeserver-copy").textContent, document.getElementById("homeserver-copy-status").textContent]`)
	if got != [2]string{en["welcome.copied"], en["welcome.copied"]} {
		t.Errorf("button and status = %q, want %q in both", got, en["welcome.copied"])
	}
	if clip := opEvalAwait[string](t, ctx, `navigator.clipboard.readText()`); strings.TrimSpace(clip) != hs.URL {
		t.Errorf("clipboard = %q, want %q", clip, hs.URL)
	}
	noDialogs(t, ctx)
}

// The default logo and the focus ring follow brand.accent_color.
func TestAccentColourLogoAndFocusRing(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	cfg := opBaseConfig(hs.URL)
	cfg["brand"] = map[string]any{"accent_color": "#c0392b"}
	s := StartSignup(t, "-config", opWriteConfig(t, cfg))
	ctx := NewBrowser(t)
	opOpen(t, ctx, s.URL+"/")
	const red = "rgb(192, 57, 43)"
	tabTo(t, ctx, "username", 10)
	got := eval[[3]string](t, ctx, `(() => {
		const logo = getComputedStyle(document.querySelector(".brand__logo"));
		const u = document.getElementById("username");
		return [logo.backgroundColor, logo.maskImage || logo.webkitMaskImage, u.matches(":focus-visible") ? getComputedStyle(u).outlineColor : "(no focus ring)"];
	})()`)
	if got[0] != red || got[1] == "none" || got[1] == "" {
		t.Errorf("logo: background %q, mask %q; want %s through the mark", got[0], got[1], red)
	}
	if got[2] != red {
		t.Errorf("focus ring = %q, want %s", got[2], red)
	}
}
