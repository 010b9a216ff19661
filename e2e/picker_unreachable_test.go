package e2e

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// A listed homeserver that cannot be reached: the error shows at the top
// of the picker, the user stays on it, the current server is among the
// choices (a way back even when the operator did not list it), and no
// account is made anywhere until the user chooses.
func TestPickerUnreachableChoice(t *testing.T) {
	a := tesths.Start(t, tesths.Config{ServerName: "alpha.test", Flows: [][]string{{"m.login.dummy"}}})
	dead := "http://127.0.0.1:" + strconv.Itoa(FreePort(t))
	cfg := writeConfig(t, `{"version": 1,
		"homeserver": {"url": "`+a.URL+`", "server_name": "alpha.test",
			"choices": [{"name": "Down", "url": "`+dead+`", "server_name": "down.test"}]}}`)
	ctx, _ := startWidget(t, a.URL, "-config", cfg, "-server-name", "alpha.test")
	do(t, ctx, chromedp.Click(chromedp.ID("server-change")))
	waitText(t, ctx, "#server-choice-0", "alpha.test")
	waitText(t, ctx, "#server-choice-1", "Down")
	do(t, ctx, chromedp.Click(chromedp.ID("server-choice-1")))
	waitText(t, ctx, "#server-error", "Down")
	if !eval[bool](t, ctx, `document.getElementById("server-choices") !== null && document.activeElement.id === "server-error"`) {
		t.Errorf("the picker closed, or the focus is not on its error (focus on %q)", eval[string](t, ctx, `document.activeElement.id`))
	}
	waitText(t, ctx, "#server", "alpha.test")
	fill(t, ctx, "dora", "a good long password")
	waitText(t, ctx, "#username-hint", "@dora:alpha.test")
	do(t, ctx, chromedp.Click(chromedp.ID("server-choice-0")))
	waitJS(t, ctx, `document.getElementById("server-choices") === null`, "the picker to close on the current server")
	waitText(t, ctx, "#server", "alpha.test")
	if u := a.Users(); len(u) != 0 {
		t.Errorf("an account was made while the user was choosing: %q", u)
	}
}
