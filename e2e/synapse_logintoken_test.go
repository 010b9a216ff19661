package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Scenario 10, the login-token hand-off on a real Synapse: with
// login_via_existing_session enabled and require_ui_auth, Synapse asks
// POST /_matrix/client/v1/login/get_token for m.login.password every time
// (see https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv1loginget_token).
// The widget, configured with a web client that takes a login token,
// answers with the password just typed; the client link then carries a
// token that signs the new user in with m.login.token
// (https://spec.matrix.org/v1.16/client-server-api/#token-based), once.
// Afterwards the widget's own access token is logged out, the account has
// no device but the one the token made, and the password is nowhere in
// the browser.
func TestSynapseLoginToken(t *testing.T) {
	const password = "Unmistakable-Synapse-Handoff-8841"
	hs := StartSynapse(t, SynapseOptions{Extra: map[string]any{
		"login_via_existing_session": map[string]any{"enabled": true, "require_ui_auth": true},
	}})
	rec := StartRecorder(t, hs.BaseURL, "synapse", "Synapse "+synapseVersion(t, hs), "login-token")
	capt := startTokenCapture(t, rec.URL) // reads the access token /register gives the widget
	cfg := opBaseConfig(capt.URL)
	cfg["after_signup"] = map[string]any{"clients": []any{map[string]any{
		"name": "Web", "login_token": true,
		"url": "https://client.example.test/#/login?loginToken={login_token}&hs={homeserver}",
	}}}
	sig := StartSignup(t, "-config", opWriteConfig(t, cfg))
	ctx := NewBrowser(t)
	cl := startConsoleLog(t, ctx)
	opOpen(t, ctx, sig.URL+"/")

	fill(t, ctx, "lena", password)
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	waitJS(t, ctx, `(document.getElementById("client-web") || {href: ""}).href.includes("loginToken=")`,
		"the login token in the client link")
	href := eval[string](t, ctx, `document.getElementById("client-web").href`)
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	frag, err := url.Parse(u.Fragment) // "/login?loginToken=…&hs=…"
	if err != nil || frag.Path != "/login" {
		t.Fatalf("client link %q: the fragment is not /login?…", href)
	}
	token := frag.Query().Get("loginToken")
	if u.RawQuery != "" || token == "" || frag.Query().Get("hs") != capt.URL {
		t.Errorf("client link %q: want the token and the homeserver in the fragment only", href)
	}

	t.Run("Synapse asked get_token for the password, and got it", func(t *testing.T) {
		var gets []Exchange
		for _, e := range rec.Exchanges() {
			if e.Path == "/_matrix/client/v1/login/get_token" {
				gets = append(gets, e)
			}
		}
		if len(gets) != 2 || gets[0].Status != http.StatusUnauthorized || gets[1].Status != http.StatusOK {
			t.Fatalf("get_token exchanges = %+v, want a 401 then a 200", gets)
		}
		var asked struct {
			Session string `json:"session"`
			Flows   []struct {
				Stages []string `json:"stages"`
			} `json:"flows"`
		}
		if json.Unmarshal(gets[0].Response, &asked) != nil || asked.Session == "" || len(asked.Flows) == 0 ||
			strings.Join(asked.Flows[0].Stages, ",") != "m.login.password" {
			t.Errorf("Synapse's first get_token answer = %s, want a UIA session offering m.login.password", gets[0].Response)
		}
		if string(gets[0].Request) != "{}" {
			t.Errorf("the first get_token, before Synapse asked, sent %s", gets[0].Request)
		}
		var answered struct {
			Auth struct {
				Type       string            `json:"type"`
				Session    string            `json:"session"`
				Password   string            `json:"password"`
				Identifier map[string]string `json:"identifier"`
			} `json:"auth"`
		}
		a := &answered.Auth
		if json.Unmarshal(gets[1].Request, &answered) != nil || a.Type != "m.login.password" ||
			a.Session != asked.Session || a.Password != recordedPassword ||
			a.Identifier["type"] != "m.id.user" || a.Identifier["user"] != "@lena:localhost" {
			t.Errorf("the widget's UIA answer = %s", gets[1].Request)
		}
	})

	t.Run("the widget's own access token is logged out", func(t *testing.T) {
		toks := capt.Tokens()
		if len(toks) != 1 {
			t.Fatalf("access tokens Synapse gave the widget: %d, want 1 (from /register)", len(toks))
		}
		// The widget logs out right after get_token, while the link shows.
		var code int
		var resp []byte
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if code, resp, _ = hs.Do(http.MethodGet, "/_matrix/client/v3/account/whoami", toks[0], nil); code != http.StatusOK {
				break
			}
		}
		if code != http.StatusUnauthorized || !strings.Contains(string(resp), "M_UNKNOWN_TOKEN") {
			t.Errorf("whoami with the widget's token = %d %s, want 401 M_UNKNOWN_TOKEN", code, resp)
		}
		if got := devicesOf(t, hs, "@lena:localhost"); len(got) != 0 {
			t.Errorf("lena's devices before the client signs in = %q, want none", got)
		}
	})

	t.Run("the client link's token signs lena in, once", func(t *testing.T) {
		code, resp, err := hs.Do(http.MethodPost, "/_matrix/client/v3/login", "", map[string]any{
			"type": "m.login.token", "token": token})
		var login struct {
			UserID   string `json:"user_id"`
			DeviceID string `json:"device_id"`
		}
		if err != nil || code != http.StatusOK || json.Unmarshal(resp, &login) != nil {
			t.Fatalf("m.login.token login = %d %v %s, want 200", code, err, resp)
		}
		if login.UserID != "@lena:localhost" {
			t.Errorf("m.login.token signed in %q, want @lena:localhost", login.UserID)
		}
		if got := devicesOf(t, hs, "@lena:localhost"); len(got) != 1 || got[0] != login.DeviceID {
			t.Errorf("lena's devices = %q, want only the token login's %q", got, login.DeviceID)
		}
		code, resp, _ = hs.Do(http.MethodPost, "/_matrix/client/v3/login", "", map[string]any{
			"type": "m.login.token", "token": token})
		if code != http.StatusForbidden {
			t.Errorf("the same login token a second time = %d %s, want 403", code, resp)
		}
	})

	if err := hs.Login(t, "lena", password); err != nil {
		t.Errorf("the new account does not log in with its password: %v", err)
	}
	places := checkNoSecrets(t, ctx, cl, map[string]string{"password": password})
	control(t, places, "dom", "@lena:localhost")
	control(t, places, "dom", "loginToken=")
}

// devicesOf lists the device IDs Synapse holds for userID (admin API,
// GET /_synapse/admin/v2/users/<user_id>/devices).
func devicesOf(t *testing.T, hs *Synapse, userID string) []string {
	t.Helper()
	var d struct {
		Devices []struct {
			DeviceID string `json:"device_id"`
		} `json:"devices"`
	}
	path := "/_synapse/admin/v2/users/" + url.PathEscape(userID) + "/devices"
	if code, resp := hs.Admin(t, http.MethodGet, path, nil, &d); code != http.StatusOK {
		t.Fatalf("reading %s's devices failed: %d %s", userID, code, resp)
	}
	out := []string{}
	for _, x := range d.Devices {
		out = append(out, x.DeviceID)
	}
	return out
}
