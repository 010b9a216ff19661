package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The accessibility tests inject axe-core into pages that see a test
// password: it must be exactly the reviewed version, installed without
// running any package's install scripts.
func TestAxeInstallIsPinned(t *testing.T) {
	root := RepoRoot()
	var manifest struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	readJSON(t, filepath.Join(root, "tools/axe/package.json"), &manifest)
	var lock struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
		} `json:"packages"`
	}
	readJSON(t, filepath.Join(root, "tools/axe/package-lock.json"), &lock)

	want := manifest.Dependencies["axe-core"]
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(want) {
		t.Fatalf("package.json asks for axe-core %q: want an exact version", want)
	}
	for name, p := range lock.Packages {
		if name == "" {
			continue
		}
		if !strings.HasPrefix(p.Integrity, "sha512-") {
			t.Errorf("lockfile: %s has no sha512 integrity (%q)", name, p.Integrity)
		}
	}
	if got := lock.Packages["node_modules/axe-core"].Version; got != want {
		t.Errorf("lockfile pins axe-core %q, package.json %q", got, want)
	}

	script, err := os.ReadFile(filepath.Join(root, "tools/axe.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(script), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") || !regexp.MustCompile(`\bnpm (install|i|ci|add)\b`).MatchString(line) {
			continue
		}
		if !strings.Contains(line, "npm ci") || !strings.Contains(line, "--ignore-scripts") {
			t.Errorf("tools/axe.sh installs with %q: want npm ci (the lockfile, integrity checked) with --ignore-scripts", strings.TrimSpace(line))
		}
	}

	// What the tests inject is what the lockfile pins.
	var installed struct {
		Version string `json:"version"`
	}
	pkg := filepath.Join(filepath.Dir(axePath()), "package.json")
	if _, err := os.Stat(pkg); err != nil {
		t.Skipf("axe-core is not installed (%v): make axe", err)
	}
	readJSON(t, pkg, &installed)
	if installed.Version != want {
		t.Errorf("installed axe-core is %s, the lockfile pins %s (run make axe)", installed.Version, want)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
