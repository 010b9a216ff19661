package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"signup/app/ui"
)

// clearEnv unsets every SIGNUP_ variable for the test, so that the
// environment the tests run in does not leak into the flags.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "SIGNUP_") {
			t.Setenv(k, "") // restores the value after the test
			os.Unsetenv(k)
		}
	}
}

func TestParseFlags(t *testing.T) {
	t.Run("without a homeserver the error says to pass -homeserver", func(t *testing.T) {
		clearEnv(t)
		_, err := parseFlags(nil)
		if err == nil || !strings.Contains(err.Error(), "-homeserver") {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("the defaults listen on localhost and use Google's reCAPTCHA", func(t *testing.T) {
		clearEnv(t)
		f, err := parseFlags([]string{"-homeserver", "https://matrix.example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if f.homeserver != "https://matrix.example.org" || f.addr != "127.0.0.1:8000" || f.web != "web" || f.guests {
			t.Errorf("got %+v", f)
		}
		op, err := operator(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := (ui.Config{Operator: *op}).RecaptchaScript(); got != ui.DefaultRecaptchaScript {
			t.Errorf("reCAPTCHA script = %q", got)
		}
	})

	t.Run("the environment fills in what the flags leave out", func(t *testing.T) {
		clearEnv(t)
		t.Setenv("SIGNUP_HOMESERVER", "example.org")
		t.Setenv("SIGNUP_ADDR", "0.0.0.0:9000")
		t.Setenv("SIGNUP_GUESTS", "true")
		t.Setenv("SIGNUP_TRUSTED_ORIGINS", "https://id.example.com https://sms.example.net/")
		f, err := parseFlags(nil)
		if err != nil {
			t.Fatal(err)
		}
		if f.homeserver != "example.org" || f.addr != "0.0.0.0:9000" || !f.guests {
			t.Errorf("got %+v", f)
		}
	})

	t.Run("a flag overrides the environment", func(t *testing.T) {
		clearEnv(t)
		t.Setenv("SIGNUP_HOMESERVER", "example.org")
		t.Setenv("SIGNUP_ADDR", "0.0.0.0:9000")
		f, err := parseFlags([]string{"-addr", "127.0.0.1:7000", "-homeserver", "https://other.example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if f.addr != "127.0.0.1:7000" || f.homeserver != "https://other.example.org" {
			t.Errorf("got %+v", f)
		}
	})

	for _, tc := range []struct {
		name, want string
		args       []string
	}{
		{"a javascript reCAPTCHA script is refused", "registration.recaptcha_script",
			[]string{"-homeserver", "https://hs.example.org", "-recaptcha-script", "javascript:alert(1)"}},
		{"a data reCAPTCHA script is refused", "registration.recaptcha_script",
			[]string{"-homeserver", "https://hs.example.org", "-recaptcha-script", "data:text/javascript,alert(1)"}},
		{"a trusted origin with a path is refused", "homeserver.trusted_origins[0]",
			[]string{"-homeserver", "https://hs.example.org", "-trusted-origins", "https://id.example.com/submit"}},
		{"a trusted origin that is not http(s) is refused", "homeserver.trusted_origins[1]",
			[]string{"-homeserver", "https://hs.example.org", "-trusted-origins", "https://ok.example.com ftp://id.example.com"}},
		{"an unexpected positional argument is refused", "extra",
			[]string{"-homeserver", "https://hs.example.org", "extra"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			f, err := parseFlags(tc.args)
			if err == nil {
				_, err = operator(f)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}

	t.Run("a bad reCAPTCHA script from the environment is refused too", func(t *testing.T) {
		clearEnv(t)
		t.Setenv("SIGNUP_HOMESERVER", "https://hs.example.org")
		t.Setenv("SIGNUP_RECAPTCHA_SCRIPT", "javascript:alert(1)")
		f, err := parseFlags(nil)
		if err == nil {
			_, err = operator(f)
		}
		if err == nil || !strings.Contains(err.Error(), "registration.recaptcha_script") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestRun(t *testing.T) {
	t.Run("a homeserver that is down stops start-up quickly with a clear error", func(t *testing.T) {
		clearEnv(t)
		srv := httptest.NewServer(http.NotFoundHandler())
		down := srv.URL
		srv.Close()

		start := time.Now()
		done := make(chan error, 1)
		go func() {
			done <- run([]string{"-homeserver", down, "-addr", "127.0.0.1:0", "-web", t.TempDir()})
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "cannot reach the homeserver") || strings.Contains(err.Error(), "not a Matrix homeserver") {
				t.Fatalf("got %v", err)
			}
			if !strings.Contains(err.Error(), "-wait") {
				t.Errorf("the error %q does not offer -wait", err)
			}
			if !strings.Contains(err.Error(), down) {
				t.Errorf("the error %q does not name %s", err, down)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("run did not return")
		}
	})

	t.Run("bad flags stop start-up before any request", func(t *testing.T) {
		clearEnv(t)
		if err := run([]string{"-homeserver", "https://hs.example.org", "-recaptcha-script", "javascript:x"}); err == nil {
			t.Fatal("run accepted the flags")
		}
	})
}

func TestWasmLinksNoServerCode(t *testing.T) {
	t.Run("the browser entry point depends on no server package", func(t *testing.T) {
		goBin, err := exec.LookPath("go")
		if err != nil {
			t.Skip("no go command:", err)
		}
		cmd := exec.Command(goBin, "list", "-deps", "./wasm")
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
		out, err := cmd.Output()
		if err != nil {
			var stderr string
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("go list: %v\n%s", err, stderr)
		}
		deps := strings.Fields(string(out))
		for _, bad := range []string{
			"signup/internal/server",
			"signup/internal/nethttp",
			"github.com/andybalholm/brotli",
		} {
			if slices.Contains(deps, bad) {
				t.Errorf("the WASM links %s", bad)
			}
		}
		for _, want := range []string{"signup/wasm/jsfetch", "github.com/hack-pad/safejs", "signup/app/ui"} {
			if !slices.Contains(deps, want) {
				t.Errorf("the WASM does not link %s; deps:\n%s", want, out)
			}
		}
	})
}
