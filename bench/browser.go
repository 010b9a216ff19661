package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

//go:embed instrument.js
var instrumentJS string

// chromium is one headless Chromium for the whole benchmark. Each
// measurement opens a tab in a new browser context (a fresh profile in
// memory: no HTTP cache, no service worker), so a cold load is cold.
type chromium struct {
	ctx     context.Context
	cancel  func()
	dir     string
	version string
	// start is the start page every measured navigation begins on.
	start string
}

func startChromium(exe, logPath string) (*chromium, error) {
	dir, err := os.MkdirTemp("", "signup-bench-chromium-")
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	opts := chromiumOptions(exe, dir, logf)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	c := &chromium{ctx: ctx, dir: dir, cancel: func() {
		cancelCtx()
		cancelAlloc()
		logf.Close()
		os.RemoveAll(dir)
	}}
	if err := startTarget(ctx); err != nil {
		c.cancel()
		return nil, fmt.Errorf("starting %s: %w (see %s)", exe, err, logPath)
	}
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	if err == nil {
		c.version = v.Product
	}
	return c, nil
}

// chromiumOptions are the e2e tests' browser flags (e2e.ChromiumOptions),
// here so that the benchmark builds without the e2e package's own
// dependencies.
func chromiumOptions(exe, profile string, out io.Writer) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(out),
	)
}

// startTarget runs the first action of a chromedp context, which must have
// no timeout (its context is the target's lifetime), with a bounded wait.
func startTarget(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err := <-done:
		return err
	case <-time.After(60 * time.Second):
		return context.DeadlineExceeded
	}
}

// profile is a network and device emulation.
type profile struct {
	name           string
	latencyMs      float64 // round trip added to each request
	downBps, upBps float64 // bytes per second
	width, height  int64
	scale          float64
	mobile         bool
}

// mobile is the throttled mobile profile: Lighthouse's "slow 4G" network
// (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip) and a phone's
// viewport. The CPU is not throttled.
var mobile = &profile{
	name: "mobile", latencyMs: 150, downBps: 1.6e6 / 8, upBps: 750e3 / 8,
	width: 412, height: 823, scale: 1.75, mobile: true,
}

// tab is a tab in a new browser context, with the instrumentation.
type tab struct {
	ctx    context.Context
	cancel func()
	window browser.WindowID
	start  string // the start page's URL (start.go)

	mu   sync.Mutex
	resp map[network.RequestID]*pageResponse
}

// pageResponse is one response the page's CDP Network domain reported.
type pageResponse struct {
	url       string
	status    int64
	fromSW    bool
	fromCache bool
	encoded   float64
	finished  bool
}

func (c *chromium) newTab(p *profile) (*tab, error) { return c.newTabWith(p, false, "") }

// newTabTracking opens a tab; with track, the instrumentation also records
// every DOM change, keystroke and the frames after them from the start.
func (c *chromium) newTabTracking(p *profile, track bool) (*tab, error) {
	return c.newTabWith(p, track, "")
}

// noServiceWorker, run before the page's scripts, hides the service worker
// API, so that go-app registers no worker.
const noServiceWorker = `delete Navigator.prototype.serviceWorker;`

// newTabWith opens a tab whose pages run pre (if any) before the
// instrumentation and their own scripts.
func (c *chromium) newTabWith(p *profile, track bool, pre string) (*tab, error) {
	began := time.Now()
	defer func() { fmt.Fprintf(debugLog, "new tab: %v\n", time.Since(began).Round(time.Millisecond)) }()
	ctx, cancel := chromedp.NewContext(c.ctx, chromedp.WithNewBrowserContext())
	t := &tab{ctx: ctx, cancel: cancel, start: c.start, resp: map[network.RequestID]*pageResponse{}}
	if err := startTarget(ctx); err != nil {
		cancel()
		return nil, err
	}
	if err := chromedp.Listen(ctx, t.onEvent); err != nil {
		cancel()
		return nil, err
	}
	src := pre + "\n" + instrumentJS
	if track {
		src = "window.__benchTrack = true;\n" + src
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
		cancel()
		return nil, err
	}
	if p != nil {
		if err := t.emulate(p); err != nil {
			cancel()
			return nil, err
		}
	}
	return t, nil
}

func (t *tab) close() {
	began := time.Now()
	t.cancel()
	fmt.Fprintf(debugLog, "close tab: %v\n", time.Since(began).Round(time.Millisecond))
}

// debugLog receives the timings of the browser steps (.out/bench.log).
var debugLog io.Writer = io.Discard

// emulate applies the profile's network conditions (to every request of
// the tab, with Network.emulateNetworkConditionsByRule, or the older
// Network.emulateNetworkConditions where that is missing) and viewport.
func (t *tab) emulate(p *profile) error {
	_, err := chromedp.Call(t.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{
			Latency: p.latencyMs, DownloadThroughput: p.downBps, UploadThroughput: p.upBps,
			ConnectionType: network.ConnectionTypeCellular4g,
		}},
	})
	if err != nil {
		type legacy struct {
			Offline            bool    `json:"offline"`
			Latency            float64 `json:"latency"`
			DownloadThroughput float64 `json:"downloadThroughput"`
			UploadThroughput   float64 `json:"uploadThroughput"`
		}
		cmd := cdp.Command[legacy, cdp.Empty]{Method: "Network.emulateNetworkConditions"}
		if _, err2 := chromedp.Call(t.ctx, cmd, legacy{Latency: p.latencyMs, DownloadThroughput: p.downBps, UploadThroughput: p.upBps}); err2 != nil {
			return fmt.Errorf("network emulation: %v; %v", err, err2)
		}
	}
	_, err = chromedp.Call(t.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: p.width, Height: p.height, DeviceScaleFactor: p.scale, Mobile: p.mobile,
	})
	return err
}

func (t *tab) onEvent(ev any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventResponseReceived:
		r := t.resp[e.RequestID]
		if r == nil {
			r = &pageResponse{}
			t.resp[e.RequestID] = r
		}
		r.url, r.status = e.Response.URL, e.Response.Status
		r.fromSW, r.fromCache = e.Response.FromServiceWorker, e.Response.FromDiskCache
	case *network.EventLoadingFinished:
		r := t.resp[e.RequestID]
		if r == nil {
			r = &pageResponse{}
			t.resp[e.RequestID] = r
		}
		r.encoded, r.finished = e.EncodedDataLength, true
	}
}

// pageNet sums what the page's Network domain saw since the last reset.
func (t *tab) pageNet(reset bool) (n, fromSW int, encoded float64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.resp {
		if r.url == "" || strings.HasPrefix(r.url, "data:") {
			continue
		}
		n++
		if r.fromSW {
			fromSW++
		}
		encoded += r.encoded
	}
	if reset {
		t.resp = map[network.RequestID]*pageResponse{}
	}
	return
}

func (c *chromium) close() { c.cancel() }
