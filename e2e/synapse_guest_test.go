package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Scenario 8, guests on Synapse. With allow_guest_access, "Continue as
// guest" registers a guest account (POST /register?kind=guest), which
// Synapse's admin API shows as a guest. Without it Synapse answers 403
// M_UNKNOWN "Guest access is disabled": the widget says that this server
// takes no guests (not that registration is closed, nor to try again), and
// the form stays usable for a normal account.
func TestSynapseGuests(t *testing.T) {
	t.Run("allowed", func(t *testing.T) {
		sc := startSynapseScene(t, SynapseOptions{Guests: true}, "guest-allowed", "-guests")
		do(t, sc.ctx, chromedp.Click(chromedp.ID("guest")))
		waitJS(t, sc.ctx, `document.getElementById("success") !== null`, "the success panel")
		waitText(t, sc.ctx, "#success", "guest")
		id := eval[string](t, sc.ctx, `document.getElementById("user-id").textContent`)
		var user struct {
			IsGuest bool `json:"is_guest"`
		}
		code, resp := sc.hs.Admin(t, http.MethodGet, "/_synapse/admin/v2/users/"+url.PathEscape(id), nil, &user)
		if code != 200 || !user.IsGuest {
			t.Errorf("admin user %q = %d %s, want a guest", id, code, resp)
		}
	})

	t.Run("refused", func(t *testing.T) {
		sc := startSynapseScene(t, SynapseOptions{}, "guest-refused", "-guests")
		do(t, sc.ctx, chromedp.Click(chromedp.ID("guest")))
		waitText(t, sc.ctx, "#form-error", "does not accept guest accounts")
		text := eval[string](t, sc.ctx, `document.getElementById("form-error").textContent`)
		if !strings.Contains(text, "Guest access is disabled") || strings.Contains(text, "closed") {
			t.Errorf("form error = %q, want the guest wording with Synapse's words", text)
		}
		ex := sc.rec.Exchanges()
		var answer struct {
			Code string `json:"errcode"`
		}
		if len(ex) == 0 || ex[len(ex)-1].Query != "kind=guest" || ex[len(ex)-1].Status != 403 ||
			json.Unmarshal(ex[len(ex)-1].Response, &answer) != nil || answer.Code != "M_UNKNOWN" {
			t.Errorf("exchanges = %+v, want a 403 M_UNKNOWN to kind=guest last", ex)
		}
		if label := eval[string](t, sc.ctx, `document.getElementById("submit").textContent`); strings.Contains(label, "Try again") {
			t.Errorf("submit label = %q: trying again cannot help", label)
		}
		fill(t, sc.ctx, "gail", synapsePassword)
		do(t, sc.ctx, clickStable("submit"))
		sc.waitSignedUp(t, "gail", synapsePassword)
	})
}
