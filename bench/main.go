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
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
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

// measurements are the per-run figures.
type measurements struct {
	runs int
	// loopback: per app, per run
	cold, warm, httpOnly map[string][]visit
	// coldNoSW: cold loads with the service worker's script blocked
	coldNoSW map[string][]visit
	// variants, cold only
	optCold, noPreloadCold []visit
	// mobile
	mCold, mWarm, mHTTPOnly map[string][]visit
	mNoPreload              []visit
	reg                     []regRun
	loadPage, loadWasm      loadFigures
	servedWasm              []float64 // identity, gzip, br
	// optAllCompile is what Chromium says when it compiles the output
	// of wasm-opt -all -Oz: "compiles" or the error.
	optAllCompile string
}

// pair runs f for the widget and the floor, in alternating order.
func pair(i int, a apps, f func(name string, s *server) error) error {
	order := []string{"widget", "floor"}
	if i%2 == 1 {
		order = []string{"floor", "widget"}
	}
	for _, name := range order {
		s := a.widget
		if name == "floor" {
			s = a.floor
		}
		if err := f(name, s); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func (m *measurements) loopback(c *chromium, a apps, runs, variantRuns int) error {
	m.cold, m.warm, m.httpOnly, m.coldNoSW = map[string][]visit{}, map[string][]visit{}, map[string][]visit{}, map[string][]visit{}
	for i := range runs {
		fmt.Fprintf(os.Stderr, "bench: loopback loads, run %d/%d…\n", i+1, runs)
		err := pair(i, a, func(name string, s *server) error {
			t, err := c.newTab(nil)
			if err != nil {
				return err
			}
			defer t.close()
			cold, err := t.load(s, s.URL()+"/", settleSW, 60*time.Second)
			if err != nil {
				return fmt.Errorf("cold load: %w", err)
			}
			warm, err := t.load(s, s.URL()+"/", settleSW, 60*time.Second)
			if err != nil {
				return fmt.Errorf("warm load: %w", err)
			}
			if _, err := chromedp.Call(t.ctx, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
				return err
			}
			hc, err := t.load(s, s.URL()+"/", settleQuiet, 60*time.Second)
			if err != nil {
				return fmt.Errorf("load from the HTTP cache: %w", err)
			}
			m.cold[name] = append(m.cold[name], cold)
			m.warm[name] = append(m.warm[name], warm)
			m.httpOnly[name] = append(m.httpOnly[name], hc)

			// Diagnostic: the same cold load with the service worker API
			// hidden, so no worker installs during the load. Not fatal.
			noSW := visit{fcp: nan, ready: nan, usable: nan}
			if t2, err := c.newTabWith(nil, false, noServiceWorker); err == nil {
				if v, err := t2.load(s, s.URL()+"/", settleNone, 30*time.Second); err == nil {
					noSW = v
				} else {
					fmt.Fprintf(os.Stderr, "bench:   %s without a service worker: %v\n", name, err)
				}
				t2.close()
			}
			m.coldNoSW[name] = append(m.coldNoSW[name], noSW)
			return nil
		})
		if err != nil {
			return err
		}
	}
	for i := range variantRuns {
		fmt.Fprintf(os.Stderr, "bench: loopback loads of the variants, run %d/%d…\n", i+1, variantRuns)
		for _, v := range []struct {
			s   *server
			dst *[]visit
		}{{a.widgetOpt, &m.optCold}, {a.floorNoPreload, &m.noPreloadCold}} {
			t, err := c.newTab(nil)
			if err != nil {
				return err
			}
			cold, err := t.load(v.s, v.s.URL()+"/", settleNone, 60*time.Second)
			t.close()
			if err != nil {
				return fmt.Errorf("%s: %w", v.s.name, err)
			}
			*v.dst = append(*v.dst, cold)
		}
	}
	// Does the output of wasm-opt -all -Oz compile in this browser?
	t, err := c.newTab(nil)
	if err != nil {
		return err
	}
	defer t.close()
	if _, err := t.load(a.widgetOpt, a.widgetOpt.URL()+"/", settleNone, 60*time.Second); err != nil {
		return err
	}
	m.optAllCompile, err = chromedp.Run(t.ctx, chromedp.Evaluate[string](`(async () => {
		try {
			const b = await (await fetch("/web/app-all.wasm", {cache: "no-store"})).arrayBuffer();
			await WebAssembly.compile(b);
			return "compiles";
		} catch (e) { return String(e); }
	})()`, chromedp.EvalAwaitPromise))
	return err
}

func (m *measurements) mobile(c *chromium, a apps, runs, variantRuns int) error {
	m.mCold, m.mWarm, m.mHTTPOnly = map[string][]visit{}, map[string][]visit{}, map[string][]visit{}
	for i := range runs {
		fmt.Fprintf(os.Stderr, "bench: mobile loads, run %d/%d…\n", i+1, runs)
		err := pair(i, a, func(name string, s *server) error {
			t, err := c.newTab(mobile)
			if err != nil {
				return err
			}
			defer t.close()
			cold, err := t.load(s, s.URL()+"/", settleSW, 120*time.Second)
			if err != nil {
				return fmt.Errorf("cold load: %w", err)
			}
			warm, err := t.load(s, s.URL()+"/", settleSW, 120*time.Second)
			if err != nil {
				return fmt.Errorf("warm load: %w", err)
			}
			if _, err := chromedp.Call(t.ctx, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
				return err
			}
			hc, err := t.load(s, s.URL()+"/", settleNone, 120*time.Second)
			if err != nil {
				return fmt.Errorf("load from the HTTP cache: %w", err)
			}
			m.mCold[name] = append(m.mCold[name], cold)
			m.mWarm[name] = append(m.mWarm[name], warm)
			m.mHTTPOnly[name] = append(m.mHTTPOnly[name], hc)
			return nil
		})
		if err != nil {
			return err
		}
	}
	for i := range variantRuns {
		fmt.Fprintf(os.Stderr, "bench: mobile load of the floor without preload, run %d/%d…\n", i+1, variantRuns)
		t, err := c.newTab(mobile)
		if err != nil {
			return err
		}
		cold, err := t.load(a.floorNoPreload, a.floorNoPreload.URL()+"/", settleNone, 120*time.Second)
		t.close()
		if err != nil {
			return fmt.Errorf("floor without preload: %w", err)
		}
		m.mNoPreload = append(m.mNoPreload, cold)
	}
	return nil
}

// field extracts one figure from visits.
func field(vs []visit, f func(visit) float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = f(v)
	}
	return out
}

var (
	fFCP     = func(v visit) float64 { return v.fcp }
	fReady   = func(v visit) float64 { return v.ready }
	fUsable  = func(v visit) float64 { return v.usable }
	fHeap    = func(v visit) float64 { return v.heap }
	fWasmMem = func(v visit) float64 { return v.wasmMem }
	fWire    = func(v visit) float64 { return v.wire }
	fReqs    = func(v visit) float64 { return float64(len(v.requests)) }
	fPage    = func(v visit) float64 { return v.pageEncoded }
)

func (m *measurements) rows(b *builds) []row {
	w, f := "widget", "floor"
	both := func(group, name string, u unit, src map[string][]visit, fn func(visit) float64) row {
		return row{group: group, name: name, unit: u, w: field(src[w], fn), f: field(src[f], fn)}
	}
	const gSize, gNet, gLoop, gMob, gReg, gSrv = "app.wasm", "Transfer (loopback, as served)", "Headless Chromium, loopback", "Mobile profile (1.6 Mbit/s, 150 ms RTT)", "Registration (terms+token+email+dummy)", "Server (loopback, 64 clients, 2 s or 50k requests per run)"
	rows := []row{
		{group: gSize, name: "raw", unit: unitBytes, w: one(float64(b.widget.raw)), f: one(float64(b.floor.raw))},
		{group: gSize, name: "gzip", unit: unitBytes, w: one(float64(b.widget.gz)), f: one(float64(b.floor.gz))},
		{group: gSize, name: "brotli", unit: unitBytes, w: one(float64(b.widget.br)), f: one(float64(b.floor.br)),
			budget: &budget{ratio: true, limit: 1.15, text: "≤ 1.15× floor"}},
		{group: gSize, name: "go-app WASM that links its server (floor + app.Handler), raw", unit: unitBytes, w: one(float64(b.linked.raw)), f: one(float64(b.floor.raw)),
			note: "for scale; not the widget"},
	}
	first := both(gNet, "first visit: bytes on the wire, all responses incl. the service worker's install", unitBytes, m.cold, fWire)
	first.budget = &budget{ratio: true, limit: 1.25, text: "≤ 1.25× floor"}
	rows = append(rows,
		first,
		both(gNet, "first visit: requests", unitCount, m.cold, fReqs),
		both(gNet, "first visit: the page's own responses (CDP encodedDataLength)", unitBytes, m.cold, fPage),
		both(gNet, "repeat visit (service worker): bytes on the wire", unitBytes, m.warm, fWire),
		both(gNet, "repeat visit (service worker): requests", unitCount, m.warm, fReqs),
	)
	fcp := both(gLoop, "first contentful paint, cold", unitMs, m.cold, fFCP)
	fcp.budget = &budget{limit: 150, text: "≤ 150 ms"}
	inter := both(gLoop, "interactive (data-ready), cold", unitMs, m.cold, fReady)
	inter.budget = &budget{ratio: true, limit: 1.2, text: "≤ 1.2× floor"}
	warm := both(gLoop, "interactive, warm (service worker)", unitMs, m.warm, fReady)
	warm.budget = &budget{limit: 300, text: "≤ 300 ms"}
	heap := both(gLoop, "JS heap after load (cold, after GC)", unitBytes, m.cold, fHeap)
	heap.budget = &budget{ratio: true, limit: 1.3, text: "≤ 1.3× floor"}
	rows = append(rows,
		fcp,
		both(gLoop, "form usable for typing (pre-rendered), cold", unitMs, m.cold, fUsable),
		inter,
		both(gLoop, "interactive, cold, without a service worker (diagnostic: API hidden, so nothing installs during the load)", unitMs, m.coldNoSW, fReady),
		both(gLoop, "first contentful paint, warm", unitMs, m.warm, fFCP),
		warm,
		heap,
		both(gLoop, "JS heap after a warm load (after GC)", unitBytes, m.warm, fHeap),
		both(gLoop, "WASM linear memory after load (Go's heap, stacks and data; outside the JS heap)", unitBytes, m.cold, fWasmMem),
		both(gMob, "first contentful paint, cold", unitMs, m.mCold, fFCP),
		both(gMob, "form usable for typing (pre-rendered), cold", unitMs, m.mCold, fUsable),
		both(gMob, "interactive (data-ready), cold", unitMs, m.mCold, fReady),
		both(gMob, "interactive, warm (service worker)", unitMs, m.mWarm, fReady),
	)

	// Registration: requests per stage, then the steps.
	allOK := true
	var sent, minimum []float64
	for range m.reg {
		sent, minimum = append(sent, 0), append(minimum, 0)
	}
	for _, k := range stageKeys {
		vals := make([]float64, len(m.reg))
		ok, worst, minText := true, 0.0, fmt.Sprint(k.min)
		for i, r := range m.reg {
			vals[i] = float64(r.counts[k.key])
			sent[i] += vals[i]
			mn := k.min
			if v, set := r.mins[k.key]; set {
				mn = v
				if v != k.min {
					minText = fmt.Sprintf("%d in run %d", v, i+1)
				}
			}
			if mn >= 0 {
				minimum[i] += float64(mn)
				if vals[i] > float64(mn) {
					ok, worst = false, max(worst, vals[i]-float64(mn))
				}
			} else {
				minimum[i] += vals[i]
			}
		}
		st := statOf(vals)
		r := row{group: gReg, name: "requests: " + k.what, unit: unitCount, w: vals, note: k.note}
		switch {
		case k.min < 0:
		case ok:
			r.verdict = fmt.Sprintf("PASS (min %s)", minText)
		default:
			r.verdict = fmt.Sprintf("FAIL (min %s, up to %g more)", minText, worst)
			allOK = false
		}
		if k.key == "other" && st.max == 0 {
			continue
		}
		rows = append(rows, r)
	}
	total := row{group: gReg, name: "requests in all vs the protocol's minimum (polls while visible counted as needed)", unit: unitCount, w: sent, f: nil}
	total.note = fmt.Sprintf("minimum %s", unitCount.cell(statOf(minimum)))
	total.verdict = "PASS"
	if !allOK {
		total.verdict = "FAIL"
	}
	total.budget = &budget{limit: math.Inf(1), text: "no more than the protocol needs"}
	rows = append(rows, total)
	for _, label := range stepLabels(m.reg) {
		times, results := stepTimes(m.reg, label)
		rows = append(rows, row{group: gReg, name: "widget's time, response → frame: " + label + " → " + results, unit: unitMs, w: times})
	}

	lp, lw := m.loadPage, m.loadWasm
	rows = append(rows,
		row{group: gSrv, name: "GET / (pre-rendered page): requests/s", unit: unitRate, w: lp.rps},
		row{group: gSrv, name: "GET / p50 latency", unit: unitMs, w: lp.p50},
		row{group: gSrv, name: "GET / p99 latency", unit: unitMs, w: lp.p99},
		row{group: gSrv, name: "GET /web/app.wasm (brotli): requests/s", unit: unitRate, w: lw.rps},
		row{group: gSrv, name: "GET /web/app.wasm p50 latency", unit: unitMs, w: lw.p50},
		row{group: gSrv, name: "GET /web/app.wasm p99 latency", unit: unitMs, w: lw.p99},
		row{group: gSrv, name: "peak RSS of bin/signup during a run (page / app.wasm)", unit: unitBytes, w: append(append([]float64(nil), lp.peak...), lw.peak...)},
	)
	errRow := row{group: gSrv, name: "errors", unit: unitCount, w: one(float64(lp.errors + lw.errors)),
		note: fmt.Sprintf("of %d requests", lp.requests+lw.requests), verdict: "PASS"}
	if lp.errors+lw.errors > 0 || lp.firstErr != nil || lw.firstErr != nil {
		errRow.verdict = fmt.Sprintf("FAIL (%v %v)", lp.firstErr, lw.firstErr)
	}
	rows = append(rows, errRow)
	return rows
}

// stepLabels lists the step labels of the registrations, in the order they
// first appear.
func stepLabels(reg []regRun) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range reg {
		for _, s := range r.steps {
			if !seen[s.label] {
				seen[s.label] = true
				out = append(out, s.label)
			}
		}
	}
	return out
}

// stepTimes is the time of the first step with that label in each run
// (NaN where it did not occur or showed nothing), and its results, the
// most frequent first.
func stepTimes(reg []regRun, label string) ([]float64, string) {
	out := make([]float64, len(reg))
	count := map[string]int{}
	var results []string
	for i, r := range reg {
		out[i] = nan
		for _, s := range r.steps {
			if s.label == label {
				out[i] = s.ms
				if count[s.result] == 0 {
					results = append(results, s.result)
				}
				count[s.result]++
				break
			}
		}
	}
	slices.SortStableFunc(results, func(a, b string) int { return count[b] - count[a] })
	for i, r := range results {
		if len(results) > 1 {
			results[i] = fmt.Sprintf("%s (%d of %d)", r, count[r], len(reg))
		}
	}
	return out, strings.Join(results, "; ")
}

// ways renders the table of the "ways in".
func (m *measurements) ways(b *builds) string {
	var s strings.Builder
	s.WriteString("| Way in | Without | With | Gain | Verdict |\n|---|---|---|---|---|\n")
	pct := func(without, with float64) string {
		return fmt.Sprintf("%+.1f%%", (with/without-1)*100)
	}
	B := unitBytes.format
	// Flags.
	fmt.Fprintf(&s, "| build flags `%s` (widget app.wasm; without: plain `go build`) | %s raw, %s br | %s raw, %s br | %s raw, %s br | kept (in the Makefile) |\n",
		strings.Join(b.flags, " "), B(float64(b.noflags.raw)), B(float64(b.noflags.br)), B(float64(b.widget.raw)), B(float64(b.widget.br)),
		pct(float64(b.noflags.raw), float64(b.widget.raw)), pct(float64(b.noflags.br), float64(b.widget.br)))
	// Precompression.
	if len(m.servedWasm) == 3 {
		id, gz, br := m.servedWasm[0], m.servedWasm[1], m.servedWasm[2]
		at := func(n float64) string { return fmt.Sprintf("%.1f s", n/mobile.downBps) }
		fmt.Fprintf(&s, "| precompressed .br/.gz, `Content-Type: application/wasm` (app.wasm as served) | %s identity (%s at 1.6 Mbit/s) | %s br (%s); gzip %s | %s | kept (internal/server) |\n",
			B(id), at(id), B(br), at(br), B(gz), pct(id, br))
	}
	// Cache-Control.
	hcW, hcF := m.httpOnly["widget"], m.httpOnly["floor"]
	mhW := m.mHTTPOnly["widget"]
	fmt.Fprintf(&s, "| long-lived `Cache-Control` for versioned assets (today: `no-cache` + ETag) | repeat visit without the service worker: %s requests (revalidations, 304), %s on the wire; mobile interactive %s (warm with the service worker: %s) | with `immutable` those revalidations would not be sent (~1 round trip each on mobile) | repeat visits through the service worker send %s requests already | not measured as a gain: pays only where the service worker does not answer (floor: %s requests) |\n",
		unitCount.cell(statOf(field(hcW, fReqs))), unitBytes.cell(statOf(field(hcW, fWire))),
		unitMs.cell(statOf(field(mhW, fReady))), unitMs.cell(statOf(field(m.mWarm["widget"], fReady))),
		unitCount.cell(statOf(field(m.warm["widget"], fReqs))), unitCount.cell(statOf(field(hcF, fReqs))))
	// Preload.
	np, wp := statOf(field(m.noPreloadCold, fReady)), statOf(field(m.cold["floor"], fReady))
	mnp, mwp := statOf(field(m.mNoPreload, fReady)), statOf(field(m.mCold["floor"], fReady))
	fmt.Fprintf(&s, "| early `<link rel=\"preload\">` of app.wasm (measured on the floor app) | interactive: loopback %s, mobile %s | loopback %s, mobile %s | loopback %s, mobile %s | %s |\n",
		unitMs.cell(np), unitMs.cell(mnp), unitMs.cell(wp), unitMs.cell(mwp),
		deltaMs(wp.med-np.med), deltaMs(mwp.med-mnp.med), preloadVerdict(mwp.med, mnp.med))
	// wasm-opt.
	oc, wc := statOf(field(m.optCold, fReady)), statOf(field(m.cold["widget"], fReady))
	ran := "cached output"
	if b.optSeconds >= 1 {
		ran = fmt.Sprintf("%.0f s", b.optSeconds)
	}
	sz := func(z sizes) string {
		return fmt.Sprintf("%s raw, %s gzip, %s br", B(float64(z.raw)), B(float64(z.gz)), B(float64(z.br)))
	}
	gain := func(z sizes) string {
		return fmt.Sprintf("%s raw, %s gzip, **%s br**", pct(float64(b.widget.raw), float64(z.raw)),
			pct(float64(b.widget.gz), float64(z.gz)), pct(float64(b.widget.br), float64(z.br)))
	}
	allVerdict := "compiles in Chromium; sizes after compression not measured"
	if m.optAllCompile != "compiles" {
		allVerdict = "unusable: Chromium refuses it (" + m.optAllCompile + ")"
	}
	fmt.Fprintf(&s, "| `wasm-opt -all -Oz` (binaryen %s) | %s raw | %s raw | %s raw | %s |\n",
		wasmOptVersion(), B(float64(b.widget.raw)), B(float64(b.optAll.raw)), pct(float64(b.widget.raw), float64(b.optAll.raw)), allVerdict)
	optVerdict := "pays on both counts: worth adopting"
	switch smaller, faster := b.opt.br < b.widget.br, oc.med < wc.med; {
	case !smaller && faster:
		optVerdict = "mixed: a larger brotli download, a faster start on loopback (few runs: check again); not kept for the download"
	case !smaller:
		optVerdict = "does not pay: a larger brotli download and no faster start; not kept"
	case !faster:
		optVerdict = "a smaller download but no faster start"
	}
	fmt.Fprintf(&s, "| `wasm-opt %s -Oz` (Go's features only; %s) | %s; interactive %s | %s; interactive %s | %s; interactive %s | %s |\n",
		strings.Join(wasmOptFeatures, " "), ran, sz(b.widget), unitMs.cell(wc), sz(b.opt), unitMs.cell(oc), gain(b.opt),
		deltaMs(oc.med-wc.med), optVerdict)
	return s.String()
}

func deltaMs(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%+.0f ms", x)
}

func preloadVerdict(with, without float64) string {
	switch {
	case math.IsNaN(with) || math.IsNaN(without):
		return "not measured"
	case with < without:
		return "pays on mobile: kept (the widget has it)"
	}
	return "does not pay on mobile"
}

// details lists what the table summarizes: the requests of one visit of
// each kind, and the steps of one registration.
func (m *measurements) details() string {
	var s strings.Builder
	s.WriteString("## Details of the last run\n\n")
	for _, app := range []string{"widget", "floor"} {
		for _, k := range []struct {
			what string
			vs   []visit
		}{{"first visit", m.cold[app]}, {"repeat visit (service worker)", m.warm[app]}, {"repeat visit, service worker bypassed (HTTP cache)", m.httpOnly[app]}} {
			if len(k.vs) == 0 {
				continue
			}
			v := k.vs[len(k.vs)-1]
			fmt.Fprintf(&s, "- %s, %s: %d requests on the wire (%s): %s; the page saw %d responses, %d from its service worker\n",
				app, k.what, len(v.requests), unitBytes.format(v.wire), strings.Join(v.requests, ", "), v.pageResponses, v.pageFromSW)
		}
	}
	for _, app := range []string{"widget", "floor"} {
		if vs := m.cold[app]; len(vs) > 0 {
			v := vs[len(vs)-1]
			fmt.Fprintf(&s, "- %s, first visit, the page's resources (start → end, ms from navigation): %s; first contentful paint %s, interactive %s\n",
				app, v.timeline, unitMs.format(v.fcp), unitMs.format(v.ready))
		}
	}
	if len(m.reg) > 0 {
		r := m.reg[len(m.reg)-1]
		s.WriteString("- registration steps (response → next frame):")
		for _, st := range r.steps {
			fmt.Fprintf(&s, " %s → %s: %s;", st.label, st.result, unitMs.format(st.ms))
		}
		s.WriteString("\n")
	}
	return s.String()
}

func wasmOptVersion() string {
	out, err := execOutput("wasm-opt", "--version")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(strings.TrimPrefix(out, "wasm-opt version"))
}
