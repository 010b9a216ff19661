package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// ?homeserver= is anyone's to put in a link: a server the operator does
// not list gets no request (so never the password) until the user clicks
// to use it, and the widget says that the operator does not run it. A
// listed one is still taken at once; without allow_custom an unlisted one
// is ignored, with a note.
func TestSecurityPageHomeserver(t *testing.T) {
	dummy := [][]string{{"m.login.dummy"}}
	a := tesths.Start(t, tesths.Config{ServerName: "alpha.test", Flows: dummy})
	b := tesths.Start(t, tesths.Config{ServerName: "beta.test", Flows: dummy})
	en := opCatalogue(t, "en")
	choices := `"choices": [{"name": "Alpha", "url": "` + a.URL + `", "server_name": "alpha.test"},
		{"name": "Beta", "url": "` + b.URL + `", "server_name": "beta.test"}]`
	open := writeConfig(t, `{"version": 1, "homeserver": {"url": "`+a.URL+`", "server_name": "alpha.test", `+choices+`, "allow_custom": true}}`)
	closed := writeConfig(t, `{"version": 1, "homeserver": {"url": "`+a.URL+`", "server_name": "alpha.test", `+choices+`}}`)
	// unlisted starts a server the operator does not list, for one subtest.
	unlisted := func(t *testing.T) *tesths.Server {
		return tesths.Start(t, tesths.Config{ServerName: "unlisted.test", Flows: dummy})
	}
	// quiet fails the test if the unlisted server u received anything.
	quiet := func(t *testing.T, u *tesths.Server, when string) {
		t.Helper()
		if reqs := u.Requests(); len(reqs) != 0 {
			t.Fatalf("%s, the unlisted server got %d requests:\n%s", when, len(reqs), u.Log())
		}
	}

	t.Run("an unlisted server gets nothing before the user's click, and a note says the operator does not run it", func(t *testing.T) {
		u := unlisted(t)
		s := StartSignup(t, "-config", open, "-homeserver", a.URL, "-server-name", "alpha.test")
		ctx := NewBrowser(t)
		opOpen(t, ctx, s.URL+"/?homeserver="+url.QueryEscape(u.URL))
		time.Sleep(time.Second)
		quiet(t, u, "on arrival")
		waitText(t, ctx, "#server-unlisted", fmt.Sprintf(en["server.unlisted"], u.URL))
		do(t, ctx, chromedp.WaitVisible(chromedp.ID("server-unlisted")))
		if v := eval[string](t, ctx, `document.getElementById("server-custom").value`); v != u.URL {
			t.Errorf("the custom field holds %q, want %q", v, u.URL)
		}
		waitText(t, ctx, "#server", "alpha.test")
		fill(t, ctx, "uma", operatorPassword)
		waitRequestsTo(t, a, "GET", "/_matrix/client/v3/register/available", 1)
		time.Sleep(time.Second)
		quiet(t, u, "with the form filled in")

		do(t, ctx, chromedp.Click(chromedp.ID("server-custom-use")))
		waitText(t, ctx, "#server", strings.TrimPrefix(u.URL, "http://"))
		if n := eval[int](t, ctx, `document.querySelectorAll("#server-unlisted").length`); n != 0 {
			t.Error("the note stays after the user chose the server")
		}
		do(t, ctx, clickStable("submit"))
		waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
		if got := u.Users(); len(got) != 1 || got[0] != "@uma:unlisted.test" {
			t.Errorf("unlisted users = %q", got)
		}
		if got := a.Users(); len(got) != 0 {
			t.Errorf("alpha got an account: %q", got)
		}
	})

	t.Run("the user may keep the operator's server instead", func(t *testing.T) {
		u := unlisted(t)
		s := StartSignup(t, "-config", open, "-homeserver", a.URL, "-server-name", "alpha.test")
		ctx := NewBrowser(t)
		opOpen(t, ctx, s.URL+"/?homeserver=unlisted.test")
		waitText(t, ctx, "#server-unlisted", fmt.Sprintf(en["server.unlisted"], "unlisted.test"))
		do(t, ctx, chromedp.Click(chromedp.ID("server-keep")))
		waitJS(t, ctx, `document.getElementById("server-change") !== null && !document.getElementById("server-unlisted")`, "the picker to close")
		opRegister(t, ctx, "ursula")
		if got := a.Users(); len(got) != 1 || got[0] != "@ursula:alpha.test" {
			t.Errorf("alpha users = %q", got)
		}
		quiet(t, u, "after a sign-up on the operator's server")
	})

	t.Run("a listed server, named in other letter case, is taken silently", func(t *testing.T) {
		s := StartSignup(t, "-config", open, "-homeserver", a.URL, "-server-name", "alpha.test")
		ctx := NewBrowser(t)
		opOpen(t, ctx, s.URL+"/?homeserver=Beta.TEST")
		waitText(t, ctx, "#server", "beta.test")
		if n := eval[int](t, ctx, `document.querySelectorAll("#server-unlisted, #server-ignored, #server-custom").length`); n != 0 {
			t.Error("a note or the open picker for a listed server")
		}
		opRegister(t, ctx, "bea")
		if got := b.Users(); len(got) != 1 || got[0] != "@bea:beta.test" {
			t.Errorf("beta users = %q", got)
		}
	})

	t.Run("without allow_custom an unlisted server is ignored, with a note", func(t *testing.T) {
		u := unlisted(t)
		s := StartSignup(t, "-config", closed, "-homeserver", a.URL, "-server-name", "alpha.test")
		ctx := NewBrowser(t)
		opOpen(t, ctx, s.URL+"/?homeserver="+url.QueryEscape(u.URL))
		waitText(t, ctx, "#server-ignored", fmt.Sprintf(en["server.ignored"], u.URL, "alpha.test"))
		do(t, ctx, chromedp.WaitVisible(chromedp.ID("server-ignored")))
		waitText(t, ctx, "#server", "alpha.test")
		time.Sleep(time.Second)
		quiet(t, u, "without allow_custom")
	})
}

// A fallback popup that ends on a page of an origin the operator trusts
// (homeserver.trusted_origins) may report "authDone"; the same page on an
// untrusted origin may not (TestHostileFallbackOtherOrigin).
func TestSecurityFallbackTrustedOrigin(t *testing.T) {
	h := tesths.StartHostile(t, tesths.Config{Flows: [][]string{{"org.example.hostile"}}}, tesths.AttackFallbackOrigin)
	cfg := writeConfig(t, `{"version": 1, "homeserver": {"url": "`+h.URL+`", "server_name": "localhost",
		"trusted_origins": ["`+h.Other+`/"]}}`)
	ctx, _ := startWidget(t, h.URL, "-config", cfg)
	fill(t, ctx, "tia", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("fallback-open") !== null`, "the fallback stage")
	opened := chromedp.WaitNewTarget(ctx, func(info *target.Info) bool { return strings.Contains(info.URL, "/fallback") })
	do(t, ctx, chromedp.Click(chromedp.ID("fallback-open")))
	select {
	case <-opened:
	case <-time.After(30 * time.Second):
		t.Fatal("no popup opened")
	}
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel after authDone")
	auths := registerAuths(t, h.Server)
	if last := auths[len(auths)-1]; len(last) != 1 || last["session"] == nil {
		t.Errorf("the resubmit after authDone = %v, want {session} alone", last)
	}
}
