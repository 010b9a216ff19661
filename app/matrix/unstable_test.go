package matrix_test

import (
	"encoding/json"
	"testing"

	"signup/app/matrix"
)

// An older server's 401, naming the token stage as MSC3231 did.
const unstableTokenBody = `{
  "session": "xyz",
  "flows": [{"stages": ["org.matrix.msc3231.login.registration_token", "m.login.dummy"]}],
  "completed": [],
  "params": {"org.matrix.msc3231.login.registration_token": {}}
}`

// authOf registers once against a server answering body with 401 and
// returns the UIAA state the client read.
func authOf(t *testing.T, body string) *matrix.AuthInfo {
	t.Helper()
	c, _ := newClient(t, respond(401, body))
	_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{Username: "u", Password: "p"})
	info, ok := matrix.AuthRequired(err)
	if !ok {
		t.Fatalf("no UIAA state in %v", err)
	}
	return info
}

func TestUnstableRegistrationToken(t *testing.T) {
	t.Run("the unstable name is read as the token stage, in flows, completed and params", func(t *testing.T) {
		info := authOf(t, unstableTokenBody)
		if got := info.Flows[0].Stages; got[0] != matrix.AuthRegistrationToken || got[1] != matrix.AuthDummy {
			t.Errorf("stages %v", got)
		}
		if _, ok := info.Params[matrix.AuthRegistrationToken]; !ok {
			t.Errorf("params %v", info.Params)
		}
		if _, ok := info.Params[matrix.AuthRegistrationTokenUnstable]; ok {
			t.Errorf("the unstable params are still there: %v", info.Params)
		}
		info2 := authOf(t, `{"session":"xyz","flows":[{"stages":["org.matrix.msc3231.login.registration_token","m.login.dummy"]}],"completed":["org.matrix.msc3231.login.registration_token"]}`)
		if !info2.HasCompleted(matrix.AuthRegistrationToken) {
			t.Errorf("completed %v", info2.Completed)
		}
	})

	t.Run("the answer goes back under the server's name, and the check to its endpoint", func(t *testing.T) {
		info := authOf(t, unstableTokenBody)
		d := &matrix.AuthDict{Type: matrix.AuthRegistrationToken, Session: "xyz", Token: "tok"}
		w := info.Wire(d)
		b, _ := json.Marshal(w)
		if string(b) != `{"type":"org.matrix.msc3231.login.registration_token","session":"xyz","token":"tok"}` {
			t.Errorf("auth dict %s", b)
		}
		if d.Type != matrix.AuthRegistrationToken {
			t.Error("Wire changed its argument")
		}
		if w := info.Wire(&matrix.AuthDict{Type: matrix.AuthDummy, Session: "xyz"}); w.Type != matrix.AuthDummy {
			t.Errorf("dummy became %q", w.Type)
		}

		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, `{"valid":true}`)))
		if valid, supported, err := c.TokenValidityFor(ctx, info.ServerName(matrix.AuthRegistrationToken), "tok"); err != nil || !valid || !supported {
			t.Fatalf("got %v, %v, %v", valid, supported, err)
		}
		if got := rec.last(t).Path; got != "/_matrix/client/unstable/org.matrix.msc3231/register/org.matrix.msc3231.login.registration_token/validity" {
			t.Errorf("validity checked at %s", got)
		}
	})

	t.Run("a stable server is answered under the stable name", func(t *testing.T) {
		info := authOf(t, `{"session":"s","flows":[{"stages":["m.login.registration_token"]}]}`)
		if w := info.Wire(&matrix.AuthDict{Type: matrix.AuthRegistrationToken, Session: "s"}); w.Type != matrix.AuthRegistrationToken {
			t.Errorf("type %q", w.Type)
		}
		if info.Aliases != nil {
			t.Errorf("aliases %v", info.Aliases)
		}
	})

	t.Run("a server offering both names is answered under the stable one", func(t *testing.T) {
		info := authOf(t, `{"session":"s","flows":[{"stages":["m.login.registration_token"]},{"stages":["org.matrix.msc3231.login.registration_token"]}]}`)
		if name := info.ServerName(matrix.AuthRegistrationToken); name != matrix.AuthRegistrationToken {
			t.Errorf("server name %q", name)
		}
	})

	t.Run("the alias survives the saved progress, and a nil state changes nothing", func(t *testing.T) {
		info := authOf(t, unstableTokenBody)
		b, _ := json.Marshal(info)
		var back matrix.AuthInfo
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.ServerName(matrix.AuthRegistrationToken) != matrix.AuthRegistrationTokenUnstable {
			t.Errorf("after a round trip: %s", b)
		}
		var none *matrix.AuthInfo
		d := &matrix.AuthDict{Type: matrix.AuthRegistrationToken}
		if none.Wire(d) != d || none.ServerName(matrix.AuthRegistrationToken) != matrix.AuthRegistrationToken {
			t.Error("a nil state changed the dict")
		}
	})

	t.Run("a server cannot plant aliases of its own", func(t *testing.T) {
		info := authOf(t, `{"session":"s","flows":[{"stages":["m.login.dummy"]}],"signup_aliases":{"m.login.dummy":"m.login.password"}}`)
		if info.Aliases != nil {
			t.Errorf("aliases %v", info.Aliases)
		}
	})
}
