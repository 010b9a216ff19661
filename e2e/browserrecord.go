package e2e

import (
	"context"
	"slices"
	"sync"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// recorder holds what happened in one tab.
type recorder struct {
	mu      sync.Mutex
	dialogs []string
	errors  []string
}

type recorderKey struct{}

// record starts to record the dialogs and the console errors of the tab of
// ctx, and returns ctx with the recorder. The goroutines end with the tab.
func record(ctx context.Context) context.Context {
	rec := &recorder{}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			rec.add(&rec.dialogs, string(ev.Type)+": "+ev.Message)
			// Dismiss it. A beforeunload dialog is accepted, so that a
			// navigation of the test goes on.
			accept := ev.Type == page.DialogTypeBeforeunload
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
		}
	}()
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && !m.IsException() {
				continue
			}
			s := m.String()
			if m.Source != "" {
				s += " [" + m.Source + "]"
			}
			if m.URL != "" {
				s += " (" + m.URL + ")"
			}
			rec.add(&rec.errors, s)
		}
	}()
	return context.WithValue(ctx, recorderKey{}, rec)
}

func (r *recorder) add(list *[]string, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*list = append(*list, s)
}

func (r *recorder) get(list *[]string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(*list)
}

// recorderOf returns the recorder of the tab of ctx, or nil.
func recorderOf(ctx context.Context) *recorder {
	rec, _ := ctx.Value(recorderKey{}).(*recorder)
	return rec
}

// Dialogs returns the JavaScript dialogs that the tab of ctx (from NewBrowser
// or NewTab) opened so far, as "type: message", for example
// "alert: Registration failed". They were dismissed. A test asserts that none
// appeared with len(Dialogs(ctx)) == 0.
func Dialogs(ctx context.Context) []string {
	if rec := recorderOf(ctx); rec != nil {
		return rec.get(&rec.dialogs)
	}
	return nil
}

// ConsoleErrors returns the console.error calls, the uncaught exceptions and
// the browser log errors (such as failed resource loads) of the tab of ctx so
// far. The browser reports them asynchronously, so a message can arrive a
// little after the action that caused it.
func ConsoleErrors(ctx context.Context) []string {
	if rec := recorderOf(ctx); rec != nil {
		return rec.get(&rec.errors)
	}
	return nil
}
