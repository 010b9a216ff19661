package server

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"signup/app/ui"
	"signup/internal/configfile"
)

// TestBrandNameAlone: an operator who copies config.example.yaml and
// changes brand.name alone sees the new name in the heading's page, the
// tab title, the app's short name and the device name, and "Example" in
// none of them.
func TestBrandNameAlone(t *testing.T) {
	op, err := configfile.Load("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op.Brand.Name = "Acme chat club"
	cfg := ui.Config{HomeserverURL: "https://hs.example.org", ServerName: "example.org", Operator: *op}
	h, err := New(Options{Config: cfg, WebDir: webDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ui.Routes(testConfig(), nil) })
	page := pageOf(h, "/")
	_, title, _ := strings.Cut(page, "<title>")
	title, _, _ = strings.Cut(title, "</title>")
	if title != "Create your account · Acme chat club" {
		t.Errorf("tab title %q", title)
	}
	_, heading, _ := strings.Cut(page, `<h1 id="form-title">`)
	heading, _, _ = strings.Cut(heading, "</h1>")
	if strings.Contains(heading, "Example") {
		t.Errorf("heading %q", heading)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/manifest.webmanifest", nil))
	var m struct {
		ShortName string `json:"short_name"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m.ShortName != "Acme" {
		t.Errorf("short_name %q, want Acme", m.ShortName)
	}
	if d := cfg.DeviceName(); d != "Acme chat club sign-up" {
		t.Errorf("initial_device_display_name %q", d)
	}
	if op.Brand.ShortNameOr("Acme", "") != "Acme" {
		t.Error("a short brand is its own short name")
	}
}
