package e2e

import (
	"strings"
	"testing"
	"time"
)

// Synapse's password policy (password_config.policy), which it publishes
// at GET /_matrix/client/v3/password_policy: the widget reads it and says
// the server's rule while the user types and on submit, in the field's
// one line, and sends nothing Synapse would refuse. (Dendrite publishes
// no policy: there the widget's own estimator advises, and Dendrite's
// refusal shows on the field.)
func TestSynapsePasswordPolicy(t *testing.T) {
	sc := startSynapseScene(t, SynapseOptions{Extra: map[string]any{
		"password_config": map[string]any{"policy": map[string]any{
			"enabled": true, "minimum_length": 16, "require_digit": true,
		}},
	}}, "password-policy")
	typeInto(t, sc.ctx, "username", "pia")
	typeInto(t, sc.ctx, "password", "short")
	waitText(t, sc.ctx, "#password-status", "at least 16 characters")
	typeInto(t, sc.ctx, "confirm", "short")
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#password-error", "at least 16 characters")
	if got := eval[string](t, sc.ctx, `document.getElementById("password-status").textContent`); got != "" {
		t.Errorf("two messages for one problem: status %q beside the error", got)
	}
	time.Sleep(300 * time.Millisecond)
	if got := sc.registerStatuses(); len(got) != 0 {
		t.Fatalf("a password the policy refuses was sent: %v", got)
	}
	more := " and a much longer one"
	typeInto(t, sc.ctx, "password", more)
	waitText(t, sc.ctx, "#password-status", "at least one digit")
	typeInto(t, sc.ctx, "password", " 7")
	good := "short" + more + " 7"
	typeInto(t, sc.ctx, "confirm", more+" 7")
	do(t, sc.ctx, clickStable("submit"))
	sc.waitSignedUp(t, "pia", good)
	for _, e := range sc.rec.Exchanges() {
		if strings.HasSuffix(e.Path, "/password_policy") {
			return
		}
	}
	t.Error("the policy was not read from Synapse")
}
