package main

// The measurement phases: loopback and mobile loads of both apps, run by
// run in alternating order.

import (
	"fmt"
	"os"
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
