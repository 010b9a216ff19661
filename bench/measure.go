package main

// The measurement phases: loopback and mobile loads of both apps and the
// variants, each pair back to back, in alternating order run by run.

import (
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

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
	phone                   []phoneRun
	loadPage, loadWasm      loadFigures
	servedWasm              []float64 // identity, gzip, br
	// optAllCompile is what Chromium says when it compiles the output
	// of wasm-opt -all -Oz: "compiles" or the error.
	optAllCompile string
}

// A turn is one app's turn in a run: one or more loads, in one tab or
// more.
type turn struct {
	name string
	do   func() error
}

// alternate runs the turns of run i in order when i is even and in
// reverse order when it is odd: each pair compared (neighbours in the
// list) is measured back to back, each app first in half the runs.
func alternate(i int, units []turn) error {
	if i%2 == 1 {
		units = slices.Clone(units)
		slices.Reverse(units)
	}
	for _, u := range units {
		if err := u.do(); err != nil {
			return fmt.Errorf("%s: %w", u.name, err)
		}
	}
	return nil
}

// full loads s cold in a new context, then warm (its service worker),
// then from the HTTP cache (the worker bypassed).
func (c *chromium) full(p *profile, s *server, timeout time.Duration) (cold, warm, hc visit, err error) {
	t, err := c.newTab(p)
	if err != nil {
		return
	}
	defer t.close()
	if cold, err = t.load(s, s.URL()+"/", settleSW, timeout); err != nil {
		err = fmt.Errorf("cold load: %w", err)
		return
	}
	if warm, err = t.load(s, s.URL()+"/", settleSW, timeout); err != nil {
		err = fmt.Errorf("warm load: %w", err)
		return
	}
	if _, err = chromedp.Call(t.ctx, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
		return
	}
	st := settleQuiet
	if p != nil {
		st = settleNone
	}
	if hc, err = t.load(s, s.URL()+"/", st, timeout); err != nil {
		err = fmt.Errorf("load from the HTTP cache: %w", err)
	}
	return
}

// coldOnly loads s once, cold, in a new context (pre runs before the
// page's scripts); with settle, the load waits for the service worker and
// a quiet network and measures the JS heap.
func (c *chromium) coldOnly(p *profile, s *server, pre string, st settle, timeout time.Duration) (visit, error) {
	t, err := c.newTabWith(p, false, pre)
	if err != nil {
		return visit{}, err
	}
	defer t.close()
	return t.load(s, s.URL()+"/", st, timeout)
}

func (m *measurements) loopback(c *chromium, a apps, runs int) error {
	m.cold, m.warm, m.httpOnly, m.coldNoSW = map[string][]visit{}, map[string][]visit{}, map[string][]visit{}, map[string][]visit{}
	const to = 60 * time.Second
	fullUnit := func(name string, s *server) turn {
		return turn{name, func() error {
			cold, warm, hc, err := c.full(nil, s, to)
			if err != nil {
				return err
			}
			m.cold[name] = append(m.cold[name], cold)
			m.warm[name] = append(m.warm[name], warm)
			m.httpOnly[name] = append(m.httpOnly[name], hc)
			return nil
		}}
	}
	// The first visit with the service worker API hidden before the
	// page's scripts run: nothing installs during the load, on either.
	noSW := func(name string, s *server) turn {
		return turn{name + " without a service worker", func() error {
			v, err := c.coldOnly(nil, s, noServiceWorker, settleQuiet, to)
			m.coldNoSW[name] = append(m.coldNoSW[name], v)
			return err
		}}
	}
	variant := func(s *server, dst *[]visit) turn {
		return turn{s.name, func() error {
			v, err := c.coldOnly(nil, s, "", settleNone, to)
			*dst = append(*dst, v)
			return err
		}}
	}
	for i := range runs {
		fmt.Fprintf(os.Stderr, "bench: loopback loads, run %d/%d…\n", i+1, runs)
		if err := alternate(i, []turn{
			variant(a.widgetOpt, &m.optCold),
			fullUnit("widget", a.widget),
			fullUnit("floor", a.floor),
			variant(a.floorNoPreload, &m.noPreloadCold),
			noSW("widget", a.widget),
			noSW("floor", a.floor),
		}); err != nil {
			return err
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

func (m *measurements) mobile(c *chromium, a apps, runs int) error {
	m.mCold, m.mWarm, m.mHTTPOnly = map[string][]visit{}, map[string][]visit{}, map[string][]visit{}
	const to = 120 * time.Second
	fullUnit := func(name string, s *server) turn {
		return turn{name, func() error {
			cold, warm, hc, err := c.full(mobile, s, to)
			if err != nil {
				return err
			}
			m.mCold[name] = append(m.mCold[name], cold)
			m.mWarm[name] = append(m.mWarm[name], warm)
			m.mHTTPOnly[name] = append(m.mHTTPOnly[name], hc)
			return nil
		}}
	}
	for i := range runs {
		fmt.Fprintf(os.Stderr, "bench: mobile loads, run %d/%d…\n", i+1, runs)
		if err := alternate(i, []turn{
			fullUnit("widget", a.widget),
			fullUnit("floor", a.floor),
			{a.floorNoPreload.name, func() error {
				v, err := c.coldOnly(mobile, a.floorNoPreload, "", settleNone, to)
				m.mNoPreload = append(m.mNoPreload, v)
				return err
			}},
		}); err != nil {
			return err
		}
	}
	return nil
}
