package main

// The test homeserver of the registration runs, and helpers over its
// records.

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"signup/e2e/tesths"
)

// homeserver is a tesths server on loopback, in this process.
type homeserver struct {
	*tesths.Server
	srv *http.Server
}

// regFlow is the flow of the registration runs.
var regFlow = []string{"m.login.terms", "m.login.registration_token", "m.login.email.identity", "m.login.dummy"}

func startHomeserver() (*homeserver, error) { return startHomeserverWith([][]string{regFlow}) }

// startHomeserverWith starts a tesths with these flows (the terms' policies
// and the registration token of the registration runs).
func startHomeserverWith(flows [][]string) (*homeserver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	url := "http://" + ln.Addr().String()
	hs := tesths.New(tesths.Config{
		Flows: flows,
		Params: map[string]any{"m.login.terms": map[string]any{"policies": map[string]any{
			"privacy_policy": map[string]any{
				"version": "1.0",
				"en":      map[string]any{"name": "Privacy Policy", "url": url + tesths.PathPolicy + "?name=Privacy+Policy"},
			},
			"terms_of_service": map[string]any{
				"version": "1.0",
				"en":      map[string]any{"name": "Terms of Service", "url": url + tesths.PathPolicy + "?name=Terms+of+Service"},
			},
		}}},
		RegistrationTokens: []string{benchToken},
	})
	hs.URL = url
	h := &homeserver{Server: hs, srv: &http.Server{Handler: hs, ReadHeaderTimeout: 10 * time.Second}}
	go h.srv.Serve(ln)
	return h, nil
}

func (h *homeserver) close() { h.srv.Close() }

// since returns the recorded requests after t, with method and a path
// suffix ("" for any).
func (h *homeserver) since(t time.Time, method, suffix string) []tesths.Request {
	var out []tesths.Request
	for _, q := range h.Requests() {
		if q.Time.Before(t) || (method != "" && q.Method != method) || !strings.HasSuffix(q.Path, suffix) {
			continue
		}
		out = append(out, q)
	}
	return out
}

func authType(q tesths.Request) string {
	var body struct {
		Auth struct {
			Type string `json:"type"`
		} `json:"auth"`
	}
	json.Unmarshal(q.Body, &body)
	return body.Auth.Type
}

func waitFor(f func() bool, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for !f() {
		if time.Now().After(deadline) {
			return errors.New("timed out")
		}
		time.Sleep(25 * time.Millisecond)
	}
	return nil
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
