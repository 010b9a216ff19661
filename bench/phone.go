package main

import (
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// The phone sign-up: what a user on the phone profile feels. The page is
// opened cold; the moment the pre-rendered form is typeable (usable: the
// username field on screen and hit-testable), a username and a password
// are typed and the form is submitted, whether or not the WASM app is
// ready (web/loader.js holds such a submit and replays it once the app
// is). The homeserver's only flow is m.login.dummy, so the next thing the
// user sees is the welcome panel (#success).

// phoneRun is one phone sign-up; times in ms from the navigation start.
type phoneRun struct {
	usable, submit, ready, success float64
}

func (c *chromium) phoneSignup(s *server, hs *homeserver, n int) (phoneRun, error) {
	var r phoneRun
	t, err := c.newTab(mobile)
	if err != nil {
		return r, err
	}
	defer t.close()
	if err := t.open(s.URL()+"/", nil); err != nil {
		return r, err
	}
	if err := waitJS(t.ctx, `location.origin === `+jsString(s.URL())+` && window.__bench && __bench.usable !== null`, 60*time.Second); err != nil {
		return r, err
	}
	pw := "a good long password"
	for _, f := range []struct{ id, text string }{{"username", fmt.Sprintf("phone%duser", n)}, {"password", pw}, {"confirm", pw}} {
		if _, err := evalJS[bool](t.ctx, `(document.getElementById("`+f.id+`").focus(), true)`); err != nil {
			return r, err
		}
		if err := chromedp.Do(t.ctx, chromedp.KeyEvent(f.text)); err != nil {
			return r, fmt.Errorf("typing: %w", err)
		}
	}
	if err := chromedp.Do(t.ctx, chromedp.Click(chromedp.ID("submit"))); err != nil {
		return r, fmt.Errorf("submitting: %w", err)
	}
	if err := waitJS(t.ctx, `__bench.success !== null`, 60*time.Second); err != nil {
		// What the user sees instead: the page's messages.
		seen, _ := evalJS[string](t.ctx, `[...document.querySelectorAll("#form-error, .status, .error, #stage-title, h1")].map(e => (e.id || e.className) + ": " + e.textContent.trim()).filter(s => !s.endsWith(": ")).join(" | ") + " | data-ready=" + (document.getElementById("signup") || {dataset: {}}).dataset.ready`)
		return r, fmt.Errorf("no welcome panel within 60 s of the submit; the page shows: %s", seen)
	}
	times, err := evalJS[[4]float64](t.ctx, `[__bench.usable, __bench.submit, __bench.ready, __bench.success]`)
	if err != nil {
		return r, err
	}
	r.usable, r.submit, r.ready, r.success = times[0], times[1], times[2], times[3]
	return r, nil
}
