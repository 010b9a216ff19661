package config_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"signup/app/config"
)

// Operator texts may be given per language, a plain string staying
// valid; the page picks the user's language, then the plain string, the
// default language, English, any.
func TestLocalizedTexts(t *testing.T) {
	const src = `{"version": 1, "homeserver": {"url": "https://matrix.example.org"},
	  "languages": {"default": "de"},
	  "texts": {"title": {"en": "Join Example", "de": "Example beitreten", "ar": "انضم إلى Example"},
	    "intro": "Hello.",
	    "footer": [{"label": {"en": "Privacy", "de-DE": "Datenschutz"}, "url": "https://example.org/p"}]},
	  "registration": {"username_hint": {"fr": "Votre nom"}}}`
	c, err := config.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	def := c.Languages.Default
	for _, tc := range []struct {
		name      string
		got, want string
	}{
		{"title, German", c.Texts.Title.In("de", def), "Example beitreten"},
		{"title, German of Austria", c.Texts.Title.In("de-AT", def), "Example beitreten"},
		{"title, Arabic", c.Texts.Title.In("ar", def), "انضم إلى Example"},
		{"title, French: the default language", c.Texts.Title.In("fr", def), "Example beitreten"},
		{"title, French, no default: English", c.Texts.Title.In("fr", ""), "Join Example"},
		{"intro, a plain string: every language", c.Texts.Intro.In("ar", def), "Hello."},
		{"footer label, German by its region tag", c.Texts.Footer[0].Label.In("de", def), "Datenschutz"},
		{"hint, only French: shown in any language", c.Registration.UsernameHint.In("en", def), "Votre nom"},
		{"nothing", config.Localized(nil).In("en", def), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, tc.got, tc.want)
		}
	}

	t.Run("encoding/json reads the same", func(t *testing.T) {
		var want config.Config
		if err := json.Unmarshal([]byte(src), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c.Texts, want.Texts) || !reflect.DeepEqual(c.Registration.UsernameHint, want.Registration.UsernameHint) {
			t.Errorf("Parse: %+v\nencoding/json: %+v", c.Texts, want.Texts)
		}
	})
	t.Run("the page env round trip keeps a plain string", func(t *testing.T) {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := config.Parse(b)
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		if got := back.Texts.Intro.In("de", ""); got != "Hello." {
			t.Errorf("intro after the round trip = %q", got)
		}
	})
}

// Wrong shapes and tags are reported with their paths.
func TestLocalizedErrors(t *testing.T) {
	for _, tc := range []struct{ texts, want string }{
		{`{"title": 3}`, "texts.title: want a string or an object of languages"},
		{`{"title": {"de": 3}}`, "texts.title.de: want a string"},
		{`{"title": {"deutsch!": "x"}}`, "texts.title.deutsch!: not a language tag"},
		{`{"footer": [{"label": {"de": ""}, "url": "https://example.org/"}]}`, "texts.footer[0].label: missing"},
	} {
		_, err := config.Parse([]byte(`{"version": 1, "homeserver": {"url": "https://matrix.example.org"}, "texts": ` + tc.texts + `}`))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("texts %s: error %v, want %q", tc.texts, err, tc.want)
		}
	}
}
