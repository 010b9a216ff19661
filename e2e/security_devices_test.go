package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"signup/e2e/tesths"
)

// A sign-up leaves no device of the widget behind: on Dendrite with the
// default config (inhibit_login), the account's only device after sign-up
// is the one the user then signs in with.
func TestSecuritySignUpLeavesNoDevice(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	ctx, _ := startWidget(t, d.BaseURL)
	fill(t, ctx, "nadia", "a good long password")
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")

	tok, device := loginDevice(t, d, "nadia", "a good long password")
	req, err := http.NewRequest("GET", d.BaseURL+"/_matrix/client/v3/devices", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := matrixClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Devices []struct {
			DeviceID    string `json:"device_id"`
			DisplayName string `json:"display_name"`
		} `json:"devices"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /devices: status %d, %v", resp.StatusCode, err)
	}
	if len(list.Devices) != 1 || list.Devices[0].DeviceID != device {
		t.Errorf("devices = %+v, want only %q, the one just logged in", list.Devices, device)
	}
}

// loginDevice logs in with the password, as Dendrite.Login does, and
// returns the access token and the device the login made (Login keeps
// neither, and calling it too would add a device).
func loginDevice(t *testing.T, d *Dendrite, username, password string) (token, deviceID string) {
	t.Helper()
	code, body, err := d.post("/_matrix/client/v3/login", map[string]any{
		"type":       "m.login.password",
		"identifier": map[string]string{"type": "m.id.user", "user": username},
		"password":   password,
	})
	var ok struct {
		AccessToken string `json:"access_token"`
		DeviceID    string `json:"device_id"`
	}
	if err != nil || code != 200 || json.Unmarshal(body, &ok) != nil || ok.AccessToken == "" || ok.DeviceID == "" {
		t.Fatalf("login %q: status %d: %s %v", username, code, body, err)
	}
	return ok.AccessToken, ok.DeviceID
}

// Where a client takes a login token, the widget needs a login for
// get_token; once it has the token it logs that login out, so its access
// token is dead (the test homeserver invalidates it as the spec says) and
// the hand-off still works. A logout that fails blocks nothing.
func TestSecurityLoginTokenThenLogout(t *testing.T) {
	for _, logoutFails := range []bool{false, true} {
		name := "the widget's access token is invalid after the hand-off"
		if logoutFails {
			name = "a logout that fails still hands the token over"
		}
		t.Run(name, func(t *testing.T) {
			hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.dummy"}}, LoginTokens: true})
			if logoutFails {
				hs.RateLimit("/_matrix/client/v3/logout", 100, time.Minute)
			}
			cfg := writeConfig(t, `{"version": 1, "homeserver": {"url": "`+hs.URL+`", "server_name": "localhost"},
				"after_signup": {"clients": [{"name": "Web", "login_token": true,
					"url": "https://client.example.test/#/login?loginToken={login_token}"}]}}`)
			ctx, _ := startWidget(t, hs.URL, "-config", cfg)
			fill(t, ctx, "omar", "a good long password")
			do(t, ctx, clickStable("submit"))
			waitTokenLink(t, ctx, hs)

			// get_token asks for the password through UIA (as Synapse
			// does): a 401, then the answer, with the same access token.
			gets := hs.RequestsTo("POST", "/_matrix/client/v1/login/get_token")
			if len(gets) != 2 || gets[0].Header.Get("Authorization") != gets[1].Header.Get("Authorization") {
				t.Fatalf("get_token requests: %d", len(gets))
			}
			auth := gets[0].Header.Get("Authorization")
			waitFor(t, 10*time.Second, func() bool { return len(hs.RequestsTo("POST", "/_matrix/client/v3/logout")) > 0 })
			logouts := hs.RequestsTo("POST", "/_matrix/client/v3/logout")
			if len(logouts) != 1 || logouts[0].Header.Get("Authorization") != auth {
				t.Fatalf("logout requests: %+v, want one with the token get_token used", logouts)
			}
			req, _ := http.NewRequest("GET", hs.URL+"/_matrix/client/v3/account/whoami", nil)
			req.Header.Set("Authorization", auth)
			resp, err := matrixClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			switch {
			case !logoutFails && (resp.StatusCode != 401 || hs.AccessTokens() != 0):
				t.Errorf("after the hand-off whoami answers %d with the widget's token; %d tokens valid", resp.StatusCode, hs.AccessTokens())
			case logoutFails && resp.StatusCode != 200:
				t.Errorf("whoami %d: the rate-limited logout should have left the token", resp.StatusCode)
			}
			if !eval[bool](t, ctx, `document.getElementById("success") !== null && document.getElementById("form-error") === null`) {
				t.Errorf("the success panel is gone or an error shows: %q", pageText(ctx))
			}
			noDialogs(t, ctx)
		})
	}
}
