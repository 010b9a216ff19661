package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// Register creates the account username with password through Synapse's
// shared-secret admin API (see [Synapse.SharedSecretRegister]), whatever
// the registration settings, and returns its user ID.
func (s *Synapse) Register(t testing.TB, username, password string) (userID string) {
	t.Helper()
	id, _ := s.SharedSecretRegister(t, username, password, false)
	return id
}

// RegisterOpen creates the account through the client API, as a client
// would: POST /_matrix/client/v3/register, then the m.login.dummy stage. It
// counts against rc_registration. The test fails when that does not work.
func (s *Synapse) RegisterOpen(t testing.TB, username, password string) (userID string) {
	t.Helper()
	body := map[string]any{"username": username, "password": password, "inhibit_login": true}
	code, resp, err := s.Do(http.MethodPost, "/_matrix/client/v3/register", "", body)
	if err == nil && code == http.StatusUnauthorized {
		var uia struct {
			Session string `json:"session"`
		}
		if json.Unmarshal(resp, &uia) != nil || uia.Session == "" {
			t.Fatalf("register %q: 401 without a session: %s", username, resp)
		}
		body["auth"] = map[string]string{"type": "m.login.dummy", "session": uia.Session}
		code, resp, err = s.Do(http.MethodPost, "/_matrix/client/v3/register", "", body)
	}
	if err != nil || code != http.StatusOK {
		t.Fatalf("register %q failed: status %d, %v: %s", username, code, err, resp)
	}
	return userIDOf(t, resp)
}

// SharedSecretRegister registers username through
// POST /_synapse/admin/v1/register: it GETs a nonce, then POSTs the nonce,
// the account and an HMAC-SHA1 of "nonce\0username\0password\0admin|notadmin"
// keyed with registration_shared_secret. It returns the user ID and an
// access token. See
// https://element-hq.github.io/synapse/latest/admin_api/register_api.html.
func (s *Synapse) SharedSecretRegister(t testing.TB, username, password string, admin bool) (userID, accessToken string) {
	t.Helper()
	code, resp, err := s.Do(http.MethodGet, "/_synapse/admin/v1/register", "", nil)
	var n struct {
		Nonce string `json:"nonce"`
	}
	if err != nil || code != http.StatusOK || json.Unmarshal(resp, &n) != nil || n.Nonce == "" {
		t.Fatalf("getting a registration nonce failed: status %d, %v: %s", code, err, resp)
	}
	kind := "notadmin"
	if admin {
		kind = "admin"
	}
	mac := hmac.New(sha1.New, []byte(s.secret))
	mac.Write([]byte(n.Nonce + "\x00" + username + "\x00" + password + "\x00" + kind))
	code, resp, err = s.Do(http.MethodPost, "/_synapse/admin/v1/register", "", map[string]any{
		"nonce": n.Nonce, "username": username, "password": password, "admin": admin,
		"mac": hex.EncodeToString(mac.Sum(nil)),
	})
	if err != nil || code != http.StatusOK {
		t.Fatalf("shared-secret registration of %q failed: status %d, %v: %s", username, code, err, resp)
	}
	var ok struct {
		UserID      string `json:"user_id"`
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(resp, &ok) != nil || ok.UserID == "" || ok.AccessToken == "" {
		t.Fatalf("shared-secret registration of %q: no user_id or access_token in %s", username, resp)
	}
	return ok.UserID, ok.AccessToken
}

// AdminUser returns the access token of a server admin, "admin", made on
// first use through the shared secret.
func (s *Synapse) AdminUser(t testing.TB) (accessToken string) {
	t.Helper()
	if s.admin == "" {
		_, s.admin = s.SharedSecretRegister(t, "admin", "an admin's long password", true)
	}
	return s.admin
}

// Admin sends an admin API request (path such as
// "/_synapse/admin/v2/users/@a:localhost") as AdminUser, body as JSON
// unless nil, and decodes a 200 answer into out unless nil. It returns the
// status and the raw answer; the test fails only when no answer came.
func (s *Synapse) Admin(t testing.TB, method, path string, body, out any) (int, []byte) {
	t.Helper()
	code, resp, err := s.Do(method, path, s.AdminUser(t), body)
	if err != nil {
		t.Fatalf("admin %s %s failed: %v", method, path, err)
	}
	if out != nil && code == http.StatusOK {
		if err := json.Unmarshal(resp, out); err != nil {
			t.Fatalf("admin %s %s: decoding %s failed: %v", method, path, resp, err)
		}
	}
	return code, resp
}

// NewRegistrationToken makes a registration token that can be used uses
// times, through POST /_synapse/admin/v1/registration_tokens/new. See
// https://element-hq.github.io/synapse/latest/usage/administration/admin_api/registration_tokens.html.
func (s *Synapse) NewRegistrationToken(t testing.TB, uses int) string {
	t.Helper()
	var tok struct {
		Token string `json:"token"`
	}
	code, resp := s.Admin(t, http.MethodPost, "/_synapse/admin/v1/registration_tokens/new",
		map[string]any{"uses_allowed": uses}, &tok)
	if code != http.StatusOK || tok.Token == "" {
		t.Fatalf("making a registration token failed: status %d: %s", code, resp)
	}
	return tok.Token
}

// Login logs in with POST /_matrix/client/v3/login and the m.login.password
// type. It returns nil when Synapse answers 200 with an access token, and an
// error with the status and the Matrix error otherwise.
func (s *Synapse) Login(t testing.TB, username, password string) error {
	t.Helper()
	code, resp, err := s.Do(http.MethodPost, "/_matrix/client/v3/login", "", map[string]any{
		"type":       "m.login.password",
		"identifier": map[string]string{"type": "m.id.user", "user": username},
		"password":   password,
	})
	if err != nil {
		return fmt.Errorf("login %q failed: %w", username, err)
	}
	var ok struct {
		AccessToken string `json:"access_token"`
	}
	if code != http.StatusOK || json.Unmarshal(resp, &ok) != nil || ok.AccessToken == "" {
		return fmt.Errorf("login %q failed: status %d: %s", username, code, resp)
	}
	return nil
}

// Do sends a request to Synapse, with body as JSON unless nil and the
// access token unless empty, and returns the status and the answer.
func (s *Synapse) Do(method, path, token string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.BaseURL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := matrixClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// userIDOf reads user_id from a /register answer.
func userIDOf(t testing.TB, resp []byte) string {
	t.Helper()
	var ok struct {
		UserID string `json:"user_id"`
	}
	if json.Unmarshal(resp, &ok) != nil || ok.UserID == "" {
		t.Fatalf("no user_id in %s", resp)
	}
	return ok.UserID
}
