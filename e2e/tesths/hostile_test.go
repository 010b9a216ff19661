package tesths

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// hpost sends a JSON body to the hostile server and returns the status,
// headers and body (at most 4 MiB of it).
func hpost(t *testing.T, h *Hostile, path, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", h.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

const regBody = `{"username":"alice","password":"long enough password"}`

func TestHostileOneShotsInOrderThenSpec(t *testing.T) {
	h := StartHostile(t, Config{}, AttackFlowsString, AttackSessionNumber, AttackNoSession, AttackHTMLError, AttackHugeBody, AttackDeepJSON)
	want := []struct {
		status int
		check  func([]byte) bool
	}{
		{401, func(b []byte) bool { return strings.Contains(string(b), `"flows":"m.login.dummy"`) }},
		{401, func(b []byte) bool { return strings.Contains(string(b), `"session":12345`) }},
		{401, func(b []byte) bool { return !strings.Contains(string(b), `"session"`) }},
		{403, func(b []byte) bool {
			var e matrixError
			return json.Unmarshal(b, &e) == nil && e.Errcode == "M_FORBIDDEN" && e.Error == HostileHTML
		}},
		{401, func(b []byte) bool { return len(b) > HugeBodyBytes && json.Valid(b) }},
		{401, func(b []byte) bool { return strings.Count(string(b), "[") == DeepJSONLevels }},
		{401, func(b []byte) bool {
			var u uiaBody
			return json.Unmarshal(b, &u) == nil && u.Session != "" && len(u.Flows) == 1
		}},
	}
	for i, w := range want {
		status, hdr, body := hpost(t, h, register, regBody)
		if status != w.status || !w.check(body) {
			t.Errorf("request %d: %d %.200s", i+1, status, body)
		}
		if hdr.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("request %d: no CORS header", i+1)
		}
	}
	if n := len(h.RequestsTo("POST", register)); n != len(want) {
		t.Errorf("recorded %d register requests, want %d", n, len(want))
	}
}

func TestHostileTermsParams(t *testing.T) {
	h := StartHostile(t, Config{Flows: [][]string{{stageTerms}}}, AttackTermsLinks)
	status, _, body := hpost(t, h, register, regBody)
	var u uiaBody
	if status != 401 || json.Unmarshal(body, &u) != nil {
		t.Fatalf("%d %s", status, body)
	}
	b, _ := json.Marshal(u.Params[stageTerms])
	for _, want := range []string{"javascript:", "data:text/html", "vbscript:", `\u003cscript\u003e`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("terms params lack %q: %s", want, b)
		}
	}
}

func TestHostileRewrites(t *testing.T) {
	h := StartHostile(t, Config{Flows: [][]string{{stageDummy}}}, AttackHTMLUserID, AttackManyFlows)
	status, _, body := hpost(t, h, register, regBody)
	var u uiaBody
	if status != 401 || json.Unmarshal(body, &u) != nil || len(u.Flows) != ManyFlows+1 || u.Flows[0].Stages[0] != stageDummy {
		t.Fatalf("%d, %d flows", status, len(u.Flows))
	}
	status, _, body = hpost(t, h, register, `{"username":"alice","password":"long enough password","auth":{"type":"m.login.dummy","session":"`+u.Session+`"}}`)
	var ok loginResponse
	if status != 200 || json.Unmarshal(body, &ok) != nil || ok.UserID != HostileUserID || ok.AccessToken == "" {
		t.Fatalf("%d %s", status, body)
	}
	if users := h.Users(); len(users) != 1 || users[0] != "@alice:localhost" {
		t.Errorf("users %q", users)
	}
}

func TestHostileSubmitURL(t *testing.T) {
	h := StartHostile(t, Config{Flows: [][]string{{stageMsisdn}}}, AttackSubmitURL)
	req := `{"client_secret":"abc","country":"GB","phone_number":"07700900123","send_attempt":1}`
	_, _, body := hpost(t, h, msisdnTok, req)
	var v map[string]any
	if json.Unmarshal(body, &v) != nil || v["submit_url"] != DefaultHostileSubmitURL || v["sid"] == "" {
		t.Fatalf("%s", body)
	}
	h.SetSubmitURL("data:text/html,x")
	_, _, body = hpost(t, h, msisdnTok, strings.Replace(req, `"send_attempt":1`, `"send_attempt":2`, 1))
	if json.Unmarshal(body, &v) != nil || v["submit_url"] != "data:text/html,x" {
		t.Fatalf("%s", body)
	}
}

func TestHostileRedirectAndFallback(t *testing.T) {
	h := StartHostile(t, Config{Flows: [][]string{{"org.example.hostile"}}}, AttackRedirect, AttackFallbackOrigin)
	status, hdr, _ := hpost(t, h, register, regBody)
	if status != http.StatusTemporaryRedirect || !strings.HasPrefix(hdr.Get("Location"), h.Other+register) {
		t.Fatalf("%d Location %q", status, hdr.Get("Location"))
	}
	if len(h.OtherRequests()) != 0 {
		t.Fatal("the other origin saw a request the client never sent")
	}

	// The fallback page completes the stage and sends the browser away.
	h.Server.mu.Lock()
	sess := h.Server.newSession(opRegister)
	h.Server.mu.Unlock()
	resp, err := client.Get(h.URL + "/_matrix/client/v3/auth/org.example.hostile/fallback/web?session=" + sess.id)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), h.Other+"/fallback") {
		t.Fatalf("%d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if done, _ := h.Completed(sess.id); len(done) != 1 {
		t.Errorf("completed %q", done)
	}
	resp, err = client.Get(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `postMessage("authDone", "*")`) || len(h.OtherRequests()) != 1 {
		t.Errorf("other origin page %.100s, %d requests", page, len(h.OtherRequests()))
	}
}

func TestHostileNeverEndingAndDropped(t *testing.T) {
	h := StartHostile(t, Config{}, AttackNeverEnding)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", h.URL+register, strings.NewReader(regBody))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err) // the headers arrive
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("reading the never-ending body: %v", err)
	}

	d := StartHostile(t, Config{}, AttackDropped)
	resp, err = http.Post(d.URL+register, "application/json", strings.NewReader(regBody))
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		t.Fatal("the dropped body read without an error")
	}
}
