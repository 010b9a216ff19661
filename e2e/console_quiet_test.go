package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// A sign-up with nothing wrong leaves no error or warning in the console
// that the page wrote itself. The browser's own lines for the expected
// answers (the 404 of auth_metadata and password_policy on a server
// without them, the first 401 of /register) are network entries, and fine.
func TestConsoleQuietWhenNothingIsWrong(t *testing.T) {
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	ctx := NewBrowser(t)
	var mu sync.Mutex
	var noise []string
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Source == "network" || m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleWarning && !m.IsException() {
				continue
			}
			mu.Lock()
			noise = append(noise, string(m.Type)+" ["+m.Source+"] "+m.String())
			mu.Unlock()
		}
	}()
	do(t, ctx, chromedp.Navigate(s.URL+"/"))
	waitReady(t, ctx)
	fill(t, ctx, "quinn", "a good long password")
	waitText(t, ctx, "#username-status", "is available")
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	mu.Lock()
	defer mu.Unlock()
	if len(noise) > 0 {
		t.Errorf("the page logged, with nothing wrong:\n%s", strings.Join(noise, "\n"))
	}
}
