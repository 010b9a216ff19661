package e2e

import (
	"testing"

	"signup/e2e/tesths"
)

// The axe-core harness finds violations when there are some: an image
// without a text alternative and low-contrast text, injected into the
// widget's page, are reported (so a run that reports nothing means
// something).
func TestA11yAxeHarnessDetects(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	ctx := openWidget(t, s, "en", "/")
	if vs := axeRun(t, ctx); len(vs) != 0 {
		t.Fatalf("violations on the clean form: %v", vs)
	}
	eval[bool](t, ctx, `(() => { const m = document.getElementById("signup");
		const i = document.createElement("img"); i.src = "/web/icon.svg"; m.appendChild(i);
		const p = document.createElement("p"); p.textContent = "faint"; p.style.color = "#ddd"; p.style.background = "#fff"; m.appendChild(p);
		return true; })()`)
	found := map[string]bool{}
	for _, v := range axeRun(t, ctx) {
		found[v.ID] = true
	}
	for _, id := range []string{"image-alt", "color-contrast"} {
		if !found[id] {
			t.Errorf("axe-core did not report %s on a page that has one; found %v", id, found)
		}
	}
}
