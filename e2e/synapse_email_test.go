package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Scenario 4, registrations_require_3pid: [email] on Synapse, whose mail
// goes to an SMTPSink: the widget asks Synapse to send the link, the test
// reads the mail as a user would, opens the link, and the widget, polling,
// finishes by itself; the account has the address and logs in with its
// password. Then, with Synapse's default, the same address for another
// user is refused at once with M_THREEPID_IN_USE, shown at the field.
func TestSynapseEmail(t *testing.T) {
	sink := StartSMTPSink(t)
	sc := startSynapseScene(t, synapseEmailOptions(sink, false), "email")
	const addr = "erin@example.org"
	sc.startEmailStage(t, sc.ctx, "erin")
	sendEmail(t, sc.ctx, addr)
	waitText(t, sc.ctx, "#email-sent", msg(t, "en", "email.sent", addr))
	link := sc.mailedLink(t, sink, addr)
	// The widget polls: Synapse refuses the stage until the link is
	// opened, and the widget keeps waiting.
	waitFor(t, 30*time.Second, func() bool { return sc.emailPolls(http.StatusUnauthorized) > 0 })
	waitText(t, sc.ctx, "#email-status", msg(t, "en", "email.waiting"))
	sc.openMailedLink(t, link)
	sc.waitSignedUp(t, "erin", synapsePassword)
	if got := sc.emailsOf(t, "@erin:localhost"); len(got) != 1 || got[0] != addr {
		t.Errorf("erin's addresses on Synapse = %q, want [%s]", got, addr)
	}

	t.Run("an address in use is shown as such at the field", func(t *testing.T) {
		tab := NewTab(t, sc.ctx)
		do(t, tab, chromedp.Navigate(sc.sig.URL+"/"))
		waitReady(t, tab)
		sc.startEmailStage(t, tab, "erik")
		before := len(sink.Messages())
		sendEmail(t, tab, addr)
		waitText(t, tab, "#email-error", msg(t, "en", "email.inuse"))
		if eval[bool](t, tab, `document.getElementById("email-sent") !== null`) {
			t.Error("the waiting screen is shown for an address in use")
		}
		if got := sc.lastRequestToken(); got.Status != http.StatusBadRequest || !strings.Contains(string(got.Response), "M_THREEPID_IN_USE") {
			t.Errorf("Synapse's requestToken answer = %d %s, want 400 M_THREEPID_IN_USE", got.Status, got.Response)
		}
		if n := len(sink.Messages()); n != before {
			t.Errorf("%d more mails sent for an address in use", n-before)
		}
	})
}

// Scenario 4 with request_token_inhibit_3pid_errors: Synapse answers an
// address already in use with a sid and sends no link (only a notice to
// the address's owner), so the waiting screen must not say a link was sent
// (and Resend must not either); the user takes another address, and that
// one's link finishes the sign-up.
func TestSynapseEmailInhibited(t *testing.T) {
	sink := StartSMTPSink(t)
	sc := startSynapseScene(t, synapseEmailOptions(sink, true), "email-inhibited")
	const taken, fresh = "ivy@example.org", "ivan@example.org"
	code, resp := sc.hs.Admin(t, http.MethodPut, "/_synapse/admin/v2/users/@ivy:localhost", map[string]any{
		"password": synapsePassword, "threepids": []any{map[string]string{"medium": "email", "address": taken}},
	}, nil)
	if code != http.StatusCreated && code != http.StatusOK {
		t.Fatalf("making ivy with %s failed: %d %s", taken, code, resp)
	}
	sc.startEmailStage(t, sc.ctx, "ivan")
	sendEmail(t, sc.ctx, taken)
	waitText(t, sc.ctx, "#email-sent", taken)
	if got := sc.lastRequestToken(); got.Status != http.StatusOK || !strings.Contains(string(got.Response), `"sid"`) {
		t.Fatalf("Synapse's requestToken answer for an address in use = %d %s, want 200 with a sid", got.Status, got.Response)
	}

	t.Run("the waiting screen promises no link", func(t *testing.T) {
		said := eval[string](t, sc.ctx, `document.getElementById("email-sent").textContent`)
		if want := msg(t, "en", "email.sent", taken); said != want {
			t.Errorf("waiting screen = %q, want %q", said, want)
		}
		noLinkPromised(t, "the waiting screen", said)
		do(t, sc.ctx, chromedp.Click(chromedp.ID("email-resend")))
		waitText(t, sc.ctx, "#email-status", msg(t, "en", "email.resent"))
		noLinkPromised(t, "the status after Resend", eval[string](t, sc.ctx, `document.getElementById("email-status").textContent`))
		// Synapse 1.163 mails the owner of the address a notice that
		// it is registered already, with no validation link.
		m, err := sink.Wait(taken, 10*time.Second)
		if err != nil {
			t.Fatalf("Synapse's notice to the address in use: %v", err)
		}
		mt, err := m.Decode()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(mt.Plain, "already registered") {
			t.Errorf("the mail to the address in use is not Synapse's notice:\n%s", mt.Plain)
		}
		for _, l := range mt.Links() {
			if strings.Contains(l, "submit_token") {
				t.Errorf("the mail to the address in use has a validation link %s", l)
			}
		}
	})

	do(t, sc.ctx, chromedp.Click(chromedp.ID("email-other")))
	waitJS(t, sc.ctx, `document.getElementById("email-send") !== null`, "the address field again")
	clearInput(t, sc.ctx, "email")
	sendEmail(t, sc.ctx, fresh)
	waitText(t, sc.ctx, "#email-sent", fresh)
	sc.openMailedLink(t, sc.mailedLink(t, sink, fresh))
	sc.waitSignedUp(t, "ivan", synapsePassword)
	if got := sc.emailsOf(t, "@ivan:localhost"); len(got) != 1 || got[0] != fresh {
		t.Errorf("ivan's addresses on Synapse = %q, want [%s]", got, fresh)
	}
}

// synapseEmailOptions is Synapse requiring an email at registration, with
// mail to sink in plain SMTP; inhibit sets request_token_inhibit_3pid_errors.
// public_baseurl stays Synapse's own base URL (the harness sets it), so the
// link in the mail points at Synapse.
func synapseEmailOptions(sink *SMTPSink, inhibit bool) SynapseOptions {
	return SynapseOptions{RequireVerification: true, Extra: map[string]any{
		"registrations_require_3pid":        []string{"email"},
		"request_token_inhibit_3pid_errors": inhibit,
		"email": map[string]any{
			"smtp_host":                  sink.Host,
			"smtp_port":                  sink.Port,
			"notif_from":                 "%(app)s <noreply@example.org>",
			"app_name":                   "Signup e2e",
			"enable_tls":                 false,
			"force_tls":                  false,
			"require_transport_security": false,
		},
	}}
}

// startEmailStage fills the form in tab for username and submits it, up
// to the email stage.
func (sc *synapseScene) startEmailStage(t *testing.T, ctx context.Context, username string) {
	t.Helper()
	fill(t, ctx, username, synapsePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "Verify your email")
}

// mailedLink waits for Synapse's mail to addr, decodes it and returns the
// validation link in it, which must point at Synapse's submit_token page.
func (sc *synapseScene) mailedLink(t *testing.T, sink *SMTPSink, addr string) string {
	t.Helper()
	m, err := sink.Wait(addr, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	mt, err := m.Decode()
	if err != nil {
		t.Fatalf("%v\n%s", err, m.Raw)
	}
	if from := mt.Header.Get("From"); !strings.Contains(from, "noreply@example.org") {
		t.Errorf("From = %q", from)
	}
	if mt.Plain == "" || mt.HTML == "" {
		t.Errorf("the mail has no text (%d bytes) or no HTML part (%d bytes)", len(mt.Plain), len(mt.HTML))
	}
	prefix := sc.hs.BaseURL + "/_matrix/client/unstable/registration/email/submit_token?"
	for _, l := range mt.Links() {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Fatalf("no link to %s… in the mail:\n%s", prefix, mt.Plain)
	return ""
}

// openMailedLink GETs the link as the user's browser would when they click
// it, and checks that Synapse validated the address and sends the user to
// the widget's next_link (a page of the widget that tells the first tab).
func (sc *synapseScene) openMailedLink(t *testing.T, link string) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Get(link)
	if err != nil {
		t.Fatalf("opening the mailed link failed: %v", err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, sc.sig.URL+"/?email_confirmed=") {
		t.Errorf("the mailed link answered %d to %q, want 302 to the widget's next_link", resp.StatusCode, loc)
	}
}

// emailPolls counts the recorded POST /register with the email stage's
// auth that Synapse answered with status.
func (sc *synapseScene) emailPolls(status int) int {
	n := 0
	for _, e := range sc.rec.Exchanges() {
		if e.Method == http.MethodPost && e.Path == "/_matrix/client/v3/register" && e.Status == status &&
			strings.Contains(string(authOf(e.Request)), `"m.login.email.identity"`) {
			n++
		}
	}
	return n
}

// lastRequestToken is the last recorded POST …/register/email/requestToken.
func (sc *synapseScene) lastRequestToken() Exchange {
	var last Exchange
	for _, e := range sc.rec.Exchanges() {
		if e.Method == http.MethodPost && e.Path == "/_matrix/client/v3/register/email/requestToken" {
			last = e
		}
	}
	return last
}

// emailsOf lists the email addresses Synapse holds for userID (admin API).
func (sc *synapseScene) emailsOf(t *testing.T, userID string) []string {
	t.Helper()
	var u struct {
		Threepids []struct {
			Medium  string `json:"medium"`
			Address string `json:"address"`
		} `json:"threepids"`
	}
	if code, resp := sc.hs.Admin(t, http.MethodGet, "/_synapse/admin/v2/users/"+userID, nil, &u); code != http.StatusOK {
		t.Fatalf("reading %s failed: %d %s", userID, code, resp)
	}
	var out []string
	for _, p := range u.Threepids {
		if p.Medium == "email" {
			out = append(out, p.Address)
		}
	}
	return out
}

// noLinkPromised fails when text says that a link was sent: with
// request_token_inhibit_3pid_errors it may not have been.
func noLinkPromised(t *testing.T, what, text string) {
	t.Helper()
	lower := strings.ToLower(text)
	for _, claim := range []string{"we sent", "was sent", "has been sent", "sent the email", "sent a link"} {
		if strings.Contains(lower, claim) {
			t.Errorf("%s says %q: no link may have been sent", what, text)
			return
		}
	}
}
