package e2e

// The pre-rendered form, submitted natively: with JavaScript off (or before
// loader.js and the app have taken it over), pressing Enter or clicking
// "Create account" must not send the password anywhere — not in a POST body
// to the widget's host, where a proxy may log it, and not in a GET query.

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

func TestNativeSubmitWithoutJavaScriptSendsNoPassword(t *testing.T) {
	const username, password = "nativeuser", "Native-Secret-8472-pass"
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	// The browser reaches the widget through a recording proxy: the log a
	// proxy in front of the widget's host would keep.
	p := StartProxy(t, s.URL)
	ctx := NewBrowser(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disabling JavaScript: %v", err)
	}
	// A submit that left the form would make the next step wait for it.
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	do(t, ctx, chromedp.Navigate(p.URL+"/"))

	t.Run("the page really runs without JavaScript", func(t *testing.T) {
		// loader.js marks go-app's loading label as a progressbar as soon
		// as it runs.
		time.Sleep(time.Second)
		got, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("app-wasm-loader-label"), "role"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Exists {
			t.Fatal("loader.js ran: JavaScript is not off")
		}
	})

	t.Run("the page says it needs JavaScript", func(t *testing.T) {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if _, err := chromedp.Run(wctx, chromedp.WaitVisible(chromedp.ID("noscript"))); err != nil {
			t.Fatalf("no visible note that the page needs JavaScript: %v", err)
		}
		got, _ := chromedp.Run(wctx, chromedp.Text(chromedp.ID("noscript")))
		if !strings.Contains(got, "JavaScript") {
			t.Errorf("the note reads %q", got)
		}
	})

	leaks := func(since time.Time) []string {
		var out []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut} {
			for _, r := range p.Requests(m, "") {
				if !r.At.Before(since) && strings.Contains(r.Path+"?"+r.Query+" "+string(r.Body), password) {
					out = append(out, r.Method+" "+r.Path+"?"+r.Query+" body="+string(r.Body))
				}
			}
		}
		return out
	}
	check := func(t *testing.T, how string, since time.Time) {
		t.Helper()
		// A navigation a native submit starts takes a moment.
		time.Sleep(1500 * time.Millisecond)
		if l := leaks(since); len(l) > 0 {
			t.Errorf("%s sent the password through the widget's host: %q", how, l)
		}
		if posts := p.Requests(http.MethodPost, ""); len(posts) > 0 && !posts[len(posts)-1].At.Before(since) {
			last := posts[len(posts)-1]
			t.Errorf("%s posted to the widget's host: %s %s", how, last.Path, last.Body)
		}
		if strings.Contains(s.Log(200), password) {
			t.Errorf("%s: the password is in the widget server's log", how)
		}
		for _, r := range hs.Requests() {
			if strings.Contains(r.Path+r.RawQuery+string(r.Body), password) {
				t.Errorf("%s: the password reached the homeserver: %s", how, r.Path)
			}
		}
	}

	t.Run("Enter in the form sends nothing", func(t *testing.T) {
		since := time.Now()
		do(t, ctx,
			chromedp.SendKeys(chromedp.ID("username"), username),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.SendKeys(chromedp.ID("confirm"), password+"\r"),
		)
		check(t, "Enter", since)
	})

	t.Run("clicking Create account sends nothing", func(t *testing.T) {
		since := time.Now()
		// A fresh page: a submit that navigated left the form.
		do(t, ctx,
			chromedp.Navigate(p.URL+"/"),
			chromedp.SendKeys(chromedp.ID("username"), username),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.SendKeys(chromedp.ID("confirm"), password),
		)
		do(t, ctx, chromedp.Click(chromedp.ID("submit")))
		check(t, "the submit button", since)
	})
}
