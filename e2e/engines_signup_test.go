package e2e

import "testing"

// In Firefox and in WebKit, a new user registers through the widget's form
// on a real Dendrite (the dummy stage), sees the user ID the server
// returned, and can then log in with the password.
func TestEnginesDendriteSignup(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engineTab) {
		d := StartDendrite(t, DendriteOptions{})
		s := StartSignup(t, "-homeserver", d.BaseURL, "-server-name", "localhost")
		e.open(s.URL + "/")

		const password = "correct horse battery"
		user := "alice" + e.b.Engine()
		e.fill(user, password)
		e.waitText("#username-hint", "@"+user+":localhost")
		e.click("#submit")
		e.wait(`document.getElementById("success") !== null`, "the welcome panel")
		if got := e.text("#user-id"); got != "@"+user+":localhost" {
			t.Errorf("user ID shown = %q, want @%s:localhost", got, user)
		}
		if err := d.Login(t, user, password); err != nil {
			t.Errorf("the account does not log in with its password: %v", err)
		}
		e.noConsoleErrors()
	})
}
