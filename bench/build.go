package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// sizes are the bytes of one app.wasm, raw and precompressed.
type sizes struct {
	raw, gz, br int64
}

// workspace knows where things are: the repository root, the bench
// directory and its output directory .out (build outputs and caches).
type workspace struct {
	root, bench, out string
	// flags are the widget's WASM build flags (the Makefile's
	// GOFLAGS_BUILD), used for every WASM the benchmark builds.
	flags []string
	// flagSource says where flags came from (the Makefile, or -build-flags).
	flagSource string
	log        io.Writer
}

// splitFlags splits a Makefile flag string such as
// `-trimpath -ldflags=-s\ -w` on unescaped spaces.
func splitFlags(s string) []string {
	var out []string
	var cur strings.Builder
	esc := false
	for _, r := range s {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case r == '\\':
			esc = true
		case r == ' ' || r == '\t':
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// run runs a command in dir, its output going to the log.
func (w *workspace) run(dir string, env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = w.log
	cmd.Stderr = w.log
	fmt.Fprintf(w.log, "$ (cd %s && %s %s %s)\n", dir, strings.Join(env, " "), name, strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}

// goBuild builds pkg (relative to dir) to out; wasm builds for GOOS=js
// GOARCH=wasm.
func (w *workspace) goBuild(dir, pkg, out string, wasm bool, flags []string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	var env []string
	if wasm {
		env = []string{"GOOS=js", "GOARCH=wasm"}
	}
	args := append([]string{"build"}, flags...)
	args = append(args, "-o", out, pkg)
	return w.run(dir, env, "go", args...)
}

func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sameFile reports whether two files hold the same bytes.
func sameFile(a, b string) (bool, error) {
	x, err := os.ReadFile(a)
	if err != nil {
		return false, err
	}
	y, err := os.ReadFile(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(x, y), nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return st.Size()
}

// compress writes path.br and path.gz with the project's own compressor
// (internal/cmd/compress: brotli and gzip at their best levels, as make
// build does for web/app.wasm), unless they are there for these very bytes
// (a .sha256 file beside them says so).
func (w *workspace) compress(path string) (sizes, error) {
	sum, err := fileHash(path)
	if err != nil {
		return sizes{}, err
	}
	stamp := path + ".sha256"
	if old, err := os.ReadFile(stamp); err != nil || string(old) != sum || fileSize(path+".br") <= 0 || fileSize(path+".gz") <= 0 {
		if err := w.run(w.root, nil, filepath.Join(w.out, "bin", "compress"), path); err != nil {
			return sizes{}, err
		}
		if err := os.WriteFile(stamp, []byte(sum), 0o644); err != nil {
			return sizes{}, err
		}
	}
	return sizes{raw: fileSize(path), gz: fileSize(path + ".gz"), br: fileSize(path + ".br")}, nil
}

// wasmOptFeatures are the WASM features Go's output uses, for wasm-opt
// runs that enable only those: binaryen 108 refuses Go's sign-extension
// instructions without them.
var wasmOptFeatures = []string{"--enable-sign-ext", "--enable-nontrapping-float-to-int", "--enable-bulk-memory", "--enable-mutable-globals"}

// wasmOpt runs Debian's binaryen wasm-opt with args on in, to out, unless
// out is there for these input bytes and args.
func (w *workspace) wasmOpt(in, out string, args ...string) error {
	sum, err := fileHash(in)
	if err != nil {
		return err
	}
	sum += " " + strings.Join(args, " ")
	stamp := out + ".input.sha256"
	if old, err := os.ReadFile(stamp); err == nil && string(old) == sum && fileSize(out) > 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := w.run(w.root, nil, "wasm-opt", append(args, in, "-o", out)...); err != nil {
		return err
	}
	return os.WriteFile(stamp, []byte(sum), 0o644)
}

func copyFile(src, dst string, mode os.FileMode) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	os.Remove(dst) // a running copy can't be overwritten in place
	return os.WriteFile(dst, b, mode)
}

// copyDir copies the regular files of src into dst (not recursive).
func copyDir(src, dst string, skip func(name string) bool) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || skip(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// builds are the outputs of the build phase.
type builds struct {
	widget, floor, linked, noflags sizes
	// opt is wasm-opt -Oz with Go's features enabled; optAll is
	// wasm-opt -all -Oz (all features on).
	opt, optAll sizes
	// optAllWasm is the -all output, served beside the other as
	// /web/app-all.wasm so the browser can try to compile it.
	optAllWasm string
	// webOpt is a copy of web/ with the wasm-opt'ed app.wasm, for a
	// second widget server.
	webOpt, floorWeb string
	// widgetWeb and signup are the snapshot of web/ and bin/signup the
	// benchmark serves, taken at the start: others may rebuild web/
	// while it runs.
	widgetWeb, signup string
	// widgetBuildNote says whether web/app.wasm is the build measured.
	widgetBuildNote         string
	floorServer             string
	optSeconds, buildFloorS float64
	flags                   []string
}

// build builds the floor app, its server and the variants of the "ways
// in", and compresses every WASM (two at a time: compression is single
// threaded).
func (w *workspace) build() (*builds, error) {
	b := &builds{
		floorWeb:    filepath.Join(w.out, "floor", "web"),
		floorServer: filepath.Join(w.out, "bin", "floorserver"),
		webOpt:      filepath.Join(w.out, "wasmopt", "web"),
		flags:       w.flags,
	}
	if fileSize(filepath.Join(w.root, "bin", "signup")) <= 0 {
		return nil, fmt.Errorf("bin/signup is missing: run make build (make bench does)")
	}
	// The widget: web/'s other files and bin/signup as make build wrote
	// them (others may rebuild web/ meanwhile), and app.wasm built here
	// with the same flags as the floor, so that the two are alike whoever
	// built web/app.wasm and how.
	web := filepath.Join(w.out, "widget", "web")
	b.widgetWeb, b.signup = web, filepath.Join(w.out, "bin", "signup")
	os.RemoveAll(web)
	if err := copyDir(filepath.Join(w.root, "web"), web, func(n string) bool { return strings.HasPrefix(n, "app.wasm") }); err != nil {
		return nil, err
	}
	if err := copyFile(filepath.Join(w.root, "bin", "signup"), b.signup, 0o755); err != nil {
		return nil, err
	}
	wasm := filepath.Join(web, "app.wasm")
	step := func(what string, f func() error) error {
		t := time.Now()
		fmt.Fprintf(os.Stderr, "bench: %s…\n", what)
		err := f()
		fmt.Fprintf(w.log, "# %s: %v\n", what, time.Since(t).Round(time.Millisecond))
		return err
	}
	if err := step("building the compressor", func() error {
		return w.goBuild(w.root, "./internal/cmd/compress", filepath.Join(w.out, "bin", "compress"), false, nil)
	}); err != nil {
		return nil, err
	}
	fresh := filepath.Join(w.out, "widget-build", "app.wasm")
	if err := step("building the widget's app.wasm ("+strings.Join(w.flags, " ")+")", func() error {
		return w.goBuild(w.root, "./wasm", fresh, true, w.flags)
	}); err != nil {
		return nil, err
	}
	if err := copyFile(fresh, wasm, 0o644); err != nil {
		return nil, err
	}
	b.widgetBuildNote = "The widget's app.wasm measured is the benchmark's own build; web/app.wasm is missing."
	if same, err := sameFile(fresh, filepath.Join(w.root, "web", "app.wasm")); err == nil {
		if same {
			b.widgetBuildNote = "The widget's app.wasm measured is the benchmark's own build, byte for byte the same as web/app.wasm."
		} else {
			b.widgetBuildNote = "The widget's app.wasm measured is the benchmark's own build; **web/app.wasm differs from it** (stale, or built with other flags): it is not what was measured."
		}
	}
	fmt.Fprintf(os.Stderr, "bench: %s\n", b.widgetBuildNote)
	floorWasm := filepath.Join(b.floorWeb, "app.wasm")
	if err := step("building the floor app (WASM, "+strings.Join(w.flags, " ")+")", func() error {
		t := time.Now()
		err := w.goBuild(w.bench, "./floor", floorWasm, true, w.flags)
		b.buildFloorS = time.Since(t).Seconds()
		return err
	}); err != nil {
		return nil, err
	}
	if err := step("building the floor server", func() error {
		return w.goBuild(w.bench, "./floor/server", b.floorServer, false, []string{"-trimpath"})
	}); err != nil {
		return nil, err
	}
	linked := filepath.Join(w.out, "linked", "app.wasm")
	if err := step("building the floor app with its server linked in", func() error {
		return w.goBuild(w.bench, "./floor/linked", linked, true, w.flags)
	}); err != nil {
		return nil, err
	}
	noflags := filepath.Join(w.out, "noflags", "app.wasm")
	if err := step("building the widget without the build flags", func() error {
		return w.goBuild(w.root, "./wasm", noflags, true, nil)
	}); err != nil {
		return nil, err
	}
	if err := copyDir(web, b.webOpt, func(n string) bool { return strings.HasPrefix(n, "app.wasm") || strings.HasPrefix(n, "app-all.wasm") }); err != nil {
		return nil, err
	}
	optWasm := filepath.Join(b.webOpt, "app.wasm")

	// wasm-opt (which uses every core) one run at a time, then the
	// compressions, two at a time (each is single-threaded).
	if err := step("wasm-opt -Oz (Go's features) on the widget", func() error {
		t := time.Now()
		err := w.wasmOpt(wasm, optWasm, append(wasmOptFeatures, "-Oz")...)
		b.optSeconds = time.Since(t).Seconds()
		return err
	}); err != nil {
		return nil, err
	}
	optAll := filepath.Join(w.out, "wasmopt-all", "app.wasm")
	if err := step("wasm-opt -all -Oz on the widget", func() error {
		return w.wasmOpt(wasm, optAll, "-all", "-Oz")
	}); err != nil {
		return nil, err
	}
	var (
		wg   sync.WaitGroup
		sem  = make(chan struct{}, 2)
		mu   sync.Mutex
		errs []error
	)
	job := func(what string, f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := step(what, f); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", what, err))
				mu.Unlock()
			}
		}()
	}
	job("compressing the widget's app.wasm", func() (err error) {
		// In widget-build/, which stays from run to run, so that an
		// unchanged WASM is not compressed again.
		if b.widget, err = w.compress(fresh); err != nil {
			return err
		}
		for _, ext := range []string{".br", ".gz"} {
			if err := copyFile(fresh+ext, wasm+ext, 0o644); err != nil {
				return err
			}
		}
		return nil
	})
	job("compressing the floor app", func() (err error) { b.floor, err = w.compress(floorWasm); return })
	job("compressing the widget after wasm-opt", func() (err error) { b.opt, err = w.compress(optWasm); return })
	// The -all output is only tried in the browser (which refuses it with
	// binaryen 108 and Chromium 156), so it is not compressed.
	b.optAll = sizes{raw: fileSize(optAll), gz: -1, br: -1}
	b.optAllWasm = filepath.Join(b.webOpt, "app-all.wasm")
	if err := copyFile(optAll, b.optAllWasm, 0o644); err != nil {
		return nil, err
	}
	job("compressing the linked floor app", func() (err error) { b.linked, err = w.compress(linked); return })
	job("compressing the widget built without flags", func() (err error) { b.noflags, err = w.compress(noflags); return })
	wg.Wait()
	if len(errs) > 0 {
		return nil, errs[0]
	}
	// The copies of the assets must not be older than the .br/.gz (the
	// server refuses a stale .br).
	now := time.Now()
	for _, f := range []string{wasm + ".br", wasm + ".gz", optWasm + ".br", optWasm + ".gz"} {
		os.Chtimes(f, now, now)
	}
	return b, nil
}
