package e2e

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A config with a mistake stops bin/signup at start-up: exit status 1, and
// stderr names the file, the field's full path and what is wrong, so the
// operator can fix it without reading the source.
func TestOperatorConfigValidationAtStartup(t *testing.T) {
	cases := []struct {
		name, file string
		want       []string // in stderr, besides the file's path
	}{
		{"unknown field, with a suggestion", "unknown_field.yaml",
			[]string{"brand.acent_color", "unknown field", `did you mean "accent_color"`}},
		{"colour that is not #hex", "bad_colour.json",
			[]string{"brand.accent_color", `"red" is not a colour`}},
		{"problems in lists", "bad_nested.yaml",
			[]string{"texts.footer[0].url", "after_signup.clients[0].url", "unknown placeholder {user}"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := operatorTestdata(c.file)
			code, stdout, stderr := runSignup(t, 20*time.Second, "-addr", "127.0.0.1:0", "-config", path)
			if code != 1 {
				t.Errorf("exit status = %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if miss := opMissing(stderr, append([]string{path}, c.want...)...); miss != "" {
				t.Errorf("stderr lacks %q:\n%s", miss, stderr)
			}
			if strings.Contains(stderr, "serving the widget") || strings.Contains(stdout, "serving the widget") {
				t.Errorf("the server started with a bad config")
			}
		})
	}
	t.Run("a flag does not hide a bad file", func(t *testing.T) {
		// -homeserver overrides homeserver.url, but the colour is still
		// checked.
		path := operatorTestdata("bad_colour.json")
		code, _, stderr := runSignup(t, 20*time.Second, "-addr", "127.0.0.1:0", "-config", path, "-homeserver", "http://127.0.0.1:9")
		if code != 1 || !strings.Contains(stderr, "brand.accent_color") || !strings.Contains(stderr, path) {
			t.Errorf("exit %d, stderr:\n%s", code, stderr)
		}
	})
	t.Run("a missing file is named", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nope.yaml")
		code, _, stderr := runSignup(t, 20*time.Second, "-addr", "127.0.0.1:0", "-config", path)
		if code != 1 || !strings.Contains(stderr, path) {
			t.Errorf("exit %d, stderr:\n%s", code, stderr)
		}
	})
}

// runSignup runs bin/signup with args in the repository root, bounded by
// timeout, and returns its exit status, stdout and stderr.
func runSignup(t *testing.T, timeout time.Duration, args ...string) (int, string, string) {
	t.Helper()
	root := RepoRoot()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(root, "bin", "signup"), args...)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("bin/signup %s did not exit within %s\nstderr: %s", strings.Join(args, " "), timeout, stderr.String())
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stdout.String(), stderr.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), stdout.String(), stderr.String()
	}
	t.Fatalf("running bin/signup: %v", err)
	return 0, "", ""
}
