package ui

import (
	"testing"

	"signup/app/config"
	"signup/app/i18n"
)

// The operator's texts in the user's language: the heading, the intro,
// the username hint and the footer labels; in an Arabic page an English
// text is isolated, so its period stays at its own end.
func TestOperatorTextsInTheUsersLanguage(t *testing.T) {
	op := config.Config{
		Languages: config.Languages{Default: "en"},
		Texts: config.Texts{
			Title:  config.Localized{"en": "Join Acme", "de": "Acme beitreten"},
			Intro:  config.Localized{"en": "Welcome.", "de": "Willkommen."},
			Footer: []config.Link{{Label: config.Localized{"en": "Privacy", "de": "Datenschutz"}, URL: "https://example.org/p"}},
		},
		Registration: config.Registration{UsernameHint: config.Localized{"de": "Dein Name"}},
	}
	de, _ := i18n.Lookup("de")
	r := &Register{Config: Config{Operator: op}, t: de}
	for what, got := range map[string][2]string{
		"heading":      {r.heading(), "Acme beitreten"},
		"intro":        {r.intro(), "Willkommen."},
		"hint":         {r.usernameHint(), "Dein Name"},
		"footer label": {r.opText(op.Texts.Footer[0].Label), "Datenschutz"},
	} {
		if got[0] != got[1] {
			t.Errorf("German %s = %q, want %q", what, got[0], got[1])
		}
	}
	ar, _ := i18n.Lookup("ar")
	r.t = ar
	if got, want := r.intro(), "\u2068Welcome.\u2069"; got != want {
		t.Errorf("Arabic page, English intro = %q, want %q (isolated)", got, want)
	}
}
