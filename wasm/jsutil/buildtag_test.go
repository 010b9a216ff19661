//go:build js && wasm

package jsutil

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// buildLine is the line every Go file under wasm/ must start with, so that
// no browser-only code leaks into native builds (and native tooling such as
// go vet on the host never trips over syscall/js).
const buildLine = "//go:build js && wasm"

// TestBuildTags walks the whole wasm/ tree (the parent of this package's
// directory, which is the test's working directory) and checks every .go
// file's first line.
func TestBuildTags(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(root) != "wasm" {
		t.Fatalf("expected to run in wasm/<pkg>, but parent dir is %s", root)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		checked++
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		if !sc.Scan() || strings.TrimRight(sc.Text(), "\r") != buildLine {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("wasm/%s does not start with %q", filepath.ToSlash(rel), buildLine)
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 3 { // this file, await.go and at least one more
		t.Fatalf("only %d .go files found under %s", checked, root)
	}
	t.Logf("checked %d files", checked)
}
