package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Scenario 9, usernames Synapse refuses, reported on the username field
// before any stage: Synapse checks the name at /register/available and
// again at the first /register, before user-interactive auth.
func TestSynapseUsername(t *testing.T) {
	sc := startSynapseScene(t, SynapseOptions{}, "username")
	sc.hs.Register(t, "tess", synapsePassword)

	t.Run("a taken name is reported while typing, and nothing is sent", func(t *testing.T) {
		fill(t, sc.ctx, "tess", synapsePassword)
		waitText(t, sc.ctx, "#username-error", "already taken")
		do(t, sc.ctx, clickStable("submit"))
		if got := sc.registerStatuses(); len(got) != 0 {
			t.Errorf("register statuses = %v, want none", got)
		}
	})

	t.Run("a name taken after the check is reported by the first /register", func(t *testing.T) {
		tab := NewTab(t, sc.ctx)
		do(t, tab, chromedp.Navigate(sc.sig.URL+"/"))
		waitReady(t, tab)
		fill(t, tab, "tara", synapsePassword)
		waitText(t, tab, "#username-status", "is available")
		sc.hs.Register(t, "tara", "someone else's password")
		do(t, tab, clickStable("submit"))
		waitText(t, tab, "#username-error", "already taken")
		noStage(t, tab)
		sc.lastRegister(t, 400, "M_USER_IN_USE")
	})

	// Names Synapse refuses though the spec's grammar allows them: a
	// leading underscore, digits only (kept for guests). /register/available
	// says so while typing; with it blocked in the browser, the first
	// /register does.
	for _, names := range [][2]string{{"_under", "_other"}, {"12345", "67890"}} {
		t.Run(names[0]+" and "+names[1]+" are refused", func(t *testing.T) {
			tab := NewTab(t, sc.ctx)
			do(t, tab, chromedp.Navigate(sc.sig.URL+"/"))
			waitReady(t, tab)
			fill(t, tab, names[0], synapsePassword)
			waitText(t, tab, "#username-error", "does not accept this username")

			tab = NewTab(t, sc.ctx)
			if _, err := chromedp.Call(tab, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{
				{URLPattern: "http://127.0.0.1:*/_matrix/client/v3/register/available?*", Block: true},
			}}); err != nil {
				t.Fatal(err)
			}
			do(t, tab, chromedp.Navigate(sc.sig.URL+"/"))
			waitReady(t, tab)
			fill(t, tab, names[1], synapsePassword)
			do(t, tab, clickStable("submit"))
			waitText(t, tab, "#username-error", "does not accept this username")
			noStage(t, tab)
			msg := sc.lastRegister(t, 400, "M_INVALID_USERNAME")
			waitText(t, tab, "#username-error", msg)
			for _, e := range sc.rec.Exchanges() {
				if e.Path == "/_matrix/client/v3/register/available" && e.Query == "username="+names[1] {
					t.Errorf("the blocked availability check went out: %+v", e)
				}
			}
		})
	}
}

// With inhibit_user_in_use_error, Synapse says a taken name is available
// and starts the session; only the final /register (after the dummy stage)
// answers M_USER_IN_USE, which the widget still reports on the username
// field, back on the form.
func TestSynapseUsernameInhibited(t *testing.T) {
	sc := startSynapseScene(t, SynapseOptions{InhibitUserInUse: true}, "username-inhibited")
	sc.hs.Register(t, "ivan", synapsePassword)
	fill(t, sc.ctx, "ivan", synapsePassword)
	waitText(t, sc.ctx, "#username-status", "is available")
	do(t, sc.ctx, clickStable("submit"))
	waitText(t, sc.ctx, "#username-error", "already taken")
	if got := sc.registerStatuses(); len(got) != 2 || got[0] != 401 || got[1] != 400 {
		t.Errorf("register statuses = %v, want [401 400]", got)
	}
	sc.lastRegister(t, 400, "M_USER_IN_USE")
	if err := sc.hs.Login(t, "ivan", synapsePassword); err != nil {
		t.Errorf("the first ivan's account broke: %v", err)
	}
}

// noStage fails the test when the tab shows a stage.
func noStage(t *testing.T, tab context.Context) {
	t.Helper()
	if eval[bool](t, tab, `document.getElementById("stage") !== null`) {
		t.Errorf("a stage is shown: %s", pageText(tab))
	}
}

// lastRegister checks the last recorded POST /register answer and returns
// its error text.
func (sc *synapseScene) lastRegister(t *testing.T, status int, errcode string) string {
	t.Helper()
	var last *Exchange
	for _, e := range sc.rec.Exchanges() {
		if e.Method == http.MethodPost && e.Path == "/_matrix/client/v3/register" {
			last = &e
		}
	}
	var answer struct {
		Code    string `json:"errcode"`
		Message string `json:"error"`
	}
	if last == nil || last.Status != status || json.Unmarshal(last.Response, &answer) != nil || answer.Code != errcode {
		t.Fatalf("last register = %+v, want %d %s", last, status, errcode)
	}
	return answer.Message
}
