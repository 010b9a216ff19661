package e2e

import (
	"encoding/json"
	"testing"

	"signup/e2e/tesths"
)

// termsParams is the spec's m.login.terms example, in English and French.
var termsParams = map[string]any{
	"m.login.terms": map[string]any{"policies": map[string]any{
		"privacy_policy": map[string]any{
			"version": "1.2",
			"en":      map[string]any{"name": "Privacy Policy", "url": "https://example.org/privacy-1.2-en.html"},
			"fr":      map[string]any{"name": "Politique de confidentialité", "url": "https://example.org/privacy-1.2-fr.html"},
		},
		"terms_of_service": map[string]any{
			"version": "1.0",
			"en_US":   map[string]any{"name": "Terms of Service", "url": "https://example.org/tos-en.html"},
			"fr":      map[string]any{"name": "Conditions d'utilisation", "url": "https://example.org/tos-fr.html"},
		},
	}},
}

// registerAuths returns the auth dicts of the /register requests the test
// homeserver received, in order (nil for a request without auth).
func registerAuths(t *testing.T, hs *tesths.Server) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range hs.RequestsTo("POST", "/_matrix/client/v3/register") {
		var body struct {
			Auth map[string]any `json:"auth"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("register body %q: %v", r.Body, err)
		}
		out = append(out, body.Auth)
	}
	return out
}

// authTypes lists the auth types of registerAuths ("" for none).
func authTypes(auths []map[string]any) []string {
	out := make([]string, len(auths))
	for i, a := range auths {
		if a == nil {
			out[i] = "-"
			continue
		}
		s, _ := a["type"].(string)
		out[i] = s
	}
	return out
}
