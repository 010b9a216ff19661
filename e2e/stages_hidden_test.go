package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// setHidden makes the page report itself hidden or visible, as the
// browser does when the tab goes to the background, and fires
// visibilitychange.
func setHidden(t *testing.T, ctx context.Context, hidden bool) {
	t.Helper()
	state := "visible"
	if hidden {
		state = "hidden"
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		Object.defineProperty(document, "visibilityState", {value: `+js(state)+`, configurable: true});
		Object.defineProperty(document, "hidden", {value: `+map[bool]string{true: "true", false: "false"}[hidden]+`, configurable: true});
		document.dispatchEvent(new Event("visibilitychange"));
	})()`))
}

// While the tab is hidden the email stage does not poll; when it comes
// back, it polls at once.
func TestEmailNoPollingWhileHidden(t *testing.T) {
	hs := emailServer(t)
	ctx, _ := startWidget(t, hs.URL)
	reachEmail(t, ctx, "hidden")
	sendEmail(t, ctx, "hidden@example.org")
	waitText(t, ctx, "#email-sent", "hidden@example.org")
	waitRequestsHS(t, hs, "m.login.email.identity", 1)

	setHidden(t, ctx, true)
	before := countType(registerAuths(t, hs), "m.login.email.identity")
	time.Sleep(8 * time.Second) // longer than the first poll intervals
	if after := countType(registerAuths(t, hs), "m.login.email.identity"); after > before+1 {
		// One poll may have been in flight when the tab went hidden.
		t.Errorf("polls while hidden: %d", after-before)
	}
	hs.ValidateEmail(hs.Emails()[0].SID)
	shown := time.Now()
	setHidden(t, ctx, false)
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel after the tab came back")
	if d := time.Since(shown); d > 5*time.Second {
		t.Errorf("finishing took %v after the tab came back; want a poll at once", d)
	}
}

// M_EXCLUSIVE and M_INVALID_USERNAME from /register are shown under the
// username, in our words, with the server's text as a detail.
func TestWidgetUsernameRefusedByServer(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	p := StartProxy(t, d.BaseURL)
	p.Intercept(func(r Recorded, n int) *Reply {
		if r.Method != "POST" || !strings.HasSuffix(r.Path, "/register") {
			return nil
		}
		if strings.Contains(string(r.Body), `"username":"irc_bot"`) {
			return &Reply{Status: 400, Body: `{"errcode":"M_EXCLUSIVE","error":"User ID reserved by an appservice"}`}
		}
		if strings.Contains(string(r.Body), `"username":"weird"`) {
			return &Reply{Status: 400, Body: `{"errcode":"M_INVALID_USERNAME","error":"<b>bad</b> name"}`}
		}
		return nil
	})
	ctx, _ := startWidget(t, p.URL)
	fill(t, ctx, "irc_bot", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#username-error", "reserved on this server")
	clearInput(t, ctx, "username")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("username"), "weird"), clickStable("submit"))
	waitText(t, ctx, "#username-error", "does not accept this username")
	waitText(t, ctx, "#username-error", "<b>bad</b> name")
	if n := eval[int](t, ctx, `document.querySelectorAll("#username-error b").length`); n != 0 {
		t.Error("the server's HTML was rendered as markup")
	}
	noDialogs(t, ctx)
}
