package webdriver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// webkit is WebKitGTK's MiniBrowser driven by WebKitWebDriver, on a
// private Xvfb display.
type webkit struct {
	xvfb, driver *proc
	s            *classicSession
	version      string
	console      []string // from pages already left
}

// StartWebKit starts Xvfb on a free display, WebKitWebDriver on a free
// loopback port, and a session, in which the driver starts MiniBrowser
// with --automation (an ephemeral profile, nothing of the user's).
func StartWebKit(ctx context.Context, opts Options) (Browser, error) {
	driverBin, err := lookPath("WebKitWebDriver", "webkit2gtk-driver")
	if err != nil {
		return nil, err
	}
	xvfbBin, err := lookPath("Xvfb", "xvfb")
	if err != nil {
		return nil, err
	}
	logPath := opts.LogPath
	if logPath == "" {
		logPath = filepath.Join(opts.Dir, "webkit.log")
	}
	w := &webkit{}
	fail := func(err error) (Browser, error) {
		w.Close()
		return nil, fmt.Errorf("%w (log: %s)", err, logPath)
	}
	display, err := w.startXvfb(ctx, xvfbBin, logPath)
	if err != nil {
		return fail(err)
	}
	port, err := freePort()
	if err != nil {
		return fail(err)
	}
	cmd := exec.Command(driverBin, "--port="+strconv.Itoa(port), "--host=local")
	cmd.Env = append(withoutEnv(os.Environ(), "WAYLAND_DISPLAY", "DISPLAY"),
		"DISPLAY="+display, "GDK_BACKEND=x11", "HOME="+opts.Dir, "XDG_RUNTIME_DIR="+opts.Dir)
	if w.driver, err = startProc(cmd, logPath); err != nil {
		return fail(err)
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitStatus(ctx, base, w.driver.exited); err != nil {
		return fail(err)
	}
	var s struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"pageLoadStrategy": "normal",
		"timeouts":         map[string]any{"script": 60000, "pageLoad": 60000},
	}}}
	if err := classicDo(ctx, http.MethodPost, base+"/session", caps, &s); err != nil {
		return fail(err)
	}
	w.s = &classicSession{base: base, id: s.SessionID}
	w.version = s.Capabilities.BrowserName + " " + s.Capabilities.BrowserVersion
	return w, nil
}

// startXvfb starts Xvfb, which picks a free display and writes its number
// to a pipe (-displayfd), and returns the display, e.g. ":99".
func (w *webkit) startXvfb(ctx context.Context, bin, logPath string) (string, error) {
	r, pw, err := os.Pipe()
	if err != nil {
		return "", fmt.Errorf("starting Xvfb failed: %w", err)
	}
	defer r.Close()
	cmd := exec.Command(bin, "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{pw}
	w.xvfb, err = startProc(cmd, logPath)
	pw.Close()
	if err != nil {
		return "", err
	}
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			return "", errors.New("starting Xvfb failed: it gave no display number")
		}
		return ":" + n, nil
	case <-ctx.Done():
		return "", fmt.Errorf("starting Xvfb failed: %w", ctx.Err())
	}
}

// waitStatus polls the driver's /status until it is ready.
func waitStatus(ctx context.Context, base string, exited <-chan struct{}) error {
	for {
		var st struct {
			Ready bool `json:"ready"`
		}
		if classicDo(ctx, http.MethodGet, base+"/status", nil, &st) == nil && st.Ready {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("starting WebKitWebDriver failed: %w", ctx.Err())
		case <-exited:
			return errors.New("starting WebKitWebDriver failed: it exited")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// withoutEnv returns env without the variables named.
func withoutEnv(env []string, names ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

func (w *webkit) Engine() string  { return "webkit" }
func (w *webkit) Version() string { return w.version }

func (w *webkit) Navigate(ctx context.Context, url string) error {
	w.saveConsole(ctx)
	if err := w.s.cmd(ctx, http.MethodPost, "/url", map[string]any{"url": url}, nil); err != nil {
		return err
	}
	return w.hookConsole(ctx)
}

func (w *webkit) Reload(ctx context.Context) error {
	w.saveConsole(ctx)
	if err := w.s.cmd(ctx, http.MethodPost, "/refresh", map[string]any{}, nil); err != nil {
		return err
	}
	return w.hookConsole(ctx)
}

func (w *webkit) Find(ctx context.Context, css string) (Element, error) {
	var ref map[string]string
	if err := w.s.cmd(ctx, http.MethodPost, "/element", map[string]any{"using": "css selector", "value": css}, &ref); err != nil {
		return nil, fmt.Errorf("finding %s failed: %w", css, err)
	}
	return &wkElement{w: w, css: css, id: ref[elementKey]}, nil
}

func (w *webkit) Eval(ctx context.Context, expr string, out any) error {
	var s string
	if err := w.s.execute(ctx, wrapExpr(expr), nil, &s); err != nil {
		return fmt.Errorf("evaluating %s failed: %w", expr, err)
	}
	return decodeResult(expr, s, out)
}

// SetOffline is not available: classic WebDriver has no network
// emulation, and WebKitWebDriver adds none.
func (w *webkit) SetOffline(context.Context, bool) error {
	return fmt.Errorf("going offline in WebKit failed: %w", ErrUnsupported)
}

func (w *webkit) Close() error {
	if w.s != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		w.s.cmd(ctx, http.MethodDelete, "", nil, nil)
		cancel()
	}
	w.driver.stop()
	w.xvfb.stop()
	return nil
}
