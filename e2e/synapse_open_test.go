package e2e

import (
	"testing"
)

// Scenario 1, open registration on Synapse (enable_registration with
// enable_registration_without_verification): the only flow is
// m.login.dummy, which the widget completes by itself; the account logs in
// with the password typed in the form.
func TestSynapseOpenDummy(t *testing.T) {
	sc := startSynapseScene(t, SynapseOptions{}, "open-dummy")
	fill(t, sc.ctx, "olga", synapsePassword)
	do(t, sc.ctx, clickStable("submit"))
	sc.waitSignedUp(t, "olga", synapsePassword)
	noDialogs(t, sc.ctx)
	if got := sc.registerStatuses(); len(got) != 2 || got[0] != 401 || got[1] != 200 {
		t.Errorf("register statuses = %v, want [401 200]", got)
	}
}
