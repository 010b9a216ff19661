// Package webdriver drives Firefox and WebKit for the widget's cross-engine
// smoke tests, through one small interface, [Browser].
//
// Firefox is driven over WebDriver BiDi (https://w3c.github.io/webdriver-bidi/),
// which Firefox speaks natively on a WebSocket when started with
// --remote-debugging-port, so no geckodriver is needed (Debian does not
// package it). WebKit is driven over classic W3C WebDriver
// (https://w3c.github.io/webdriver/) through WebKitGTK's WebKitWebDriver,
// which runs WebKitGTK's MiniBrowser; it needs an X display, so
// [StartWebKit] starts a private Xvfb.
//
// Every call takes a context: a test bounds each step with a deadline, so a
// browser that hangs fails the step instead of the whole test run.
package webdriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrUnsupported is returned by [Browser.SetOffline] when the engine cannot
// emulate a network outage through its driver.
var ErrUnsupported = errors.New("not supported by this engine's driver")

// Browser is one browser with one page, in a fresh profile that nothing
// else uses.
type Browser interface {
	// Engine is "firefox" or "webkit".
	Engine() string
	// Version is the browser's name and version from the session's
	// capabilities, e.g. "firefox 153.8.0esr" or "MiniBrowser 2.50.6".
	Version() string
	// Navigate loads url and waits until the page has loaded.
	Navigate(ctx context.Context, url string) error
	// Reload reloads the page and waits until it has loaded.
	Reload(ctx context.Context) error
	// Find returns the first element that matches a CSS selector.
	Find(ctx context.Context, css string) (Element, error)
	// Eval evaluates a JavaScript expression in the page, awaits it when
	// it is a promise, and decodes its value, as JSON, into out (which may
	// be nil).
	Eval(ctx context.Context, expr string, out any) error
	// SetOffline cuts the page (and its service workers) off the network,
	// or restores it. It returns ErrUnsupported when the engine cannot.
	SetOffline(ctx context.Context, offline bool) error
	// Console returns the page's console errors and warnings and its
	// uncaught exceptions so far, oldest first.
	Console() []string
	// Close ends the session and stops the browser and its driver.
	Close() error
}

// Element is an element of the page that [Browser.Find] returned.
type Element interface {
	// Click scrolls the element into view and clicks its centre.
	Click(ctx context.Context) error
	// Type focuses the element and types text as key presses.
	Type(ctx context.Context, text string) error
	// Text returns the element's textContent.
	Text(ctx context.Context) (string, error)
	// Attribute returns the value of an attribute, "" when it is absent.
	Attribute(ctx context.Context, name string) (string, error)
}

// Options configure a browser that [StartFirefox] or [StartWebKit] starts.
type Options struct {
	// Dir is a fresh directory for the profile and the logs; required.
	Dir string
	// LogPath receives the output of the browser and its driver; when
	// empty, it is Dir/<engine>.log.
	LogPath string
}

// pollInterval is how often [Wait] evaluates its condition.
const pollInterval = 100 * time.Millisecond

// Wait evaluates a JavaScript expression until it is truthy. It returns an
// error when ctx ends first, with the last evaluation error if any.
func Wait(ctx context.Context, b Browser, expr string) error {
	var last error
	for {
		var ok bool
		err := b.Eval(ctx, "!!("+expr+")", &ok)
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("waiting for %s failed: %w (last error: %v)", expr, ctx.Err(), last)
			}
			return fmt.Errorf("waiting for %s failed: %w", expr, ctx.Err())
		case <-time.After(pollInterval):
		}
	}
}

// wrapExpr turns a JavaScript expression into a function body that
// resolves to the expression's value as JSON ("null" for undefined).
func wrapExpr(expr string) string {
	return "return (async () => { const v = await (" + expr + "\n); return v === undefined ? \"null\" : JSON.stringify(v); })();"
}

// decodeResult decodes the JSON text that a wrapped expression produced.
func decodeResult(expr, text string, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(text), out); err != nil {
		return fmt.Errorf("decoding the value of %s failed: %w", expr, err)
	}
	return nil
}

// JSString quotes s as a JavaScript string literal.
func JSString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
