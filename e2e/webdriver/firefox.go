package webdriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// firefox is a headless Firefox driven over WebDriver BiDi.
type firefox struct {
	proc    *proc
	conn    *bidiConn
	ctxID   string // the browsing context (tab) of the page
	version string

	mu      sync.Mutex
	console []string
}

// StartFirefox starts firefox-esr headless in a fresh profile under
// opts.Dir, with its WebDriver BiDi server on a loopback port the browser
// picks, opens a BiDi session and subscribes to the page's log.
func StartFirefox(ctx context.Context, opts Options) (Browser, error) {
	bin, err := lookPath("firefox-esr", "firefox-esr")
	if err != nil {
		return nil, err
	}
	profile := filepath.Join(opts.Dir, "firefox-profile")
	if err := os.MkdirAll(profile, 0o700); err != nil {
		return nil, fmt.Errorf("creating the Firefox profile failed: %w", err)
	}
	logPath := opts.LogPath
	if logPath == "" {
		logPath = filepath.Join(opts.Dir, "firefox.log")
	}
	w, err := newLineWatcher(logPath, "WebDriver BiDi listening on ")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--headless", "--no-remote", "--remote-debugging-port=0",
		"--profile", profile, "about:blank")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1")
	cmd.Stdout, cmd.Stderr = w, w
	p, err := startProc(cmd, logPath)
	if err != nil {
		w.close()
		return nil, err
	}
	f := &firefox{proc: p}
	fail := func(err error) (Browser, error) {
		f.Close()
		w.close()
		return nil, fmt.Errorf("%w (log: %s)", err, logPath)
	}
	var addr string
	select {
	case line := <-w.found:
		addr = strings.TrimSpace(line[strings.Index(line, "ws://"):])
	case <-p.exited:
		return fail(errors.New("starting Firefox failed: it exited before its WebDriver BiDi server listened"))
	case <-ctx.Done():
		return fail(fmt.Errorf("starting Firefox failed: %w", ctx.Err()))
	}
	go func() { <-p.exited; w.close() }()
	if f.conn, err = dialBiDi(ctx, addr+"/session", f.event); err != nil {
		return fail(err)
	}
	var s struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := f.conn.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}, &s); err != nil {
		return fail(err)
	}
	f.version = s.Capabilities.BrowserName + " " + s.Capabilities.BrowserVersion
	if err := f.conn.call(ctx, "session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}, nil); err != nil {
		return fail(err)
	}
	var tree struct {
		Contexts []struct {
			Context string `json:"context"`
		} `json:"contexts"`
	}
	if err := f.conn.call(ctx, "browsingContext.getTree", map[string]any{"maxDepth": 0}, &tree); err != nil {
		return fail(err)
	}
	if len(tree.Contexts) == 0 {
		return fail(errors.New("starting Firefox failed: it has no tab"))
	}
	f.ctxID = tree.Contexts[0].Context
	return f, nil
}

// event records log entries of level error and warn.
func (f *firefox) event(method string, params json.RawMessage) {
	if method != "log.entryAdded" {
		return
	}
	var e struct {
		Level string `json:"level"`
		Type  string `json:"type"`
		Text  string `json:"text"`
	}
	if json.Unmarshal(params, &e) != nil || (e.Level != "error" && e.Level != "warn") {
		return
	}
	f.mu.Lock()
	f.console = append(f.console, e.Level+": "+e.Text)
	f.mu.Unlock()
}

func (f *firefox) Engine() string  { return "firefox" }
func (f *firefox) Version() string { return f.version }

func (f *firefox) Navigate(ctx context.Context, url string) error {
	return f.conn.call(ctx, "browsingContext.navigate", map[string]any{"context": f.ctxID, "url": url, "wait": "complete"}, nil)
}

func (f *firefox) Reload(ctx context.Context) error {
	return f.conn.call(ctx, "browsingContext.reload", map[string]any{"context": f.ctxID, "wait": "complete"}, nil)
}

func (f *firefox) Find(ctx context.Context, css string) (Element, error) {
	var r struct {
		Nodes []json.RawMessage `json:"nodes"`
	}
	err := f.conn.call(ctx, "browsingContext.locateNodes", map[string]any{
		"context": f.ctxID, "locator": map[string]any{"type": "css", "value": css}, "maxNodeCount": 1}, &r)
	if err != nil {
		return nil, err
	}
	if len(r.Nodes) == 0 {
		return nil, fmt.Errorf("finding %s failed: no element matches", css)
	}
	var ref struct {
		SharedID string `json:"sharedId"`
	}
	json.Unmarshal(r.Nodes[0], &ref)
	return &ffElement{f: f, css: css, ref: ref.SharedID}, nil
}

func (f *firefox) Eval(ctx context.Context, expr string, out any) error {
	s, err := f.callFunction(ctx, "function() {"+wrapExpr(expr)+"}")
	if err != nil {
		return fmt.Errorf("evaluating %s failed: %w", expr, err)
	}
	return decodeResult(expr, s, out)
}

// callFunction calls a JavaScript function in the page with element
// references or strings as arguments, awaits it and returns its result,
// which must be a string.
func (f *firefox) callFunction(ctx context.Context, decl string, args ...any) (string, error) {
	var r struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value any    `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if args == nil {
		args = []any{}
	}
	err := f.conn.call(ctx, "script.callFunction", map[string]any{
		"functionDeclaration": decl, "arguments": args, "awaitPromise": true,
		"target": map[string]any{"context": f.ctxID}, "resultOwnership": "none"}, &r)
	if err != nil {
		return "", err
	}
	if r.Type == "exception" {
		return "", fmt.Errorf("the script threw %s", r.ExceptionDetails.Text)
	}
	s, _ := r.Result.Value.(string)
	return s, nil
}

func (f *firefox) SetOffline(ctx context.Context, offline bool) error {
	var cond any // null restores the network
	if offline {
		cond = map[string]any{"type": "offline"}
	}
	err := f.conn.call(ctx, "emulation.setNetworkConditions", map[string]any{"networkConditions": cond, "contexts": []string{f.ctxID}}, nil)
	if err != nil && strings.Contains(err.Error(), "unknown command") {
		return fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	return err
}

func (f *firefox) Console() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.console...)
}

func (f *firefox) Close() error {
	if f.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		f.conn.call(ctx, "browser.close", nil, nil)
		cancel()
		f.conn.close()
	}
	f.proc.stop()
	return nil
}
