package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// writeConfig writes a JSON operator config into the test's temp dir.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "signup.json")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The homeserver picker: the operator's choices and, when allowed, any
// server the user types; the account is made where the user picked, and
// ?homeserver= (the embed snippet's data-homeserver) preselects a listed
// one.
func TestHomeserverPicker(t *testing.T) {
	a := tesths.Start(t, tesths.Config{ServerName: "alpha.test", Flows: [][]string{{"m.login.dummy"}}})
	b := tesths.Start(t, tesths.Config{ServerName: "beta.test", Flows: [][]string{{"m.login.dummy"}}})
	c := tesths.Start(t, tesths.Config{ServerName: "gamma.test", Flows: [][]string{{"m.login.dummy"}}})
	cfg := writeConfig(t, `{"version": 1,
		"homeserver": {"url": "`+a.URL+`", "server_name": "alpha.test",
			"choices": [{"name": "Alpha", "url": "`+a.URL+`", "server_name": "alpha.test"},
			            {"name": "Beta", "url": "`+b.URL+`", "server_name": "beta.test"}],
			"allow_custom": true}}`)

	t.Run("a listed choice", func(t *testing.T) {
		ctx, _ := startWidget(t, a.URL, "-config", cfg, "-server-name", "alpha.test")
		waitText(t, ctx, "#server", "alpha.test")
		do(t, ctx, chromedp.Click(chromedp.ID("server-change")))
		do(t, ctx, chromedp.Click(chromedp.ID("server-choice-1")))
		waitText(t, ctx, "#server", "beta.test")
		fill(t, ctx, "bob", "a good long password")
		waitText(t, ctx, "#username-hint", "@bob:beta.test")
		do(t, ctx, clickStable("submit"))
		waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
		if u := b.Users(); len(u) != 1 || u[0] != "@bob:beta.test" {
			t.Errorf("beta users = %q", u)
		}
		if len(a.Users()) != 0 {
			t.Errorf("alpha got an account: %q", a.Users())
		}
	})
	t.Run("a server the user types", func(t *testing.T) {
		ctx, _ := startWidget(t, a.URL, "-config", cfg, "-server-name", "alpha.test")
		do(t, ctx, chromedp.Click(chromedp.ID("server-change")))
		do(t, ctx, chromedp.SendKeys(chromedp.ID("server-custom"), "http://127.0.0.1:1"), chromedp.Click(chromedp.ID("server-custom-use")))
		waitText(t, ctx, "#server-custom-error", "does not answer as a Matrix homeserver")
		clearInput(t, ctx, "server-custom")
		do(t, ctx, chromedp.SendKeys(chromedp.ID("server-custom"), c.URL), chromedp.Click(chromedp.ID("server-custom-use")))
		waitText(t, ctx, "#server", strings.TrimPrefix(c.URL, "http://"))
		if eval[string](t, ctx, `document.getElementById("username-hint").textContent`) != "" && strings.Contains(eval[string](t, ctx, `document.getElementById("username-hint").textContent`), "@") {
			t.Error("a preview with a guessed server name")
		}
		fill(t, ctx, "carol", "a good long password")
		do(t, ctx, clickStable("submit"))
		waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
		if u := c.Users(); len(u) != 1 {
			t.Errorf("gamma users = %q", u)
		}
	})
	t.Run("?homeserver= preselects a listed server, and an unlisted one is ignored without allow_custom", func(t *testing.T) {
		s := StartSignup(t, "-config", cfg, "-homeserver", a.URL, "-server-name", "alpha.test")
		ctx := NewBrowser(t)
		do(t, ctx, chromedp.Navigate(s.URL+"/?homeserver="+b.URL))
		waitReady(t, ctx)
		waitText(t, ctx, "#server", "beta.test")

		closed := writeConfig(t, `{"version": 1, "homeserver": {"url": "`+a.URL+`", "server_name": "alpha.test",
			"choices": [{"name": "Alpha", "url": "`+a.URL+`", "server_name": "alpha.test"}]}}`)
		s2 := StartSignup(t, "-config", closed)
		ctx2 := NewBrowser(t)
		do(t, ctx2, chromedp.Navigate(s2.URL+"/?homeserver=https://evil.example"))
		waitReady(t, ctx2)
		waitText(t, ctx2, "#server", "alpha.test")
	})
}
