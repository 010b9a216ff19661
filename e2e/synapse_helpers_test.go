package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
)

// Helpers of the Synapse scenarios (synapse_*_test.go): a Synapse, the
// recorder in front of it and the widget pointed at the recorder.

// synapsePassword is what the scenarios type as the password.
const synapsePassword = "a good long password"

// synapseScene is one scenario's Synapse, recorder and widget tab.
type synapseScene struct {
	hs  *Synapse
	rec *Recorder
	ctx context.Context
	sig *Signup
}

// startSynapseScene starts Synapse with opts, a Recorder named scenario in
// front of it, and the widget (with args) on the recorder, open in Chromium.
func startSynapseScene(t *testing.T, opts SynapseOptions, scenario string, args ...string) *synapseScene {
	t.Helper()
	hs := StartSynapse(t, opts)
	rec := StartRecorder(t, hs.BaseURL, "synapse", "Synapse "+synapseVersion(t, hs), scenario)
	ctx, sig := startWidget(t, rec.URL, args...)
	return &synapseScene{hs: hs, rec: rec, ctx: ctx, sig: sig}
}

// startSynapseSceneConfig is startSynapseScene for a widget run with an
// operator config: config gets the recorder's URL and returns the config.
func startSynapseSceneConfig(t *testing.T, opts SynapseOptions, scenario string, config func(hs string) map[string]any) *synapseScene {
	t.Helper()
	hs := StartSynapse(t, opts)
	rec := StartRecorder(t, hs.BaseURL, "synapse", "Synapse "+synapseVersion(t, hs), scenario)
	sig := StartSignup(t, "-config", opWriteConfig(t, config(rec.URL)))
	ctx := NewBrowser(t)
	opOpen(t, ctx, sig.URL+"/")
	return &synapseScene{hs: hs, rec: rec, ctx: ctx, sig: sig}
}

// synapseVersion asks Synapse its version (GET /_synapse/admin/v1/server_version,
// which needs no access token).
func synapseVersion(t *testing.T, hs *Synapse) string {
	t.Helper()
	var v struct {
		Version string `json:"server_version"`
	}
	code, resp, err := hs.Do(http.MethodGet, "/_synapse/admin/v1/server_version", "", nil)
	if err != nil || code != http.StatusOK || json.Unmarshal(resp, &v) != nil {
		t.Fatalf("asking Synapse its version failed: %d %v %s", code, err, resp)
	}
	return v.Version
}

// waitSignedUp waits for the success panel and checks the user ID on it,
// then proves the account with a password login.
func (sc *synapseScene) waitSignedUp(t *testing.T, username, password string) {
	t.Helper()
	waitJS(t, sc.ctx, `document.getElementById("success") !== null`, "the success panel")
	if got := eval[string](t, sc.ctx, `document.getElementById("user-id").textContent`); got != "@"+username+":localhost" {
		t.Errorf("user ID on the success panel = %q", got)
	}
	if err := sc.hs.Login(t, username, password); err != nil {
		t.Errorf("the new account does not log in: %v", err)
	}
}

// registerStatuses lists the statuses of the recorded POST /register
// answers (kind=user), in order.
func (sc *synapseScene) registerStatuses() []int {
	var out []int
	for _, e := range sc.rec.Exchanges() {
		if e.Method == http.MethodPost && e.Path == "/_matrix/client/v3/register" {
			out = append(out, e.Status)
		}
	}
	return out
}
