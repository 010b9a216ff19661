package e2e

import (
	"testing"
)

// Scenario 7, registration disabled on Synapse: /register answers 403
// M_FORBIDDEN "Registration has been disabled"; the widget says
// registration is closed, with Synapse's words as a detail and the
// operator's contact link from the config's footer, and no account exists.
func TestSynapseRegistrationDisabled(t *testing.T) {
	const contact = "mailto:admins@synapse.example.test"
	sc := startSynapseSceneConfig(t, SynapseOptions{RegistrationDisabled: true}, "registration-disabled", func(hs string) map[string]any {
		cfg := opBaseConfig(hs)
		cfg["texts"] = map[string]any{"footer": []any{
			map[string]any{"label": "Contact", "url": contact, "kind": "contact"},
		}}
		return cfg
	})
	fill(t, sc.ctx, "carl", synapsePassword)
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#form-error", "Registration is closed on this server.")
	waitText(t, sc.ctx, "#form-error", "Registration has been disabled")
	if href := eval[string](t, sc.ctx, `(document.getElementById("contact") || {}).href || ""`); href != contact {
		t.Errorf("contact link = %q, want %q", href, contact)
	}
	if got := sc.registerStatuses(); len(got) != 1 || got[0] != 403 {
		t.Errorf("register statuses = %v, want [403]", got)
	}
	if err := sc.hs.Login(t, "carl", synapsePassword); err == nil {
		t.Error("carl has an account")
	}
}
