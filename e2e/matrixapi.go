package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// matrixClient is the HTTP client of the API helpers.
var matrixClient = &http.Client{Timeout: 30 * time.Second}

// Register creates the account username with password through
// POST /_matrix/client/v3/register and the m.login.dummy flow, and returns
// its user ID, such as @alice:localhost. The test fails when that does not
// work.
func (d *Dendrite) Register(t testing.TB, username, password string) (userID string) {
	t.Helper()
	body := map[string]any{"username": username, "password": password}
	code, resp, err := d.post("/_matrix/client/v3/register", body)
	if err != nil {
		t.Fatalf("register %q: %v", username, err)
	}
	if code == http.StatusUnauthorized {
		var uia struct {
			Session string `json:"session"`
		}
		if err := json.Unmarshal(resp, &uia); err != nil || uia.Session == "" {
			t.Fatalf("register %q: 401 without a session: %s", username, resp)
		}
		body["auth"] = map[string]string{"type": "m.login.dummy", "session": uia.Session}
		code, resp, err = d.post("/_matrix/client/v3/register", body)
		if err != nil {
			t.Fatalf("register %q: %v", username, err)
		}
	}
	if code != http.StatusOK {
		t.Fatalf("register %q: status %d: %s", username, code, resp)
	}
	var ok struct {
		UserID string `json:"user_id"`
	}
	if err := json.Unmarshal(resp, &ok); err != nil || ok.UserID == "" {
		t.Fatalf("register %q: no user_id in %s", username, resp)
	}
	return ok.UserID
}

// Login logs in with POST /_matrix/client/v3/login and the m.login.password
// type. It returns nil when the server answers 200 with an access token, and
// an error with the status and the Matrix error otherwise, for example for a
// wrong password.
func (d *Dendrite) Login(t testing.TB, username, password string) error {
	t.Helper()
	code, resp, err := d.post("/_matrix/client/v3/login", map[string]any{
		"type":       "m.login.password",
		"identifier": map[string]string{"type": "m.id.user", "user": username},
		"password":   password,
	})
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return fmt.Errorf("login %q: status %d: %s", username, code, resp)
	}
	var ok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(resp, &ok); err != nil || ok.AccessToken == "" {
		return fmt.Errorf("login %q: no access_token in %s", username, resp)
	}
	return nil
}

// post sends body as JSON to the path of the server, and returns the status
// code and the body of the answer.
func (d *Dendrite) post(path string, body any) (int, []byte, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	resp, err := matrixClient.Post(d.BaseURL+path, "application/json", bytes.NewReader(data))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}
