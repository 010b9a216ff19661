//go:build js && wasm

package jsutil

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// buildLine is the line every Go file under wasm/ must start with, so that
// no browser-only code leaks into native builds.
const buildLine = "//go:build js && wasm"

// TestBuildTags walks the whole wasm/ tree (the parent of this package's
// directory, which is the test's working directory) and checks that every
// .go file starts with buildLine.
func TestBuildTags(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(root) != "wasm" {
		t.Fatalf("expected to run in wasm/<pkg>, but the parent dir is %s", root)
	}
	bad, checked, err := missingBuildLine(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range bad {
		t.Errorf("wasm/%s does not start with %q", path, buildLine)
	}
	if checked < 3 { // at least this file, await.go and await_test.go
		t.Fatalf("only %d .go files found under %s", checked, root)
	}
	t.Logf("checked %d files", checked)
}

// TestMissingBuildLine makes sure the check itself catches bad files.
func TestMissingBuildLine(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"good.go":          buildLine + "\n\npackage good\n",
		"crlf.go":          buildLine + "\r\n\r\npackage good\n",
		"sub/good.go":      buildLine + "\n\n// Package sub.\npackage sub\n",
		"notgo.txt":        "anything",
		"none.go":          "package none\n",
		"empty.go":         "",
		"other.go":         "//go:build js\n\npackage other\n",
		"late.go":          "// Copyright.\n" + buildLine + "\n\npackage late\n",
		"sub/deep/none.go": "package deep\n",
	}
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bad, checked, err := missingBuildLine(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"empty.go", "late.go", "none.go", "other.go", "sub/deep/none.go"}
	if !slices.Equal(bad, want) || checked != 8 {
		t.Errorf("got %v (%d checked), want %v (8 checked)", bad, checked, want)
	}
}

// missingBuildLine returns the slash-separated paths, relative to root, of
// the .go files under root whose first line is not buildLine, and how many
// .go files it checked.
func missingBuildLine(root string) (bad []string, checked int, err error) {
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
		if !sc.Scan() || strings.TrimSuffix(sc.Text(), "\r") != buildLine {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			bad = append(bad, filepath.ToSlash(rel))
		}
		return sc.Err()
	})
	return bad, checked, err
}
