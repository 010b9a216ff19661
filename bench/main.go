// Command bench is the widget's performance benchmark (make bench). It
// builds a go-app v10 "hello" with the widget's flags (the framework
// floor, ./floor) and the variants of the "ways in", serves the widget and
// the floor the same way on loopback, measures both in one headless
// Chromium (sizes, bytes on the wire, first paint, interactive, cold and
// warm, JS heap, a throttled mobile profile), runs full registrations
// against the test homeserver (e2e/tesths) and a bounded load on the
// widget's server, and prints one table: each figure the median of several
// runs with min and max, each ratio computed pair by pair in the same run,
// and PASS/FAIL against each budget. It writes the same to results.md.
//
//	cd bench && go run . [-runs 5] [-out results.md]
//
// It needs web/app.wasm (+ .br/.gz) and bin/signup: make bench builds them
// first. Nothing here is a test: no figure fails the command.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	runs := flag.Int("runs", 5, "runs of each browser and load measurement")
	variantRuns := flag.Int("variant-runs", 3, "runs of the variants measured for the ways in (wasm-opt, no preload)")
	regRuns := flag.Int("reg-runs", 3, "full registrations")
	out := flag.String("out", "results.md", "the Markdown report to write")
	exe := flag.String("chromium", envOr("CHROMIUM_PATH", "/usr/bin/chromium"), "the browser")
	flags := flag.String("build-flags", `-trimpath -ldflags=-s\ -w`, "the widget's WASM build flags (the Makefile's GOFLAGS_BUILD), used for the floor app too")
	only := flag.String("only", "", "measure only these parts, comma-separated: loopback,mobile,registration,load (default all; for working on the benchmark)")
	flag.Parse()
	t0 := time.Now()
	parts = map[string]bool{}
	for _, p := range strings.Split(*only, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts[p] = true
		}
	}
	if err := run(*runs, *variantRuns, *regRuns, *out, *exe, *flags); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "bench: done in %v\n", time.Since(t0).Round(time.Second))
}

// parts are the parts of -only; empty means all.
var parts map[string]bool

func want(part string) bool { return len(parts) == 0 || parts[part] }

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// apps are the two apps measured side by side, and the variants.
type apps struct {
	widget, floor, widgetOpt, floorNoPreload *server
}

func run(runs, variantRuns, regRuns int, outPath, exe, flagStr string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root := filepath.Dir(wd)
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.HasPrefix(string(b), "module signup\n") {
		return fmt.Errorf("run me from the bench directory of the repository (cd bench && go run .)")
	}
	ws := &workspace{root: root, bench: wd, out: filepath.Join(wd, ".out"), flags: splitFlags(flagStr)}
	if err := os.MkdirAll(ws.out, 0o755); err != nil {
		return err
	}
	logf, err := os.Create(filepath.Join(ws.out, "bench.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	ws.log = logf
	debugLog = logf
	started := time.Now()
	loadBefore := loadAvg()

	// Build.
	tb := time.Now()
	b, err := ws.build()
	if err != nil {
		return err
	}

	// Serve.
	hs, err := startHomeserver()
	if err != nil {
		return err
	}
	defer hs.close()
	signup := b.signup
	hsArgs := []string{"-homeserver", hs.URL, "-server-name", "localhost"}
	var a apps
	start := func(dst **server, name, dir, bin string, args ...string) error {
		s, err := startServer(name, dir, filepath.Join(ws.out, name+".log"), bin, args...)
		*dst = s
		return err
	}
	defer func() {
		for _, s := range []*server{a.widget, a.floor, a.widgetOpt, a.floorNoPreload} {
			if s != nil {
				s.stop()
			}
		}
	}()
	if err := start(&a.widget, "widget", root, signup, append(hsArgs, "-web", b.widgetWeb)...); err != nil {
		return err
	}
	if err := start(&a.widgetOpt, "widget-wasm-opt", root, signup, append(hsArgs, "-web", b.webOpt)...); err != nil {
		return err
	}
	if err := start(&a.floor, "floor", ws.out, b.floorServer, "-web", b.floorWeb); err != nil {
		return err
	}
	if err := start(&a.floorNoPreload, "floor-no-preload", ws.out, b.floorServer, "-web", b.floorWeb, "-preload=false"); err != nil {
		return err
	}

	c, err := startChromium(exe, filepath.Join(ws.out, "chromium.log"))
	if err != nil {
		return err
	}
	defer c.close()

	m := &measurements{runs: runs}
	var phases []string
	phase := func(name string, t time.Time) {
		phases = append(phases, fmt.Sprintf("%s %v", name, time.Since(t).Round(time.Second)))
	}
	phase("builds", tb)
	if want("loopback") {
		t := time.Now()
		if err := m.loopback(c, a, runs, variantRuns); err != nil {
			return err
		}
		phase("loopback loads", t)
	}
	if want("mobile") {
		t := time.Now()
		if err := m.mobile(c, a, runs, variantRuns); err != nil {
			return err
		}
		phase("mobile loads", t)
	}
	tr := time.Now()
	if !want("registration") {
		regRuns = 0
	}
	for i := range regRuns {
		fmt.Fprintf(os.Stderr, "bench: registration %d/%d…\n", i+1, regRuns)
		r, err := c.register(a.widget, hs, i, ws.out)
		if err != nil {
			return fmt.Errorf("registration %d: %w", i+1, err)
		}
		m.reg = append(m.reg, r)
	}
	if regRuns > 0 {
		phase("registrations", tr)
	}
	if want("load") {
		tl := time.Now()
		fmt.Fprintln(os.Stderr, "bench: server load…")
		m.loadPage = serverLoad(a.widget, "/", runs)
		m.loadWasm = serverLoad(a.widget, "/web/app.wasm", runs)
		phase("server load", tl)
	}
	for _, enc := range []string{"identity", "gzip", "br"} {
		n, _, err := served(a.widget, "/web/app.wasm", enc)
		if err != nil {
			return err
		}
		m.servedWasm = append(m.servedWasm, float64(n))
	}
	elapsed := time.Since(started)

	info := machineInfo(c.version, root) + fmt.Sprintf("- Load average (1/5/15 min) before the run: %s; after: %s — other work on the machine makes timings noisier\n", loadBefore, loadAvg())
	rows := m.rows(b)
	ways := m.ways(b)
	var rep strings.Builder
	fmt.Fprintf(&rep, "# Performance benchmark\n\n")
	fmt.Fprintf(&rep, "Written by `make bench` (bench/main.go) on %s; the run took %v after `make build` (%s).\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), elapsed.Round(time.Second), strings.Join(phases, ", "))
	fmt.Fprintf(&rep, "## Machine and versions\n\n%s\n", info)
	fmt.Fprintf(&rep, "## Results\n\nEach figure is the median of %d runs (min–max in brackets) unless the row says otherwise; "+
		"the ratio column is widget/floor computed run by run, in the same run, then its median (min–max). "+
		"Sizes are exact. Budgets are checked on the medians.\n\n", runs)
	rep.WriteString(table(rows))
	rep.WriteString("\n## Ways in\n\n")
	rep.WriteString(ways)
	rep.WriteString("\n" + m.details())
	rep.WriteString("\n" + methodText)

	fmt.Println()
	fmt.Println(table(rows))
	fmt.Println(ways)
	fmt.Println(verdicts(rows))
	if !filepath.IsAbs(outPath) {
		outPath = filepath.Join(wd, outPath)
	}
	if err := os.WriteFile(outPath, []byte(rep.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench: wrote %s\n", outPath)
	return nil
}

// verdicts lists the budgets and their verdicts.
func verdicts(rows []row) string {
	var b strings.Builder
	b.WriteString("Budgets:\n")
	for _, r := range rows {
		if r.budget != nil || r.verdict != "" {
			bud := ""
			if r.budget != nil {
				bud = " (" + r.budget.text + ")"
			}
			fmt.Fprintf(&b, "  %-4s %s%s: %s\n", strings.SplitN(r.check(), " ", 2)[0], r.name, bud, r.check())
		}
	}
	return b.String()
}

func wasmOptVersion() string {
	out, err := execOutput("wasm-opt", "--version")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(strings.TrimPrefix(out, "wasm-opt version"))
}
