package e2e

import (
	"testing"

	"signup/e2e/tesths"
)

// langSeen is what tells a visitor which language the page speaks.
type langSeen struct {
	Lang, Dir, UsernameLabel, Submit, Title string
}

const langJS = `(() => ({
	Lang: document.documentElement.getAttribute("lang") || "",
	Dir: document.documentElement.getAttribute("dir") || "",
	UsernameLabel: (document.querySelector('label[for="username"]') || {}).textContent || "(no label)",
	Submit: (document.getElementById("submit") || {}).textContent || "(no submit)",
	Title: (document.getElementById("form-title") || {}).textContent || "(no title)",
}))()`

// The UI follows the browser's languages among those the operator enabled,
// with the document's lang and dir, and the operator's overrides.
func TestOperatorLanguages(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	de, ar, en := opCatalogue(t, "de"), opCatalogue(t, "ar"), opCatalogue(t, "en")
	for _, k := range []string{"username", "submit", "title"} {
		if de[k] == "" || ar[k] == "" || de[k] == en[k] || ar[k] == en[k] {
			t.Fatalf("catalogues: %q is %q (de), %q (ar), %q (en): want translations", k, de[k], ar[k], en[k])
		}
	}
	if de["username"] != "Benutzername" {
		t.Errorf(`de.json "username" = %q, want "Benutzername"`, de["username"])
	}
	all := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")

	cases := []struct {
		name, accept string
		server       func(t *testing.T) *Signup
		want         langSeen
	}{
		{"German browser", "de-DE,de", func(*testing.T) *Signup { return all },
			langSeen{"de", "ltr", de["username"], de["submit"], de["title"]}},
		{"Arabic browser: right to left", "ar-EG,ar", func(*testing.T) *Signup { return all },
			langSeen{"ar", "rtl", ar["username"], ar["submit"], ar["title"]}},
		{"Arabic browser, only English enabled", "ar-EG,ar", func(t *testing.T) *Signup {
			cfg := opBaseConfig(hs.URL)
			cfg["languages"] = map[string]any{"enabled": []string{"en"}, "default": "en"}
			return StartSignup(t, "-config", opWriteConfig(t, cfg))
		}, langSeen{"en", "ltr", en["username"], en["submit"], en["title"]}},
		{"German browser, German submit label overridden", "de-DE,de", func(t *testing.T) *Signup {
			cfg := opBaseConfig(hs.URL)
			cfg["texts"] = map[string]any{"overrides": map[string]any{"de": map[string]any{"submit": "Jetzt beitreten"}}}
			return StartSignup(t, "-config", opWriteConfig(t, cfg))
		}, langSeen{"de", "ltr", de["username"], "Jetzt beitreten", de["title"]}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.server(t)
			ctx := opBrowserLang(t, c.accept)
			opOpen(t, ctx, s.URL+"/")
			// The app renders right after it is ready; poll for the
			// language rather than race the first render.
			waitJS(t, ctx, `document.documentElement.getAttribute("lang") === `+js(c.want.Lang)+
				` && (document.getElementById("submit") || {}).textContent === `+js(c.want.Submit), "the page in "+c.want.Lang)
			if got := eval[langSeen](t, ctx, langJS); got != c.want {
				t.Errorf("page = %+v\nwant   %+v", got, c.want)
			}
			if c.want.Dir == "rtl" {
				if d := eval[string](t, ctx, `getComputedStyle(document.getElementById("signup-form")).direction`); d != "rtl" {
					t.Errorf("the form's computed direction = %q, want rtl", d)
				}
			}
			noDialogs(t, ctx)
		})
	}
}
