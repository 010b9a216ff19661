package config_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"signup/app/config"
)

// full sets every field of the schema.
const full = `{
  "version": 1,
  "homeserver": {"url": "https://matrix.example.org", "server_name": "example.org",
    "choices": [{"name": "Example", "url": "https://matrix.example.org", "server_name": "example.org"}],
    "allow_custom": true, "trusted_origins": ["https://id.example.org"]},
  "brand": {"name": "Example", "short_name": "Ex", "logo": "/web/logo.svg",
    "icons": {"192": "/web/i192.png", "512": "/web/i512.png", "maskable": "/web/m.png", "svg": "/web/i.svg"},
    "theme_color": "#112233", "background_color": "#fff", "accent_color": "#abcdef", "font": "Inter, sans-serif", "stylesheet": "/web/extra.css"},
  "texts": {"title": "Join us", "intro": "Hello \u00e9\n", "footer": [{"label": "Privacy", "url": "https://example.org/p", "kind": "privacy"}],
    "overrides": {"de": {"submit": "Konto erstellen"}}},
  "languages": {"default": "de", "enabled": ["de", "en"]},
  "registration": {"guests": true, "inhibit_login": true, "initial_device_display_name": "Web", "recaptcha_script": "https://www.google.com/recaptcha/api.js", "recaptcha": true, "username_hint": "Your name", "min_strength": 2, "method": "oauth", "sso": false},
  "after_signup": {"welcome": false, "clients": [{"name": "Element", "url": "https://app.element.io/#/login?loginToken={login_token}", "login_token": true}], "redirect": "https://example.org/welcome", "notify_parent": true},
  "embed": {"allowed_origins": ["https://www.example.org"]},
  "public_url": "https://signup.example.org/"
}`

// TestParseMatchesEncodingJSON checks that Parse, which decodes without
// encoding/json (it is on the WASM's start-up path), fills the same Config
// as encoding/json does, field for field.
func TestParseMatchesEncodingJSON(t *testing.T) {
	got, err := config.Parse([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	var want config.Config
	if err := json.Unmarshal([]byte(full), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("got  %+v\nwant %+v", *got, want)
	}
	if empty := zeroFields(reflect.ValueOf(want), ""); len(empty) > 0 {
		t.Fatalf("the test config leaves fields unset, so their decoding is untested: %s", strings.Join(empty, ", "))
	}
}

// zeroFields lists the struct fields under v that hold their zero value.
func zeroFields(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return []string{path}
		}
		return nil // set, even to false
	case reflect.Struct:
		var out []string
		for i := 0; i < v.NumField(); i++ {
			if !v.Type().Field(i).IsExported() {
				continue // noEq
			}
			out = append(out, zeroFields(v.Field(i), path+"."+v.Type().Field(i).Name)...)
		}
		return out
	case reflect.Slice:
		if v.Len() == 0 {
			return []string{path}
		}
		return zeroFields(v.Index(0), path+"[0]")
	}
	if v.IsZero() {
		return []string{path}
	}
	return nil
}

func TestParseErrors(t *testing.T) {
	for in, want := range map[string]string{
		"{\n  \"version\": 1,\n}": "not valid JSON: line 3, column 1",
		`{"version": 1} {}`:       "not valid JSON: line 1, column 16: data after the value",
		`{"version": 1.5, "homeserver": {"url": "example.org"}}`:                                  "version: want a whole number, got 1.5",
		`{"version": 1, "homeserver": {"url": "example.org"}, "brand": {"nmae": "x"}}`:            `brand.nmae: unknown field (did you mean "name"?)`,
		`{"version": 1, "homeserver": {"url": "example.org"}, "after_signup": {"welcome": null}}`: "after_signup.welcome: want true or false, got null",
	} {
		_, err := config.Parse([]byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s:\ngot  %v\nwant %s…", in, err, want)
		}
	}
}
