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
//	cd bench && go run . [-runs 9] [-out results.md]
//
// The WASM build flags are the Makefile's GOFLAGS_BUILD, read from make
// itself (-build-flags overrides them, and the report says so); the
// benchmark builds the widget's app.wasm and the floor's with them. It needs
// bin/signup: make bench builds it first. Nothing here is a test: a FAIL
// is a figure to look at, not an error of the command.
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
	runs := flag.Int("runs", 9, "pairs of loads (widget and floor, alternating; each variant with its baseline) and server load runs")
	regRuns := flag.Int("reg-runs", 3, "full registrations")
	phoneRuns := flag.Int("phone-runs", 5, "sign-ups on the phone profile submitted as soon as the form is typeable")
	out := flag.String("out", "results.md", "the Markdown report to write")
	exe := flag.String("chromium", envOr("CHROMIUM_PATH", "/usr/bin/chromium"), "the browser")
	flags := flag.String("build-flags", "", "WASM build flags for the widget and the floor alike (default: the Makefile's GOFLAGS_BUILD, asked of make)")
	only := flag.String("only", "", "measure only these parts, comma-separated: loopback,mobile,phone,registration,load (default all; for working on the benchmark)")
	flag.Parse()
	t0 := time.Now()
	parts = map[string]bool{}
	for _, p := range strings.Split(*only, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts[p] = true
		}
	}
	if *runs < 1 {
		fmt.Fprintln(os.Stderr, "bench: -runs must be at least 1")
		os.Exit(2)
	}
	if err := run(*runs, *regRuns, *phoneRuns, *out, *exe, *flags); err != nil {
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
	// widgetDummy is the widget in front of a homeserver whose only flow
	// is m.login.dummy (the phone sign-ups).
	widgetDummy *server
}

func run(runs, regRuns, phoneRuns int, outPath, exe, flagStr string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root := filepath.Dir(wd)
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.HasPrefix(string(b), "module signup\n") {
		return fmt.Errorf("run me from the bench directory of the repository (cd bench && go run .)")
	}
	flagSource := "-build-flags"
	if flagStr == "" {
		if flagStr, err = makeFlags(root); err != nil {
			return err
		}
		flagSource = "the Makefile's GOFLAGS_BUILD"
	}
	ws := &workspace{root: root, bench: wd, out: filepath.Join(wd, ".out"), flags: splitFlags(flagStr), flagSource: flagSource}
	fmt.Fprintf(os.Stderr, "bench: WASM build flags (%s): %s\n", flagSource, strings.Join(ws.flags, " "))
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
	hsDummy, err := startHomeserverWith([][]string{{"m.login.dummy"}})
	if err != nil {
		return err
	}
	defer hsDummy.close()
	signup := b.signup
	hsArgs := []string{"-homeserver", hs.URL, "-server-name", "localhost"}
	var a apps
	start := func(dst **server, name, dir, bin string, args ...string) error {
		s, err := startServer(name, dir, filepath.Join(ws.out, name+".log"), bin, args...)
		*dst = s
		return err
	}
	defer func() {
		for _, s := range []*server{a.widget, a.floor, a.widgetOpt, a.floorNoPreload, a.widgetDummy} {
			if s != nil {
				s.stop()
			}
		}
	}()
	if err := start(&a.widget, "widget", root, signup, append(hsArgs, "-web", b.widgetWeb)...); err != nil {
		return err
	}
	if err := start(&a.widgetDummy, "widget-dummy-flow", root, signup, "-homeserver", hsDummy.URL, "-server-name", "localhost", "-web", b.widgetWeb); err != nil {
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
	startURL, stopStart, err := startPage()
	if err != nil {
		return err
	}
	defer stopStart()
	c.start = startURL

	m := &measurements{runs: runs}
	var phases []string
	phase := func(name string, t time.Time) {
		phases = append(phases, fmt.Sprintf("%s %v", name, time.Since(t).Round(time.Second)))
	}
	phase("builds", tb)
	if want("loopback") {
		t := time.Now()
		if err := m.loopback(c, a, runs); err != nil {
			return err
		}
		phase("loopback loads", t)
	}
	if want("mobile") {
		t := time.Now()
		if err := m.mobile(c, a, runs); err != nil {
			return err
		}
		phase("mobile loads", t)
	}
	if want("phone") && phoneRuns > 0 {
		t := time.Now()
		for i := range phoneRuns {
			fmt.Fprintf(os.Stderr, "bench: phone sign-up %d/%d…\n", i+1, phoneRuns)
			p, err := c.phoneSignup(a.widgetDummy, hsDummy, i)
			if err != nil {
				return fmt.Errorf("phone sign-up %d: %w", i+1, err)
			}
			m.phone = append(m.phone, p)
		}
		phase("phone sign-ups", t)
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
	fmt.Fprintf(&rep, "## Results\n\nWASM build flags, for the widget and the floor alike (%s): `%s`. %s\n\n", ws.flagSource, strings.Join(ws.flags, " "), b.widgetBuildNote)
	fmt.Fprintf(&rep, "Each figure is the median of %d pairs of runs (min–max in brackets) unless the row says otherwise; "+
		"the two runs of a pair are back to back, in alternating order (widget first in odd pairs, floor first in even ones); "+
		"the ratio column is widget/floor computed pair by pair, then its median (min–max). "+
		"Sizes are exact. Budgets are checked on the medians of the per-pair ratios.\n\n", runs)
	rep.WriteString(table(rows))
	rep.WriteString("\n## Ways in\n\n")
	rep.WriteString(ways)
	rep.WriteString("\n" + m.details())
	rep.WriteString("\n" + methodText)

	fmt.Println()
	fmt.Println(table(rows))
	fmt.Println(ways)
	fmt.Println(verdicts(rows))
	fmt.Printf("WASM build flags (%s): %s\n%s\n", ws.flagSource, strings.Join(ws.flags, " "), b.widgetBuildNote)
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

// makeFlags asks make for the Makefile's GOFLAGS_BUILD, as written there
// (backslash-escaped spaces kept, for splitFlags).
func makeFlags(root string) (string, error) {
	out, err := execOutput("make", "-s", "--no-print-directory", "-C", root,
		"--eval", "bench-print-flags: ; $(info GOFLAGS_BUILD=$(GOFLAGS_BUILD))", "bench-print-flags")
	if err != nil {
		return "", fmt.Errorf("asking make for GOFLAGS_BUILD: %w", err)
	}
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "GOFLAGS_BUILD="); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("make printed no GOFLAGS_BUILD: %q", out)
}

func wasmOptVersion() string {
	out, err := execOutput("wasm-opt", "--version")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(strings.TrimPrefix(out, "wasm-opt version"))
}
