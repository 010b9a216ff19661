package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Helpers of the recorded Dendrite scenarios (dendrite_record_test.go): a
// Dendrite, the Recorder in front of it and the widget pointed at the
// recorder. The recordings go to e2e/testdata/dendrite/.

// dendritePassword is what the scenarios type as the password.
const dendritePassword = "a good long password"

// dendriteScene is one scenario's Dendrite, recorder and widget tab.
type dendriteScene struct {
	d   *Dendrite
	rec *Recorder
	ctx context.Context
	sig *Signup
}

// startDendriteScene starts Dendrite with opts, a Recorder named scenario
// in front of it, and the widget (with args) on the recorder, open in
// Chromium.
func startDendriteScene(t *testing.T, opts DendriteOptions, scenario string, args ...string) *dendriteScene {
	t.Helper()
	d := StartDendrite(t, opts)
	rec := StartRecorder(t, d.BaseURL, "dendrite", dendriteVersion(t), scenario)
	ctx, sig := startWidget(t, rec.URL, args...)
	return &dendriteScene{d: d, rec: rec, ctx: ctx, sig: sig}
}

// dendriteVersion asks the Dendrite binary its version (dendrite
// -version), as "Dendrite 0.13.8": with federation disabled, Dendrite
// serves no version endpoint.
func dendriteVersion(t *testing.T) string {
	t.Helper()
	out, err := exec.Command(ToolPath("dendrite"), "-version").Output()
	v := strings.TrimSpace(string(out))
	if err != nil || v == "" {
		t.Fatalf("asking Dendrite its version failed: %v", err)
	}
	return "Dendrite " + v
}

// waitSignedUp waits for the success panel and checks the user ID on it,
// then proves the account with a password login.
func (sc *dendriteScene) waitSignedUp(t *testing.T, username, password string) {
	t.Helper()
	waitJS(t, sc.ctx, `document.getElementById("success") !== null`, "the success panel")
	if got := eval[string](t, sc.ctx, `document.getElementById("user-id").textContent`); got != "@"+username+":localhost" {
		t.Errorf("user ID on the success panel = %q", got)
	}
	if err := sc.d.Login(t, username, password); err != nil {
		t.Errorf("the new account does not log in: %v", err)
	}
}

// posts returns the recorded POST /register exchanges whose query is
// query ("" for a user account, "kind=guest" for a guest), in order.
func (sc *dendriteScene) posts(query string) []Exchange {
	var out []Exchange
	for _, e := range sc.rec.Exchanges() {
		if e.Method == http.MethodPost && e.Path == "/_matrix/client/v3/register" && e.Query == query {
			out = append(out, e)
		}
	}
	return out
}

// wantStatuses fails the test unless the exchanges' statuses are want, in
// order.
func wantStatuses(t *testing.T, ex []Exchange, want ...int) {
	t.Helper()
	var got []int
	for _, e := range ex {
		got = append(got, e.Status)
	}
	if !slices.Equal(got, want) {
		t.Errorf("register statuses = %v, want %v", got, want)
	}
}

// answer is the part of a recorded answer the scenarios check.
type answer struct {
	Code    string          `json:"errcode"`
	Message string          `json:"error"`
	Flows   json.RawMessage `json:"flows"`
	Session string          `json:"session"`
	UserID  string          `json:"user_id"`
	RetryMS int64           `json:"retry_after_ms"`
}

// answerOf decodes a recorded answer.
func answerOf(t *testing.T, e Exchange) answer {
	t.Helper()
	var a answer
	if err := json.Unmarshal(e.Response, &a); err != nil {
		t.Fatalf("recorded answer %s: %v", e.Response, err)
	}
	return a
}

// wantError fails the test unless the recorded answer is status with
// errcode, and returns its error text.
func wantError(t *testing.T, e Exchange, status int, errcode string) string {
	t.Helper()
	a := answerOf(t, e)
	if e.Status != status || a.Code != errcode {
		t.Errorf("answer = %d %s, want %d %s", e.Status, e.Response, status, errcode)
	}
	return a.Message
}

// authOfRequest returns the auth type and session a recorded request sent
// ("" when it sent no auth).
func authOfRequest(e Exchange) (typ, session string) {
	var b struct {
		Auth struct {
			Type    string `json:"type"`
			Session string `json:"session"`
		} `json:"auth"`
	}
	json.Unmarshal(e.Request, &b)
	return b.Auth.Type, b.Auth.Session
}
