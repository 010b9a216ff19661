package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHSTSFlag(t *testing.T) {
	hs := []string{"-homeserver", "https://matrix.example.org"}

	t.Run("off by default", func(t *testing.T) {
		clearEnv(t)
		f, err := parseFlags(hs)
		if err != nil || f.hsts {
			t.Errorf("hsts %v, %v", f.hsts, err)
		}
	})

	t.Run("-hsts turns it on, and so does SIGNUP_HSTS=true", func(t *testing.T) {
		clearEnv(t)
		if f, err := parseFlags(append(hs, "-hsts")); err != nil || !f.hsts {
			t.Errorf("-hsts: %v, %v", f.hsts, err)
		}
		t.Setenv("SIGNUP_HSTS", "true")
		if f, err := parseFlags(hs); err != nil || !f.hsts {
			t.Errorf("SIGNUP_HSTS=true: %v, %v", f.hsts, err)
		}
	})

	t.Run("a static export with -hsts writes it into _headers", func(t *testing.T) {
		clearEnv(t)
		web, dir := t.TempDir(), t.TempDir()
		for name, content := range map[string]string{"app.wasm": "\x00asm", "app.css": "body {}"} {
			if err := os.WriteFile(filepath.Join(web, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := run(append(hs, "-server-name", "example.org", "-web", web, "-static", dir, "-hsts")); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "_headers"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "\n  Strict-Transport-Security: max-age=63072000\n") {
			t.Errorf("_headers:\n%s", b)
		}
	})
}
