package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMakeRebuildsOnlyWhatChanged runs the Makefile with -n (print, do
// not run) in a small tree of stand-in files: with the outputs newer than
// every source, make build runs nothing (a second make run starts at
// once); a changed source rebuilds the WASM and the server and
// recompresses; make build uses a fast brotli quality, make static and
// make release quality 11.
func TestMakeRebuildsOnlyWhatChanged(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	mk, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	// tree writes the stand-in files: sources an hour old, outputs (and
	// the quality stamp of a quality-6 build) newer.
	tree := func(t *testing.T) string {
		dir := t.TempDir()
		old := time.Now().Add(-time.Hour)
		files := map[string]time.Time{
			"Makefile": old, "go.mod": old, "go.sum": old, "main.go": old,
			"app/ui/form.go": old, "app/i18n/locales/en.json": old, "wasm/main.go": old, "internal/server/server.go": old,
			"app/ui/form_test.go": time.Now(), "e2e/x_test.go": time.Now(),
			"web/app.wasm": time.Now(), "web/app.wasm.br": time.Now(), "web/app.wasm.gz": time.Now(), "bin/signup": time.Now(),
		}
		for name, mtime := range files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			content := []byte("x")
			if name == "Makefile" {
				content = mk
			}
			if err := os.WriteFile(p, content, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(p, mtime, mtime); err != nil {
				t.Fatal(err)
			}
		}
		// The first build records the quality it compressed with.
		stamp := filepath.Join(dir, "bin/.brotli-quality")
		if err := os.WriteFile(stamp, []byte("6\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(stamp, old, old); err != nil {
			t.Fatal(err)
		}

		return dir
	}
	// makeRun runs make in a fresh tree with GO=true: the go commands do
	// nothing, and make prints each command it runs.
	makeRun := func(t *testing.T, args ...string) string {
		t.Helper()
		cmd := exec.Command("make", append([]string{"GO=true"}, args...)...)
		cmd.Dir = tree(t)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	t.Run("nothing changed: nothing runs", func(t *testing.T) {
		if out := makeRun(t, "build"); strings.Contains(out, "-o ") || strings.Contains(out, "compress") {
			t.Errorf("make build with nothing changed runs:\n%s", out)
		}
	})
	t.Run("a test file changed: nothing runs", func(t *testing.T) {
		if out := makeRun(t, "build", "-W", "app/ui/form_test.go"); strings.Contains(out, "compress") {
			t.Errorf("make build after a test changed runs:\n%s", out)
		}
	})
	t.Run("a source changed: the WASM is rebuilt and recompressed at a fast quality", func(t *testing.T) {
		out := makeRun(t, "build", "-W", "app/ui/form.go")
		for _, want := range []string{"-o web/app.wasm ./wasm", "compress -q 6 web/app.wasm", "-o bin/signup ."} {
			if !strings.Contains(out, want) {
				t.Errorf("make build after app/ui/form.go changed lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("a server file changed: only the server", func(t *testing.T) {
		out := makeRun(t, "build", "-W", "internal/server/server.go")
		if !strings.Contains(out, "-o bin/signup .") || strings.Contains(out, "compress") {
			t.Errorf("make build after internal/server changed:\n%s", out)
		}
	})
	t.Run("make release compresses at quality 11", func(t *testing.T) {
		if out := makeRun(t, "release"); !strings.Contains(out, "compress -q 11 web/app.wasm") {
			t.Errorf("make release:\n%s", out)
		}
		if out := makeRun(t, "build", "BROTLI=11"); !strings.Contains(out, "compress -q 11 web/app.wasm") {
			t.Errorf("make build BROTLI=11 after a quality-6 build does not recompress:\n%s", out)
		}
	})
}
