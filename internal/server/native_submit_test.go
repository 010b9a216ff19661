package server

import (
	"regexp"
	"strings"
	"testing"
)

// formRe finds the pre-rendered sign-up form, inputRe its inputs.
var (
	formRe  = regexp.MustCompile(`(?s)<form\b[^>]*id="signup-form"[^>]*>.*?</form>`)
	inputRe = regexp.MustCompile(`<input\b[^>]*>`)
	attrRe1 = regexp.MustCompile(`\s([a-z-]+)(?:="([^"]*)")?`)
)

// tagAttrs reads the attributes of one start tag.
func tagAttrs(tag string) map[string]string {
	out := map[string]string{}
	for _, a := range attrRe1.FindAllStringSubmatch(strings.TrimSuffix(strings.TrimPrefix(tag, "<"), ">"), -1) {
		out[a[1]] = a[2]
	}
	return out
}

func TestNativeSubmitCarriesNoPassword(t *testing.T) {
	page := serve("GET", "/").Body.String()
	form := formRe.FindString(page)
	if form == "" {
		t.Fatal("no signup-form in the page")
	}
	fa := tagAttrs(regexp.MustCompile(`<form\b[^>]*>`).FindString(form))

	// What a native submission (before loader.js, or with JavaScript off)
	// would send: the named inputs, in the body (post) or the URL (get,
	// the default); method="dialog" outside a <dialog> sends nothing.
	var sent []string
	var passwords int
	for _, in := range inputRe.FindAllString(form, -1) {
		a := tagAttrs(in)
		if a["type"] == "password" {
			passwords++
			if _, named := a["name"]; named {
				t.Errorf("the password input %q has a name: a native submission would send it", a["id"])
			}
			if a["autocomplete"] != "new-password" || a["id"] == "" {
				t.Errorf("the password input %s lacks the id and autocomplete password managers use", in)
			}
		}
		if n, named := a["name"]; named && n != "" {
			sent = append(sent, n)
		}
	}
	if passwords != 2 {
		t.Fatalf("%d password inputs, want password and confirm", passwords)
	}

	t.Run("a native submission of the pre-rendered form makes no request", func(t *testing.T) {
		if m := strings.ToLower(fa["method"]); m != "dialog" {
			t.Errorf("method=%q: a native submission would send %v to %q", m, sent, fa["action"])
		}
	})
	t.Run("a browser that knows no dialog method sends a GET without the password", func(t *testing.T) {
		for _, n := range sent {
			if n == "password" || n == "confirm" {
				t.Errorf("the field %q would be sent", n)
			}
		}
	})
}
