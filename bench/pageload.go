package main

// A tab's JavaScript and page loads: evaluating, waiting, navigating,
// loading a page cold or warm and reading what it measured.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// eval evaluates a JavaScript expression into T, with a timeout.
func evalJS[T any](ctx context.Context, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr))
}

// waitJS polls a JavaScript expression every 25 ms until it is true.
func waitJS(ctx context.Context, expr string, timeout time.Duration) error {
	return pollUntil(expr, timeout, 25*time.Millisecond, func() (bool, error) {
		return evalJS[bool](ctx, "!!("+expr+")")
	})
}

// waitJSPromise polls every 50 ms an expression whose value is a promise
// of a boolean, until it is true.
func waitJSPromise(ctx context.Context, expr string, timeout time.Duration) error {
	return pollUntil(expr, timeout, 50*time.Millisecond, func() (bool, error) {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return chromedp.Run(cctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
	})
}

// pollUntil calls check every interval until it reports true, or fails
// with check's last error (or a timeout) once timeout has passed.
func pollUntil(expr string, timeout, interval time.Duration, check func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := check()
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("timed out")
			}
			return fmt.Errorf("waiting for %s: %w", expr, err)
		}
		time.Sleep(interval)
	}
}

// navigate starts a navigation without waiting for the load event.
func (t *tab) navigate(url string) error {
	ctx, cancel := context.WithTimeout(t.ctx, 60*time.Second)
	defer cancel()
	res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: url})
	if err == nil && res.ErrorText != "" {
		err = errors.New(res.ErrorText)
	}
	return err
}

// visit is what one page load measured. Times are in ms from the
// navigation start.
type visit struct {
	fcp, ready, usable        float64
	heap                      float64 // JS heap used after a full GC, bytes
	wasmMem                   float64 // the WASM linear memory (Go's heap, stacks, data), bytes
	timeline                  string  // the page's resources: "/app.css 12→30", and when the WASM was instantiated
	wire                      float64 // bytes the server sent (proxy), all responses
	requests                  []string
	pageResponses, pageFromSW int     // responses the page saw (CDP), and of them from its service worker
	pageEncoded               float64 // encodedDataLength sum of the page's responses (CDP)
	swActive                  bool    // the service worker was activated after the visit
}

// settle says what a load waits for once the app is ready.
type settle int

const (
	settleNone  settle = iota // nothing
	settleQuiet               // the network quiet for 500 ms; then the JS heap is measured
	settleSW                  // the service worker controlling the page, then as settleQuiet
)

// load navigates to url and waits until the app is ready, then as settle
// says: waiting for the service worker and the network to go quiet counts
// the service worker's install fetches.
func (t *tab) load(s *server, url string, st settle, timeout time.Duration) (visit, error) {
	var v visit
	began := time.Now()
	defer func() {
		fmt.Fprintf(debugLog, "load %s (settle %d): %v (ready at %.0f ms, fcp %.0f ms): %s\n", url, st, time.Since(began).Round(time.Millisecond), v.ready, v.fcp, v.timeline)
	}()
	var m mark
	if err := t.open(url, func() { t.pageNet(true); m = s.proxy.mark() }); err != nil {
		return v, err
	}
	if err := waitJS(t.ctx, `location.origin === `+jsString(originOf(url))+` && window.__bench && __bench.ready !== null && __bench.usable !== null && __bench.fcp !== null`, timeout); err != nil {
		return v, err
	}
	if st == settleSW {
		// The worker installs during the load (the floor's) or once the page
		// is interactive (the widget's); done when its registration has an
		// activated worker (the widget's claims pages only on updates).
		v.swActive = waitJSPromise(t.ctx, `navigator.serviceWorker.getRegistration().then(r => !!r && !!r.active && r.active.state === "activated")`, 60*time.Second) == nil
	}
	if st >= settleQuiet {
		s.proxy.quiet(500*time.Millisecond, 30*time.Second)
		if _, err := chromedp.Call(t.ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			return v, err
		}
		h, err := chromedp.Call(t.ctx, runtime.GetHeapUsage, cdp.Empty{})
		if err != nil {
			return v, err
		}
		v.heap = h.UsedSize
		if n, err := evalJS[float64](t.ctx, `__bench.memBytes() || 0`); err == nil && n > 0 {
			v.wasmMem = n
		} else {
			v.wasmMem = nan
		}
	}
	times, err := evalJS[[3]float64](t.ctx, `[__bench.fcp, __bench.ready, __bench.usable]`)
	if err != nil {
		return v, err
	}
	v.fcp, v.ready, v.usable = times[0], times[1], times[2]
	if tl, err := evalJS[string](t.ctx, `[...performance.getEntriesByType("navigation"), ...__bench.res].map(e => new URL(e.name || e.url).pathname + " " + Math.round(e.startTime ?? e.start) + "→" + Math.round(e.responseEnd ?? e.end)).join(", ") + "; instantiated " + Math.round(__bench.inst)`); err == nil {
		v.timeline = tl
	}
	wire, reqs := s.proxy.since(m)
	v.wire, v.requests = float64(wire), reqs
	v.pageResponses, v.pageFromSW, v.pageEncoded = t.pageNet(false)
	return v, nil
}

// setHidden minimizes (or restores) the tab's window: the page's
// visibilityState becomes "hidden" (or "visible"), with the
// visibilitychange event, as when a user switches away.
func (t *tab) setHidden(hidden bool) error {
	if t.window == 0 {
		w, err := chromedp.CallBrowser(t.ctx, browser.GetWindowForTarget, browser.GetWindowForTargetParams{TargetID: chromedp.FromContext(t.ctx).Target.TargetID})
		if err != nil {
			return err
		}
		t.window = w.WindowID
	}
	state := browser.WindowStateNormal
	if hidden {
		state = browser.WindowStateMinimized
	}
	_, err := chromedp.CallBrowser(t.ctx, browser.SetWindowBounds, browser.SetWindowBoundsParams{WindowID: t.window, Bounds: &browser.Bounds{WindowState: state}})
	if err != nil {
		return err
	}
	want := "visible"
	if hidden {
		want = "hidden"
	}
	return waitJS(t.ctx, `document.visibilityState === "`+want+`"`, 10*time.Second)
}
