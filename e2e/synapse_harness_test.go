package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// The Synapse harness itself: it starts, the shared-secret admin API makes
// accounts that log in with their password (and not with another), and the
// admin API answers for the admin it made.
func TestSynapseHarness(t *testing.T) {
	s := StartSynapse(t, SynapseOptions{})
	if s.ServerName != "localhost" {
		t.Errorf("ServerName = %q", s.ServerName)
	}
	if got := s.Register(t, "alice", "correct horse"); got != "@alice:localhost" {
		t.Fatalf("user_id = %q", got)
	}
	if err := s.Login(t, "alice", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if err := s.Login(t, "alice", "wrong"); err == nil {
		t.Fatal("a wrong password logged in")
	}
	if got := s.RegisterOpen(t, "bob", "correct horse"); got != "@bob:localhost" {
		t.Fatalf("open registration user_id = %q", got)
	}
	var user struct {
		Name  string `json:"name"`
		Admin bool   `json:"admin"`
	}
	if code, resp := s.Admin(t, http.MethodGet, "/_synapse/admin/v2/users/@admin:localhost", nil, &user); code != 200 || !user.Admin {
		t.Fatalf("admin user: %d %s", code, resp)
	}
	if tok := s.NewRegistrationToken(t, 1); tok == "" || strings.ContainsAny(tok, " /") {
		t.Fatalf("token = %q", tok)
	}
}
