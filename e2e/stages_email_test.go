package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// emailServer offers email + dummy only.
func emailServer(t *testing.T) *tesths.Server {
	return tesths.Start(t, tesths.Config{
		Flows:          [][]string{{"m.login.email.identity", "m.login.dummy"}},
		ThreepidInUse:  []string{"taken@example.org"},
		ThreepidDenied: []string{"nope@denied.example"},
	})
}

// reachEmail fills the form and submits it, up to the email stage.
func reachEmail(t *testing.T, ctx context.Context, user string) {
	t.Helper()
	fill(t, ctx, user, "a good long password")
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "Verify your email")
}

// sendEmail types an address and asks for the email.
func sendEmail(t *testing.T, ctx context.Context, addr string) {
	t.Helper()
	do(t, ctx, chromedp.SendKeys(chromedp.ID("email"), addr), chromedp.Click(chromedp.ID("email-send")))
}

// The email stage's clear messages, Resend with a higher send_attempt, and
// "Use a different address".
func TestEmailErrorsResendAndOtherAddress(t *testing.T) {
	hs := emailServer(t)
	ctx, _ := startWidget(t, hs.URL)
	reachEmail(t, ctx, "vera")

	for _, c := range []struct{ addr, want string }{
		{"taken@example.org", "already used by another account"},
		{"nope@denied.example", "does not accept this email address"},
	} {
		t.Run(c.want, func(t *testing.T) {
			clearInput(t, ctx, "email")
			sendEmail(t, ctx, c.addr)
			waitText(t, ctx, "#email-error", c.want)
			if v := eval[string](t, ctx, `document.getElementById("email").value`); v != c.addr {
				t.Errorf("email field = %q, want it kept", v)
			}
		})
	}
	t.Run("an address that is not one is refused before sending", func(t *testing.T) {
		before := len(hs.Emails())
		clearInput(t, ctx, "email")
		sendEmail(t, ctx, "not-an-address")
		waitText(t, ctx, "#email-error", "does not look like an email address")
		if len(hs.Emails()) != before {
			t.Error("an invalid address was sent to the server")
		}
	})
	clearInput(t, ctx, "email")
	sendEmail(t, ctx, "vera@example.org")
	waitText(t, ctx, "#email-sent", "vera@example.org")

	t.Run("Resend sends again with a higher send_attempt and the same secret", func(t *testing.T) {
		do(t, ctx, chromedp.Click(chromedp.ID("email-resend")))
		waitText(t, ctx, "#email-status", msg(t, "en", "email.resent"))
		reqs := hs.RequestsTo("POST", "/_matrix/client/v3/register/email/requestToken")
		var attempts []float64
		var secrets []string
		for _, r := range reqs {
			var b struct {
				Email        string  `json:"email"`
				ClientSecret string  `json:"client_secret"`
				SendAttempt  float64 `json:"send_attempt"`
			}
			r.Decode(&b)
			if b.Email == "vera@example.org" {
				attempts = append(attempts, b.SendAttempt)
				secrets = append(secrets, b.ClientSecret)
			}
		}
		if len(attempts) != 2 || attempts[1] <= attempts[0] || secrets[0] != secrets[1] {
			t.Errorf("requestToken for vera: attempts %v, secrets %q", attempts, secrets)
		}
	})
	t.Run("Use a different address goes back to the field", func(t *testing.T) {
		do(t, ctx, chromedp.Click(chromedp.ID("email-other")))
		waitJS(t, ctx, `document.getElementById("email") !== null`, "the email field")
		clearInput(t, ctx, "email")
		sendEmail(t, ctx, "vera2@example.org")
		waitText(t, ctx, "#email-sent", "vera2@example.org")
		e := hs.Emails()
		last := e[len(e)-1]
		if !hs.ValidateEmail(last.SID) {
			t.Fatal("validate failed")
		}
	})
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
}

// A reload of the tab while waiting for the email keeps the progress
// (session, sid, client_secret in sessionStorage, never the password),
// asks for the password again, and finishes.
func TestEmailSurvivesReload(t *testing.T) {
	hs := emailServer(t)
	ctx, _ := startWidget(t, hs.URL)
	reachEmail(t, ctx, "walt")
	sendEmail(t, ctx, "walt@example.org")
	waitText(t, ctx, "#email-sent", "walt@example.org")

	stored := eval[string](t, ctx, `JSON.stringify(sessionStorage) + JSON.stringify(localStorage)`)
	if strings.Contains(stored, "a good long password") {
		t.Fatalf("the password is in storage: %s", stored)
	}
	if !strings.Contains(stored, hs.Emails()[0].SID) {
		t.Fatalf("the sid is not in sessionStorage: %s", stored)
	}
	do(t, ctx, chromedp.Reload())
	waitReady(t, ctx)
	waitText(t, ctx, "#email-sent", "walt@example.org")
	waitText(t, ctx, "#password-again", "never stored")
	hs.ValidateEmail(hs.Emails()[0].SID)
	time.Sleep(500 * time.Millisecond)
	if len(hs.Users()) != 0 {
		t.Fatal("registered without the password")
	}
	do(t, ctx, chromedp.SendKeys(chromedp.ID("password"), "a good long password"),
		chromedp.Click(chromedp.ID("password-again-continue")))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	if u := hs.Users(); len(u) != 1 || u[0] != "@walt:localhost" {
		t.Errorf("users = %q", u)
	}
}

// The email link opened in another tab: that tab says the address is
// confirmed, the first tab finishes at once, and only one account exists.
func TestEmailLinkInAnotherTab(t *testing.T) {
	hs := emailServer(t)
	ctx, _ := startWidget(t, hs.URL)
	reachEmail(t, ctx, "xena")
	sendEmail(t, ctx, "xena@example.org")
	waitText(t, ctx, "#email-sent", "xena@example.org")
	mail := hs.Emails()[0]
	if mail.NextLink == "" {
		t.Fatal("requestToken carried no next_link back to the widget")
	}
	tab := NewTab(t, ctx)
	do(t, tab, chromedp.Navigate(mail.Link))
	waitReady(t, tab)
	waitText(t, tab, "#confirmed-body", "Return to the tab where you started")
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the first tab to finish")
	time.Sleep(time.Second)
	if u := hs.Users(); len(u) != 1 {
		t.Errorf("users = %q, want exactly one", u)
	}
	if eval[bool](t, tab, `document.getElementById("success") !== null`) {
		t.Error("the second tab registered too")
	}
}

// A duplicated tab (same sessionStorage) never completes the session a
// second time: only the tab holding the session's lock polls.
func TestEmailTwoTabsOneRegistration(t *testing.T) {
	hs := emailServer(t)
	ctx, s := startWidget(t, hs.URL)
	reachEmail(t, ctx, "yuri")
	sendEmail(t, ctx, "yuri@example.org")
	waitText(t, ctx, "#email-sent", "yuri@example.org")
	// Wait for the first poll, so this tab holds the session's lock.
	waitRequestsHS(t, hs, "m.login.email.identity", 1)

	// Copy the progress into a second tab, as "Duplicate tab" does.
	progress := eval[string](t, ctx, `sessionStorage.getItem("signup.progress")`)
	tab := NewTab(t, ctx)
	do(t, tab, chromedp.Navigate(s.URL+"/?wasm=false"))
	do(t, tab, chromedp.Evaluate[chromedp.Void](`sessionStorage.setItem("signup.progress", `+js(progress)+`)`))
	do(t, tab, chromedp.Navigate(s.URL+"/"))
	waitReady(t, tab)
	waitText(t, tab, "#email-sent", "yuri@example.org")
	do(t, tab, chromedp.SendKeys(chromedp.ID("password"), "a good long password"),
		chromedp.Click(chromedp.ID("password-again-continue")))
	waitText(t, tab, "#email-elsewhere", "continuing in another tab")

	hs.ValidateEmail(hs.Emails()[0].SID)
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the first tab to finish")
	waitText(t, tab, "#success", "created in another tab")
	if u := hs.Users(); len(u) != 1 {
		t.Errorf("users = %q, want exactly one", u)
	}
	if n := countType(registerAuths(t, hs), "m.login.dummy"); n != 1 {
		t.Errorf("dummy (final) submissions = %d, want 1", n)
	}
}

func waitRequestsHS(t *testing.T, hs *tesths.Server, ty string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for countType(registerAuths(t, hs), ty) < n {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d %s submissions", n, ty)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
