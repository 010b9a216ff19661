package e2e

import (
	"context"
	"strings"
	"testing"
	"time"
)

// In Firefox and in WebKit, a new user registers on a real Synapse that
// requires an email (registrations_require_3pid, mail to an SMTPSink): the
// widget asks Synapse to send the link, polls while the user reads the
// mail, and, once the mailed link is opened (as a click in the mail
// program would, outside this tab), finishes by itself; the account has
// the address and logs in with its password.
func TestEnginesSynapseEmail(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engineTab) {
		sink := StartSMTPSink(t)
		hs := StartSynapse(t, synapseEmailOptions(sink, false))
		proxy := StartProxy(t, hs.BaseURL) // counts the widget's polls
		s := StartSignup(t, "-homeserver", proxy.URL, "-server-name", "localhost")
		e.open(s.URL + "/")

		user := "emil" + e.b.Engine()
		addr := user + "@example.org"
		e.fill(user, synapsePassword)
		e.click("#submit")
		e.waitText("#stage-title", "Verify your email")
		e.typeInto("#email", addr)
		e.click("#email-send")
		e.waitText("#email-sent", msg(t, "en", "email.sent", addr))

		sc := &synapseScene{hs: hs, sig: s} // for the mail helpers of synapse_email_test.go
		link := sc.mailedLink(t, sink, addr)
		// The widget polls, and Synapse refuses the stage until the link
		// is opened: the widget keeps waiting.
		e.do("waiting for the widget to poll", func(ctx context.Context) error {
			for emailPolls(proxy) == 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(100 * time.Millisecond):
				}
			}
			return nil
		})
		e.waitText("#email-status", msg(t, "en", "email.waiting"))
		sc.openMailedLink(t, link)

		e.wait(`document.getElementById("success") !== null`, "the welcome panel")
		if got := e.text("#user-id"); got != "@"+user+":localhost" {
			t.Errorf("user ID shown = %q, want @%s:localhost", got, user)
		}
		if err := hs.Login(t, user, synapsePassword); err != nil {
			t.Errorf("the account does not log in with its password: %v", err)
		}
		if got := sc.emailsOf(t, "@"+user+":localhost"); len(got) != 1 || got[0] != addr {
			t.Errorf("%s's addresses on Synapse = %q, want [%s]", user, got, addr)
		}
		e.noConsoleErrors()
	})
}

// emailPolls counts the POST /register requests with the email stage's
// auth that went through proxy.
func emailPolls(proxy *Proxy) int {
	n := 0
	for _, r := range proxy.Requests("POST", "/_matrix/client/v3/register") {
		if strings.Contains(string(authOf(r.Body)), `"m.login.email.identity"`) {
			n++
		}
	}
	return n
}
