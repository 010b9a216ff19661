package webdriver

import (
	"context"
	"fmt"
	"net/http"
)

// wkElement is an element of a WebKit page, held by its web element
// reference (https://w3c.github.io/webdriver/#elements).
type wkElement struct {
	w   *webkit
	css string
	id  string
}

// path is the element's endpoint under the session.
func (e *wkElement) path(cmd string) string { return "/element/" + e.id + cmd }

// arg is the element as an argument of Execute Script.
func (e *wkElement) arg() map[string]string { return map[string]string{elementKey: e.id} }

func (e *wkElement) Click(ctx context.Context) error {
	if err := e.w.s.cmd(ctx, http.MethodPost, e.path("/click"), map[string]any{}, nil); err != nil {
		return fmt.Errorf("clicking %s failed: %w", e.css, err)
	}
	return nil
}

func (e *wkElement) Type(ctx context.Context, text string) error {
	if err := e.w.s.cmd(ctx, http.MethodPost, e.path("/value"), map[string]any{"text": text}, nil); err != nil {
		return fmt.Errorf("typing into %s failed: %w", e.css, err)
	}
	return nil
}

func (e *wkElement) Text(ctx context.Context) (string, error) {
	var s string
	if err := e.w.s.execute(ctx, "return arguments[0].textContent;", []any{e.arg()}, &s); err != nil {
		return "", fmt.Errorf("reading the text of %s failed: %w", e.css, err)
	}
	return s, nil
}

func (e *wkElement) Attribute(ctx context.Context, name string) (string, error) {
	var s string
	if err := e.w.s.execute(ctx, "return arguments[0].getAttribute(arguments[1]) || '';", []any{e.arg(), name}, &s); err != nil {
		return "", fmt.Errorf("reading the attribute %s of %s failed: %w", name, e.css, err)
	}
	return s, nil
}
