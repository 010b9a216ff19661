package webdriver

import (
	"context"
	"fmt"
)

// ffElement is an element of a Firefox page, held by its BiDi shared id
// (https://w3c.github.io/webdriver-bidi/#type-script-SharedReference).
type ffElement struct {
	f   *firefox
	css string
	ref string
}

// arg is the element as an argument of script.callFunction.
func (e *ffElement) arg() map[string]any { return map[string]any{"sharedId": e.ref} }

func (e *ffElement) Click(ctx context.Context) error {
	if _, err := e.f.callFunction(ctx, `function(e) { e.scrollIntoView({block: "center", inline: "center", behavior: "instant"}); return ""; }`, e.arg()); err != nil {
		return fmt.Errorf("scrolling to %s failed: %w", e.css, err)
	}
	err := e.f.conn.call(ctx, "input.performActions", map[string]any{
		"context": e.f.ctxID,
		"actions": []any{map[string]any{
			"type": "pointer", "id": "mouse", "parameters": map[string]any{"pointerType": "mouse"},
			"actions": []any{
				map[string]any{"type": "pointerMove", "x": 0, "y": 0, "origin": map[string]any{"type": "element", "element": e.arg()}},
				map[string]any{"type": "pointerDown", "button": 0},
				map[string]any{"type": "pointerUp", "button": 0},
			},
		}},
	}, nil)
	if err != nil {
		return fmt.Errorf("clicking %s failed: %w", e.css, err)
	}
	return nil
}

func (e *ffElement) Type(ctx context.Context, text string) error {
	if _, err := e.f.callFunction(ctx, `function(e) { e.focus(); return ""; }`, e.arg()); err != nil {
		return fmt.Errorf("focusing %s failed: %w", e.css, err)
	}
	keys := []any{}
	for _, r := range text {
		keys = append(keys,
			map[string]any{"type": "keyDown", "value": string(r)},
			map[string]any{"type": "keyUp", "value": string(r)})
	}
	err := e.f.conn.call(ctx, "input.performActions", map[string]any{
		"context": e.f.ctxID,
		"actions": []any{map[string]any{"type": "key", "id": "keyboard", "actions": keys}},
	}, nil)
	if err != nil {
		return fmt.Errorf("typing into %s failed: %w", e.css, err)
	}
	return nil
}

func (e *ffElement) Text(ctx context.Context) (string, error) {
	s, err := e.f.callFunction(ctx, `function(e) { return e.textContent; }`, e.arg())
	if err != nil {
		return "", fmt.Errorf("reading the text of %s failed: %w", e.css, err)
	}
	return s, nil
}

func (e *ffElement) Attribute(ctx context.Context, name string) (string, error) {
	s, err := e.f.callFunction(ctx, `function(e, n) { return e.getAttribute(n) || ""; }`,
		e.arg(), map[string]any{"type": "string", "value": name})
	if err != nil {
		return "", fmt.Errorf("reading the attribute %s of %s failed: %w", name, e.css, err)
	}
	return s, nil
}
