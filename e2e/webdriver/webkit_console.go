package webdriver

import (
	"context"
	"time"
)

// Classic WebDriver has no log of the page's console, and MiniBrowser's
// setting that writes console messages to stdout does not reach the views
// that automation creates. So, after each load, a small script wraps
// console.error and console.warn and listens for uncaught errors and
// rejections; messages logged during the load itself, before the hook,
// are not seen.

// consoleHook installs the hook once per document.
const consoleHook = `if (!window.__wdConsole) {
	const log = window.__wdConsole = [];
	const str = a => { try { return a instanceof Error ? a.stack || String(a) : typeof a === "string" ? a : JSON.stringify(a); } catch (e) { return String(a); } };
	for (const level of ["error", "warn"]) {
		const orig = console[level].bind(console);
		console[level] = (...args) => { log.push(level + ": " + args.map(str).join(" ")); orig(...args); };
	}
	window.addEventListener("error", e => log.push("error: uncaught " + (e.error ? str(e.error) : e.message)));
	window.addEventListener("unhandledrejection", e => log.push("error: unhandled rejection " + str(e.reason)));
}
return "";`

// hookConsole installs the hook in the current document.
func (w *webkit) hookConsole(ctx context.Context) error {
	var s string
	return w.s.execute(ctx, consoleHook, nil, &s)
}

// pageConsole returns what the hook caught in the current document.
func (w *webkit) pageConsole(ctx context.Context) []string {
	var msgs []string
	w.s.execute(ctx, "return window.__wdConsole || [];", nil, &msgs)
	return msgs
}

// saveConsole keeps the current document's messages before it is left.
func (w *webkit) saveConsole(ctx context.Context) {
	w.console = append(w.console, w.pageConsole(ctx)...)
}

func (w *webkit) Console() []string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return append(append([]string(nil), w.console...), w.pageConsole(ctx)...)
}
