package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// From 320 px wide to desktop: no horizontal scroll and every control fully
// on screen, in English and in Arabic (right to left), on the form with
// errors, a stage and the success panel; and text at 200 % loses nothing.
func TestA11yLayout(t *testing.T) {
	for _, l := range a11yLangs {
		t.Run(l.Name, func(t *testing.T) {
			lang := l.Lang
			hs := tesths.Start(t, tesths.Config{
				Flows:  [][]string{{"m.login.terms", "m.login.dummy"}},
				Params: termsParams,
			})
			hs.AddUser("taken", "some password 123")
			s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
			ctx := NewBrowser(t)
			setLanguage(t, ctx, l.Accept)
			setViewport(t, ctx, 320, 640, true)
			do(t, ctx, chromedp.Navigate(s.URL+"/"))
			waitReady(t, ctx)

			checkFits(t, ctx, "the empty form at 320 px")
			// A long name that fails the grammar, a taken name, long
			// passwords: the longest messages of the form.
			typeInto(t, ctx, "username", "Taken")
			waitText(t, ctx, "#username-error", msg(t, lang, "username.upper", "taken"))
			typeInto(t, ctx, "password", "abc")
			typeInto(t, ctx, "confirm", "abd\r")
			waitText(t, ctx, "#confirm-error", msg(t, lang, "confirm.mismatch"))
			checkFits(t, ctx, "the form with errors at 320 px")
			checkTextZoom(t, ctx, "the form with errors", []int64{640, 1280})

			clearInput(t, ctx, "username")
			clearInput(t, ctx, "password")
			clearInput(t, ctx, "confirm")
			typeInto(t, ctx, "username", "a.rather.long.username-that-wraps_on.small.screens")
			typeInto(t, ctx, "password", "a good long password")
			typeInto(t, ctx, "confirm", "a good long password\r")
			checkStage(t, ctx, lang, "m.login.terms", "stage.terms")
			checkFits(t, ctx, "the terms stage at 320 px")
			checkTextZoom(t, ctx, "the terms stage", []int64{640, 1280})

			click(t, ctx, eval[string](t, ctx, `document.querySelectorAll("#terms input[type=checkbox]")[0].id`))
			click(t, ctx, eval[string](t, ctx, `document.querySelectorAll("#terms input[type=checkbox]")[1].id`))
			waitJS(t, ctx, `!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
			click(t, ctx, "terms-continue")
			waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
			checkFits(t, ctx, "the success panel at 320 px")
			checkTextZoom(t, ctx, "the success panel", []int64{640, 1280})
		})
	}
}

// prefers-color-scheme switches the palette, and prefers-reduced-motion
// stops every transition and animation, pseudo-elements included: the
// loading bar (go-app's loader, restyled) is one. The loading state, held
// by never answering the request for app.wasm, also passes axe-core.
func TestA11yColorSchemeAndMotion(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	ctx := NewBrowser(t)
	// The download of app.wasm is held (never released): the page stays
	// in its loading state.
	holdWASM(t, ctx)
	do(t, ctx, chromedp.Navigate(s.URL+"/"))
	waitJS(t, ctx, `document.getElementById("app-wasm-loader") !== null && document.getElementById("signup") !== null`, "the loading bar")

	bg := func() string { return eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`) }
	setMedia(t, ctx, "light", "no-preference")
	light := bg()
	setMedia(t, ctx, "dark", "no-preference")
	dark := bg()
	if light != "rgb(247, 247, 251)" || dark != "rgb(21, 20, 27)" {
		t.Errorf("body background light %s, dark %s: prefers-color-scheme is not followed", light, dark)
	}

	const moving = `(() => { const out = [];
		for (const e of document.querySelectorAll("*")) for (const p of [null, "::before", "::after"]) {
			const s = getComputedStyle(e, p);
			const d = s.transitionDuration.split(",").concat(s.animationDuration.split(",")).map(parseFloat);
			if (d.some(x => x > 0) && (s.transitionProperty !== "none" || s.animationName !== "none"))
				out.push((e.id || e.tagName) + (p || "") + " " + s.transitionDuration + "/" + s.animationName);
		} return out; })()`
	setMedia(t, ctx, "light", "no-preference")
	if m := eval[[]string](t, ctx, moving); len(m) == 0 {
		t.Error("nothing moves on the loading page without reduced motion: the test would not see a transition")
	}
	setMedia(t, ctx, "light", "reduce")
	if m := eval[[]string](t, ctx, moving); len(m) > 0 {
		t.Errorf("with prefers-reduced-motion: reduce, these still move: %q", m)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#app-wasm-loader [role=progressbar][aria-label][aria-valuenow]").length`); n != 1 {
		t.Error("the loading bar has no labelled progressbar with a value")
	}
	checkAxe(t, ctx, "the loading page (before the app takes over)")
}

// setViewport emulates a window of w×h CSS pixels (mobile: a phone's
// viewport meta handling).
func setViewport(t *testing.T, ctx context.Context, w, h int64, mobile bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: w, Height: h, DeviceScaleFactor: 1, Mobile: mobile,
	}); err != nil {
		t.Fatalf("emulating a %dx%d window: %v", w, h, err)
	}
}

// setMedia emulates prefers-color-scheme and prefers-reduced-motion.
func setMedia(t *testing.T, ctx context.Context, scheme, motion string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: scheme},
			{Name: "prefers-reduced-motion", Value: motion},
		},
	}); err != nil {
		t.Fatal(err)
	}
}

// fitsJS lists what does not fit the window horizontally: the page's own
// horizontal scroll, and every visible control, label, heading or text
// block that sticks out of the window or clips its text.
const fitsJS = `(() => {
	const out = [], w = document.documentElement.clientWidth;
	if (document.documentElement.scrollWidth > w) out.push("page scrollWidth " + document.documentElement.scrollWidth + " > " + w);
	for (const e of document.querySelectorAll("#signup input, #signup button, #signup a, #signup label, #signup h1, #signup p, #signup li")) {
		const r = e.getBoundingClientRect();
		if (r.width === 0 || r.height === 0 || e.closest(".sr-only")) continue;
		const name = e.tagName + (e.id ? "#" + e.id : "") + " " + JSON.stringify((e.textContent || e.value || "").slice(0, 30));
		if (r.left < -0.5 || r.right > w + 0.5) out.push(name + " spans " + Math.round(r.left) + ".." + Math.round(r.right) + " of " + w);
		if ((e.tagName === "BUTTON" || e.tagName === "LABEL" || e.tagName === "H1" || e.tagName === "P") && e.scrollWidth > e.clientWidth + 1)
			out.push(name + " clips its text (" + e.scrollWidth + " > " + e.clientWidth + ")");
	}
	return out; })()`

// checkFits asserts that nothing sticks out of the window horizontally.
func checkFits(t *testing.T, ctx context.Context, screen string) {
	t.Helper()
	if bad := eval[[]string](t, ctx, fitsJS); len(bad) > 0 {
		t.Errorf("%s (lang %s): does not fit:\n  %s", screen, eval[string](t, ctx, `document.documentElement.lang`), strings.Join(bad, "\n  "))
	}
}

// checkTextZoom sets the root font size to 200 % at each width and asserts
// that the text did grow and that nothing sticks out or is clipped, then
// restores it and the 320 px phone window.
func checkTextZoom(t *testing.T, ctx context.Context, screen string, widths []int64) {
	t.Helper()
	before := eval[float64](t, ctx, `parseFloat(getComputedStyle(document.querySelector("#signup h1")).fontSize)`)
	for _, w := range widths {
		setViewport(t, ctx, w, 900, false)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.documentElement.style.fontSize = "200%"`))
		after := eval[float64](t, ctx, `parseFloat(getComputedStyle(document.querySelector("#signup h1")).fontSize)`)
		if after < 1.9*before {
			t.Errorf("%s at 200%% text: the heading is %.1fpx, was %.1fpx: the text does not scale", screen, after, before)
		}
		checkFits(t, ctx, fmt.Sprintf("%s at %d px with 200%% text", screen, w))
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.documentElement.style.fontSize = ""`))
	}
	setViewport(t, ctx, 320, 640, true)
}
