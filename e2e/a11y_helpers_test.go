package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// AxePathEnv names the environment variable that overrides the path of
// axe.min.js, by default <repo root>/.tools/npm/node_modules/axe-core/axe.min.js
// (installed, at a pinned version, by tools/axe.sh).
const AxePathEnv = "AXE_PATH"

// axePath returns where axe-core's browser build is read from.
func axePath() string {
	if p := os.Getenv(AxePathEnv); p != "" {
		return p
	}
	return filepath.Join(RepoRoot(), ".tools", "npm", "node_modules", "axe-core", "axe.min.js")
}

var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

// axeSource returns the contents of axe.min.js, read once, or fails the test
// with what to run when it is missing.
func axeSource(t testing.TB) string {
	t.Helper()
	axeOnce.Do(func() {
		b, err := os.ReadFile(axePath())
		axeSrc, axeErr = string(b), err
		if err == nil && !strings.Contains(axeSrc, "axe") {
			axeErr = fmt.Errorf("%s does not look like axe-core", axePath())
		}
	})
	if axeErr != nil {
		t.Fatalf("axe-core is missing: %v\nrun tools/axe.sh (it installs the pinned axe-core from npm into .tools/npm), or set %s to axe.min.js", axeErr, AxePathEnv)
	}
	return axeSrc
}

// axeNode is one element a rule failed on.
type axeNode struct {
	Target         []any  `json:"target"`
	HTML           string `json:"html"`
	FailureSummary string `json:"failureSummary"`
}

// axeViolation is one failed axe rule.
type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    - %v %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.FailureSummary, "\n", "\n      "))
	}
	return b.String()
}

// axeRun injects axe-core into the page (Runtime.evaluate is not subject to
// the page's Content-Security-Policy) and returns the violations of every
// rule axe runs by default, whatever their impact.
func axeRun(t *testing.T, ctx context.Context) []axeViolation {
	t.Helper()
	if !eval[bool](t, ctx, `typeof window.axe === "object" && typeof window.axe.run === "function"`) {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource(t))); err != nil {
			t.Fatalf("injecting axe-core: %v", err)
		}
	}
	// Animations and transitions would make colours transient: settle
	// them before measuring.
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`(async () => {
		document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} });
		const r = await axe.run(document, {resultTypes: ["violations"]});
		return r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300), failureSummary: n.failureSummary || ""}))}));
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	return v
}

// checkAxe asserts that axe-core finds no violation (of any impact) on the
// screen as it is, in the light and in the dark colour scheme. The scheme is
// left as it was found (light unless the test chose otherwise).
func checkAxe(t *testing.T, ctx context.Context, screen string) {
	t.Helper()
	for _, scheme := range []string{"light", "dark"} {
		setColorScheme(t, ctx, scheme)
		if got := eval[bool](t, ctx, `matchMedia("(prefers-color-scheme: dark)").matches`); got != (scheme == "dark") {
			t.Fatalf("%s: the %s colour scheme did not apply", screen, scheme)
		}
		vs := axeRun(t, ctx)
		if len(vs) == 0 {
			continue
		}
		var b strings.Builder
		for _, v := range vs {
			b.WriteString("\n  " + v.String())
		}
		t.Errorf("%s, %s theme, lang=%q: %d axe-core violation(s):%s", screen, scheme,
			eval[string](t, ctx, `document.documentElement.lang`), len(vs), b.String())
	}
	setColorScheme(t, ctx, "light")
}

// setColorScheme emulates prefers-color-scheme (and keeps reduced motion
// emulated, so nothing animates while axe measures colours).
func setColorScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: scheme},
			{Name: "prefers-reduced-motion", Value: "reduce"},
		},
	}); err != nil {
		t.Fatalf("emulating prefers-color-scheme: %s: %v", scheme, err)
	}
}

// setLanguage makes the tab ask for lang (Accept-Language and
// navigator.languages), before it navigates.
func setLanguage(t *testing.T, ctx context.Context, lang string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: "Mozilla/5.0 (X11; Linux x86_64) signup-a11y-test", AcceptLanguage: lang,
	}); err != nil {
		t.Fatalf("setting the language %s: %v", lang, err)
	}
}

// a11yLangs are the languages every a11y scenario runs in: English, and
// Arabic, right to left.
var a11yLangs = []struct{ Name, Accept, Lang, Dir string }{
	{"English", "en-GB,en", "en", "ltr"},
	{"Arabic RTL", "ar", "ar", "rtl"},
}

// openWidget opens the widget at path of s in a fresh browser that asks for
// the language accept, and waits for the app to take over.
func openWidget(t *testing.T, s *Signup, accept, path string) context.Context {
	t.Helper()
	ctx := NewBrowser(t)
	setLanguage(t, ctx, accept)
	do(t, ctx, chromedp.Navigate(s.URL+path))
	waitReady(t, ctx)
	return ctx
}

// checkLangDir asserts the page's language and direction.
func checkLangDir(t *testing.T, ctx context.Context, lang, dir string) {
	t.Helper()
	got := eval[[2]string](t, ctx, `[document.documentElement.lang, document.documentElement.dir || getComputedStyle(document.documentElement).direction]`)
	if !strings.HasPrefix(got[0], lang) || got[1] != dir {
		t.Errorf("<html lang dir> = %q, want lang %s, dir %s", got, lang, dir)
	}
}

// typeInto types text into the element with id as a user would (focus by
// chromedp.SendKeys, one key event per rune).
func typeInto(t *testing.T, ctx context.Context, id, text string) {
	t.Helper()
	do(t, ctx, chromedp.SendKeys(chromedp.ID(id), text))
}

// click activates the button (Enter) or checkbox (Space) with id. Keys
// go to the element itself, so a banner that shifts the layout (the update
// prompt) cannot make a pointer click miss.
func click(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	key := kb.Enter
	if eval[bool](t, ctx, `document.getElementById(`+js(id)+`)?.type === "checkbox"`) {
		key = " "
	}
	do(t, ctx, chromedp.SendKeys(chromedp.ID(id), key))
}

// describedBy returns the texts of the elements an element's
// aria-describedby names, joined by " | ".
func describedBy(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	return eval[string](t, ctx, `(() => { const e = document.getElementById(`+js(id)+`);
		return (e.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean)
			.map(i => { const d = document.getElementById(i); return d ? d.textContent : "<missing #" + i + ">"; }).join(" | "); })()`)
}

// liveRegion reports whether the element id is, or is inside, a live region
// (aria-live polite/assertive, or role status/alert/log/timer).
func liveRegion(t *testing.T, ctx context.Context, id string) bool {
	t.Helper()
	return eval[bool](t, ctx, `(() => { for (let e = document.getElementById(`+js(id)+`); e; e = e.parentElement) {
		const l = e.getAttribute("aria-live"), r = e.getAttribute("role");
		if (l === "polite" || l === "assertive" || ["status", "alert", "log", "timer"].includes(r)) return true;
	} return false; })()`)
}

// activeID returns the id of the focused element ("" for none or body).
func activeID(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.activeElement && document.activeElement !== document.body ? document.activeElement.id || document.activeElement.outerHTML.slice(0, 80) : ""`)
}

// expectJS waits up to d for a JavaScript expression to be truthy, and
// reports an error (the test goes on) when it is not.
func expectJS(t *testing.T, ctx context.Context, expr, what string, d time.Duration) bool {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(d)))
	if err != nil {
		t.Errorf("%s: not within %v (focus on %q)", what, d, activeID(t, ctx))
		return false
	}
	return true
}
