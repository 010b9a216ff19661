package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Scenario 3, user_consent with require_at_registration on Synapse: the
// terms stage shows Synapse's policy with a box linked to Synapse's own
// policy page (public_baseurl + _matrix/consent?v=1.0, served from the
// template dir), and after sign-up Synapse has recorded the user's
// consent to that version.
func TestSynapseConsent(t *testing.T) {
	sc := startSynapseScene(t, SynapseOptions{Consent: true}, "consent")
	fill(t, sc.ctx, "cora", synapsePassword)
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#stage-title", "Accept the terms")

	labels := eval[[]string](t, sc.ctx, `[...document.querySelectorAll("#terms label")].map(l => l.textContent)`)
	if strings.Join(labels, "|") != "I accept the "+SynapsePolicyName {
		t.Errorf("policy labels = %q", labels)
	}
	links := eval[[]string](t, sc.ctx, `[...document.querySelectorAll("#terms a")].map(a => a.href)`)
	if len(links) != 1 || links[0] != sc.hs.ConsentURL() {
		t.Fatalf("policy links = %q, want [%s]", links, sc.hs.ConsentURL())
	}
	t.Run("the link serves Synapse's policy page", func(t *testing.T) {
		resp, err := http.Get(links[0])
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(body), `<p id="policy">`) ||
			!strings.Contains(string(body), "Version "+SynapseConsentVersion) {
			t.Errorf("GET %s: %d %s", links[0], resp.StatusCode, body)
		}
	})

	if !eval[bool](t, sc.ctx, `document.getElementById("terms-continue").disabled`) {
		t.Error("Continue is enabled before the box is ticked")
	}
	do(t, sc.ctx, chromedp.Click(chromedp.CSS(`#terms input[type=checkbox]`)))
	waitJS(t, sc.ctx, `!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
	do(t, sc.ctx, clickStable("terms-continue"))
	sc.waitSignedUp(t, "cora", synapsePassword)

	t.Run("Synapse recorded the consent", func(t *testing.T) {
		var user struct {
			ConsentVersion *string `json:"consent_version"`
			ConsentTS      *int64  `json:"consent_ts"`
		}
		code, resp := sc.hs.Admin(t, http.MethodGet, "/_synapse/admin/v2/users/@cora:localhost", nil, &user)
		if code != 200 || user.ConsentVersion == nil || *user.ConsentVersion != SynapseConsentVersion || user.ConsentTS == nil {
			t.Errorf("admin user = %d %s, want consent_version %q and a consent_ts", code, resp, SynapseConsentVersion)
		}
	})
}
