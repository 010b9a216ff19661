package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestHarnessDendriteRegisterLogin(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	if d.ServerName != "localhost" {
		t.Errorf("ServerName = %q, want localhost", d.ServerName)
	}
	if got := d.Register(t, "alice", "correct horse"); got != "@alice:localhost" {
		t.Fatalf("user_id = %q, want @alice:localhost", got)
	}
	if err := d.Login(t, "alice", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if err := d.Login(t, "alice", "wrong"); err == nil {
		t.Fatal("login with a wrong password worked")
	}
}

func TestHarnessDendriteRestartKeepsAccount(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{})
	d.Register(t, "bob", "hunter22")
	port := d.Port
	d.Stop()
	if _, err := http.Get(d.BaseURL + "/_matrix/client/versions"); err == nil {
		t.Fatal("dendrite still answers after Stop")
	}
	d.Start()
	if d.Port != port {
		t.Fatalf("port changed from %d to %d", port, d.Port)
	}
	if err := d.Login(t, "bob", "hunter22"); err != nil {
		t.Fatalf("login after restart: %v", err)
	}
}

func TestHarnessDendritePersistentDataDir(t *testing.T) {
	dir := t.TempDir()
	d := StartDendrite(t, DendriteOptions{DataDir: dir})
	d.Register(t, "carol", "pass-word-1")
	d.Stop()
	key, err := os.ReadFile(filepath.Join(dir, DendriteKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	// A second harness on the same directory keeps the key and the account.
	d2 := StartDendrite(t, DendriteOptions{DataDir: dir})
	if err := d2.Login(t, "carol", "pass-word-1"); err != nil {
		t.Fatal(err)
	}
	key2, _ := os.ReadFile(filepath.Join(dir, DendriteKeyFile))
	if string(key) != string(key2) {
		t.Fatal("the signing key changed")
	}
}

func TestHarnessDendriteRegistrationDisabled(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{RegistrationDisabled: true, GuestsDisabled: true})
	code, body, err := d.post("/_matrix/client/v3/register", map[string]any{"username": "eve", "password": "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	if code != http.StatusForbidden {
		t.Fatalf("register: status %d, want 403: %s", code, body)
	}
}

func TestHarnessDendriteRecaptchaFlow(t *testing.T) {
	d := StartDendrite(t, DendriteOptions{
		RecaptchaPublicKey:     "public",
		RecaptchaPrivateKey:    "private",
		RecaptchaSiteVerifyURL: "http://127.0.0.1:1/siteverify",
	})
	code, body, err := d.post("/_matrix/client/v3/register", map[string]any{"username": "dave", "password": "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	var uia struct {
		Flows []struct {
			Stages []string `json:"stages"`
		} `json:"flows"`
		Params map[string]map[string]string `json:"params"`
	}
	if code != http.StatusUnauthorized || json.Unmarshal(body, &uia) != nil {
		t.Fatalf("register: status %d: %s", code, body)
	}
	if len(uia.Flows) != 1 || strings.Join(uia.Flows[0].Stages, ",") != "m.login.recaptcha" {
		t.Fatalf("flows = %+v, want only m.login.recaptcha", uia.Flows)
	}
	if got := uia.Params["m.login.recaptcha"]["public_key"]; got != "public" {
		t.Fatalf("recaptcha public_key = %q", got)
	}
}

func TestHarnessDendriteConfig(t *testing.T) {
	dir := t.TempDir()
	path, err := WriteDendriteConfig(dir, 18008, DendriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"server_name: localhost",
		"disable_federation: true",
		"in_memory: true",
		"key_perspectives: []",
		"registration_disabled: false",
		"bcrypt_cost: 4",
		"connection_string: file:" + dir,
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("config lacks %q", want)
		}
	}
	if strings.Contains(string(data), "vector.im") {
		t.Error("config still trusts vector.im as an identity server")
	}
}

func TestHarnessBrowser(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>harness page</title>
<button id="alert" onclick="alert('hello')">alert</button>
<button id="err" onclick="console.error('boom')">err</button>`)
	}))
	defer ts.Close()

	ctx := NewBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL)); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "harness page" {
		t.Fatalf("title = %q", title)
	}
	if got := Dialogs(ctx); len(got) != 0 {
		t.Fatalf("dialogs before the click: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("alert")), chromedp.Click(chromedp.ID("err"))); err != nil {
		t.Fatal(err)
	}
	if got := Dialogs(ctx); len(got) != 1 || got[0] != "alert: hello" {
		t.Fatalf("dialogs = %q, want [alert: hello]", got)
	}
	waitFor(t, 10*time.Second, func() bool { return len(ConsoleErrors(ctx)) > 0 })
	if got := ConsoleErrors(ctx); !strings.Contains(got[0], "boom") {
		t.Fatalf("console errors = %q", got)
	}

	// A second tab has records of its own.
	tab := NewTab(t, ctx)
	tab, cancelTab := context.WithTimeout(tab, 60*time.Second)
	defer cancelTab()
	if err := chromedp.Do(tab, chromedp.Navigate("data:text/html,<title>tab two</title>")); err != nil {
		t.Fatal(err)
	}
	title, err = chromedp.Run(tab, chromedp.Title())
	if err != nil || title != "tab two" {
		t.Fatalf("tab title = %q, %v", title, err)
	}
	if got := Dialogs(tab); len(got) != 0 {
		t.Fatalf("dialogs of the second tab = %q", got)
	}
}

// waitFor polls cond until it holds, and fails the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(fmt.Sprintf("condition not met within %s", timeout))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
