package main

// The report: per-run figures into table rows, the "ways in" table and the
// details under it.

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

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
			budget: &budget{ratio: true, limit: 1.10, text: "≤ 1.10× floor"}},
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
	ratio := func(r row, limit float64) row {
		r.budget = &budget{ratio: true, limit: limit, text: fmt.Sprintf("≤ %.2f× floor", limit)}
		return r
	}
	warm := both(gLoop, "interactive, warm (service worker)", unitMs, m.warm, fReady)
	warm.budget = &budget{limit: 300, text: "≤ 300 ms"}
	const asGot, alike = "first visit as users get it (each app with its service worker)", "like for like: first visit, neither app with a service worker (the API hidden before the page's scripts)"
	rows = append(rows,
		ratio(both(gLoop, "first contentful paint, cold, "+asGot, unitMs, m.cold, fFCP), 1.0),
		ratio(both(gLoop, "first contentful paint, cold, "+alike, unitMs, m.coldNoSW, fFCP), 1.0),
		both(gLoop, "form usable for typing (pre-rendered), cold, "+asGot, unitMs, m.cold, fUsable),
		ratio(both(gLoop, "interactive (data-ready), cold, "+asGot, unitMs, m.cold, fReady), 1.10),
		ratio(both(gLoop, "interactive (data-ready), cold, "+alike, unitMs, m.coldNoSW, fReady), 1.10),
		both(gLoop, "first contentful paint, warm", unitMs, m.warm, fFCP),
		warm,
		ratio(both(gLoop, "JS heap after load (cold, with the service worker, after GC)", unitBytes, m.cold, fHeap), 1.10),
		ratio(both(gLoop, "JS heap after load (cold, no service worker, after GC)", unitBytes, m.coldNoSW, fHeap), 1.10),
		both(gLoop, "JS heap after a warm load (after GC)", unitBytes, m.warm, fHeap),
		both(gLoop, "WASM linear memory after load (Go's heap, stacks and data; outside the JS heap)", unitBytes, m.cold, fWasmMem),
		both(gMob, "first contentful paint, cold", unitMs, m.mCold, fFCP),
		both(gMob, "form usable for typing (pre-rendered), cold", unitMs, m.mCold, fUsable),
		both(gMob, "interactive (data-ready), cold", unitMs, m.mCold, fReady),
		both(gMob, "interactive, warm (service worker)", unitMs, m.mWarm, fReady),
	)
	if len(m.phone) > 0 {
		ph := func(f func(p phoneRun) float64) []float64 {
			out := make([]float64, len(m.phone))
			for i, p := range m.phone {
				out[i] = f(p)
			}
			return out
		}
		rows = append(rows,
			row{group: gMob, name: "sign-up as a user does it: the form typed and submitted as soon as it is typeable, until the welcome panel (homeserver flow m.login.dummy; from the navigation)", unit: unitMs,
				w: ph(func(p phoneRun) float64 { return p.success }), note: fmt.Sprintf("%d runs; typeable at %s, submitted at %s", len(m.phone),
					unitMs.cell(statOf(ph(func(p phoneRun) float64 { return p.usable }))), unitMs.cell(statOf(ph(func(p phoneRun) float64 { return p.submit }))))},
			row{group: gMob, name: "the same, from the submit to the welcome panel", unit: unitMs,
				w: ph(func(p phoneRun) float64 { return p.success - p.submit }), note: fmt.Sprintf("of it waiting for the app (submit → data-ready) %s",
					unitMs.cell(statOf(ph(func(p phoneRun) float64 { return max(0, p.ready-p.submit) }))))},
		)
	}

	// Registration: requests per stage, then the steps.
	allOK := true
	var sent, minimum []float64
	for range m.reg {
		sent, minimum = append(sent, 0), append(minimum, 0)
	}
	for _, k := range stageKeys {
		vals := make([]float64, len(m.reg))
		ok, worst, minText := true, 0.0, ""
		for i, r := range m.reg {
			vals[i] = float64(r.counts[k.key])
			sent[i] += vals[i]
			mn := r.mins[k.key]
			minimum[i] += float64(mn)
			if t := fmt.Sprint(mn); minText == "" {
				minText = t
			} else if t != minText && !strings.Contains(minText, "in run") {
				minText += fmt.Sprintf("; %d in run %d", mn, i+1)
			}
			if vals[i] > float64(mn) {
				ok, worst = false, max(worst, vals[i]-float64(mn))
			}
		}
		st := statOf(vals)
		if k.key == "other" && st.max == 0 && minText == "0" {
			continue
		}
		r := row{group: gReg, name: "requests: " + k.what, unit: unitCount, w: vals, note: k.note}
		if ok {
			r.verdict = fmt.Sprintf("PASS (min %s)", minText)
		} else {
			r.verdict = fmt.Sprintf("FAIL (min %s, up to %g more)", minText, worst)
			allOK = false
		}
		rows = append(rows, r)
	}
	total := row{group: gReg, name: "requests in all (what the homeserver received) vs the minimum derived from the flow " + strings.Join(regFlow, ", "), unit: unitCount, w: sent, f: nil}
	total.note = fmt.Sprintf("minimum %s", unitCount.cell(statOf(minimum)))
	total.verdict = "PASS"
	if !allOK {
		total.verdict = "FAIL"
	}
	total.budget = &budget{limit: math.Inf(1), text: "the protocol's minimum"}
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
	lr, mr := pairRatios(field(m.cold["floor"], fReady), field(m.noPreloadCold, fReady)), pairRatios(field(m.mCold["floor"], fReady), field(m.mNoPreload, fReady))
	fmt.Fprintf(&s, "| early `<link rel=\"preload\">` of app.wasm (measured on the floor app, %d pairs each) | interactive: loopback %s, mobile %s | loopback %s, mobile %s | with/without per pair: loopback %s, mobile %s | %s |\n",
		lr.n, unitMs.cell(np), unitMs.cell(mnp), unitMs.cell(wp), unitMs.cell(mwp),
		unitRatio.cell(lr), unitRatio.cell(mr), preloadVerdict(mr.med))
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
	or := pairRatios(field(m.optCold, fReady), field(m.cold["widget"], fReady))
	optVerdict := "pays on both counts: worth adopting"
	switch smaller, faster := b.opt.br < b.widget.br, or.med < 1; {
	case !smaller && faster:
		optVerdict = "mixed: a larger brotli download, a faster start on loopback (few runs: check again); not kept for the download"
	case !smaller:
		optVerdict = "does not pay: a larger brotli download and no faster start; not kept"
	case !faster:
		optVerdict = "a smaller download but no faster start"
	}
	fmt.Fprintf(&s, "| `wasm-opt %s -Oz` (Go's features only; %s) | %s; interactive %s | %s; interactive %s | %s; interactive with/without per pair %s (%d pairs) | %s |\n",
		strings.Join(wasmOptFeatures, " "), ran, sz(b.widget), unitMs.cell(wc), sz(b.opt), unitMs.cell(oc), gain(b.opt),
		unitRatio.cell(or), or.n, optVerdict)
	return s.String()
}

// pairRatios is the stat of with[i]/without[i], pair by pair.
func pairRatios(with, without []float64) stat {
	return statOf(row{w: with, f: without}.ratios())
}

func preloadVerdict(ratio float64) string {
	switch {
	case math.IsNaN(ratio):
		return "not measured"
	case ratio < 1:
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
